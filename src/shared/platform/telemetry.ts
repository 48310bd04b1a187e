/**
 * Optional OpenTelemetry for queues and workers, through BullMQ's own `telemetry` hook and
 * `bullmq-otel`: spans for every add, process, retry and completion, with the trace context carried
 * in job data so a flow's children join their parent's trace. Off unless OTEL_ENABLED=true; spans go
 * wherever the process's OpenTelemetry SDK sends them (without an SDK the API is a no-op).
 */
import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

export interface TelemetryOptions {
  /** Emit spans. Default false. */
  enabled: boolean;
  /** Tracer and meter name. Default gong-fleet. */
  serviceName?: string;
}

export function createTelemetry(opts: TelemetryOptions): Telemetry | undefined {
  if (!opts.enabled) return undefined;
  const name = opts.serviceName ?? 'gong-fleet';
  return new BullMQOtel({ tracerName: name, meterName: name, version: '0.1.0', enableMetrics: true }) as unknown as Telemetry;
}
