/**
 * Wiring of a process's session: the services, and the fleet's workers when this process serves
 * queues (`gong-fleet worker`, or a CLI run with --local-worker). Redis connection and signal
 * handling stay with the caller (src/cli); everything opened here is closed through its
 * `onShutdown` registry.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import type { QueueName } from '../queues/names.ts';
import type { Logger } from '../shared/platform/index.ts';
import { jobs } from '../workers/jobs.ts';
import { startWorkers, type StartWorkersOptions, type WorkerFleet } from '../workers/start-workers.ts';
import { createServices, type FleetServices } from './services.ts';

/** Where a session registers what to close on exit (the CLI context satisfies it). */
export interface ShutdownRegistry {
  onShutdown(fn: () => Promise<void> | void): void;
}

/** Workers for the fleet's own processor table, wired from its services and the worker config. */
export function startFleetWorkers(
  services: FleetServices,
  config: Pick<Config, 'WORKER_LOCK_DURATION_MS' | 'WORKER_CONCURRENCY'>,
  opts: Pick<StartWorkersOptions, 'queues' | 'concurrency' | 'concurrencyByQueue'> = {},
): WorkerFleet {
  return startWorkers({
    connection: services.redis,
    prefix: services.prefix,
    jobs,
    services,
    logger: services.logger,
    lockDurationMs: config.WORKER_LOCK_DURATION_MS,
    concurrency: config.WORKER_CONCURRENCY,
    ...(services.telemetry ? { telemetry: services.telemetry } : {}),
    ...opts,
  });
}

export interface SessionOptions {
  /** Run workers in this process. Default false. */
  localWorker?: boolean;
  /** With localWorker: queues to serve. Default all. */
  queues?: readonly QueueName[];
  /** With localWorker: jobs per queue. Default WORKER_CONCURRENCY. */
  concurrency?: number;
  /** With localWorker: how long active jobs may finish on shutdown, in ms. Default 5000. */
  closeDeadlineMs?: number;
}

/** Builds the services on `redis` and, with `localWorker`, serves the queues in this process. */
export function startSession(config: Config, redis: Redis, logger: Logger, registry: ShutdownRegistry, opts: SessionOptions = {}): FleetServices {
  const services = createServices(config, redis, logger);
  registry.onShutdown(() => services.queues.close());
  if (opts.localWorker) {
    const fleet = startFleetWorkers(services, config, {
      ...(opts.queues ? { queues: opts.queues } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    });
    registry.onShutdown(() => fleet.close(opts.closeDeadlineMs ?? 5_000));
  }
  return services;
}
