/**
 * What commands that enqueue work share: connect to Redis (a private one may be started for
 * --local-worker runs), build the services, and with --local-worker serve the queues in this
 * process. Everything opened is closed by the context's shutdown.
 */
import type { QueueName } from '../queues/names.ts';
import { createServices, type FleetServices } from './services.ts';
import { startFleetWorkers } from '../workers/start-workers.ts';
import { connectRedis, type CliContext } from '../cli/context.ts';

export interface SessionOptions {
  /** Run workers in this process. Default false. */
  localWorker?: boolean;
  /** With localWorker: queues to serve. Default all. */
  queues?: readonly QueueName[];
  /** With localWorker: jobs per queue. Default WORKER_CONCURRENCY. */
  concurrency?: number;
}

export async function openSession(ctx: CliContext, opts: SessionOptions = {}): Promise<FleetServices> {
  const { redis } = await connectRedis(ctx, 'worker', !!opts.localWorker);
  const services = createServices(ctx.config, redis, ctx.logger);
  ctx.onShutdown(() => services.queues.close());
  if (opts.localWorker) {
    const fleet = startFleetWorkers(services, {
      ...(opts.queues ? { queues: opts.queues } : {}),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    });
    ctx.onShutdown(() => fleet.close(5_000));
  }
  return services;
}
