/** The Prometheus registry each process builds its metrics on. */
import { Registry } from 'prom-client';

/** A registry of its own per process (not prom-client's global), so tests can build several. */
export function createRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  return registry;
}
