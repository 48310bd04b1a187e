/** Prometheus metrics of the fleet: what other modules may use. */
import { Registry } from 'prom-client';

export { registerProcessMetrics, instrumentWorkers, type ProcessMetrics } from './process-metrics.ts';
export { registerFleetMetrics } from '../../../dashboard/fleet-metrics.ts';
export { readFleetState, splitBucket, JOB_STATES, type FleetSnapshot, type QueueSnapshot, type FleetStateSources } from '../../../dashboard/fleet-state.ts';
export { startMetricsServer, type Health, type MetricsServer, type MetricsServerOptions } from './http-server.ts';
export { workerHealth, probeHealth } from './health.ts';

/** A registry of its own per process (not prom-client's global), so tests can build several. */
export function createRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  return registry;
}
