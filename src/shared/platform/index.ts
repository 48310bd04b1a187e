/**
 * shared/platform: the bottom tier. Errors that steer control flow, the one retry policy, logging,
 * Redis connections and key sweeps, metrics primitives and telemetry. It imports no other fleet
 * code; everything above may import it, from outside this folder only through this file.
 */
export { FleetError, NonRetryableError, RetryAfterError, BadInputError, isRetryable, type FleetErrorOptions } from './errors.ts';
export {
  retryDecision,
  retryInputOf,
  serverDelayMs,
  RETRYABLE_STATUSES,
  NEVER_RETRY_STATUSES,
  type RetryInput,
  type RetryPolicyOptions,
  type RetryDecision,
} from './retry-policy.ts';
export { createLogger, silentLogger, scrubSecrets, REDACT_PATHS, type Logger, type LoggerOptions } from './logger.ts';
export { createRedis, waitForRedis, redisOptions, type RedisRole, type RedisConnectionOptions } from './redis/connection.ts';
export { scanKeys, deleteKeysUnder } from './redis/keys.ts';
export { resolveRedis, startPrivateRedis, pingTcp, freePort, type ResolvedRedis, type ResolveOptions, type PrivateRedis } from './redis/resolve.ts';
export { createRegistry } from './metrics/registry.ts';
export { registerProcessMetrics, instrumentWorkers, type ProcessMetrics } from './metrics/process-metrics.ts';
export { startMetricsServer, type Health, type MetricsServer, type MetricsServerOptions } from './metrics/http-server.ts';
export { workerHealth, probeHealth, type WorkerHealthSources } from './metrics/health.ts';
export { createTelemetry, type TelemetryOptions } from './telemetry.ts';
