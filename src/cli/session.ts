/**
 * What commands that enqueue work share: connect to Redis (a private one may be started for
 * --local-worker runs), then the app's session: the services and, with --local-worker, the
 * workers in this process. Everything opened is closed by the context's shutdown.
 */
import { startSession, type FleetServices, type SessionOptions } from '../app/index.ts';
import { connectRedis, type CliContext } from './context.ts';

export type { SessionOptions };

export async function openSession(ctx: CliContext, opts: SessionOptions = {}): Promise<FleetServices> {
  const { redis } = await connectRedis(ctx, 'worker', !!opts.localWorker);
  return startSession(ctx.config, redis, ctx.logger, ctx, opts);
}
