/**
 * What every command needs: the parsed config (once), a logger that scrubs secrets, a resolved
 * Redis, and signal handling that closes everything under a deadline.
 */
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config/index.ts';
import { createLogger, createRedis, resolveRedis, waitForRedis, type Logger, type RedisRole, type ResolvedRedis } from '../shared/platform/index.ts';

export interface CliContext {
  config: Config;
  logger: Logger;
  /** Registers cleanup to run on exit or SIGINT/SIGTERM, last registered first. */
  onShutdown(fn: () => Promise<void> | void): void;
  /** Runs the cleanups (idempotent). */
  shutdown(): Promise<void>;
}

export function createCliContext(overrides: Partial<Record<string, string>> = {}, base: Record<string, unknown> = {}): CliContext {
  const config = loadConfig(process.env, overrides);
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [config.TRUTO_API_KEY, config.OPENAI_API_KEY, config.DASHBOARD_PASSWORD, config.DASHBOARD_TOKEN],
    base,
  });
  const cleanups: (() => Promise<void> | void)[] = [];
  let done: Promise<void> | undefined;
  const ctx: CliContext = {
    config,
    logger,
    onShutdown: (fn) => {
      cleanups.push(fn);
    },
    shutdown: () => {
      done ??= (async () => {
        for (const fn of cleanups.reverse()) {
          try {
            await fn();
          } catch (err) {
            logger.warn({ err: { message: (err as Error).message } }, 'cleanup failed');
          }
        }
      })();
      return done;
    },
  };
  return ctx;
}

/** Exits after cleanup on SIGINT/SIGTERM; a second signal exits at once. */
export function handleSignals(ctx: CliContext, deadlineMs = 25_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), deadlineMs);
    force.unref();
    void ctx.shutdown().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export interface ConnectedRedis {
  redis: Redis;
  resolved: ResolvedRedis;
}

/**
 * Connects to Redis. `spawnIfMissing` (demo, tests) lets the resolver start a private server;
 * long-running processes use REDIS_URL or the local default only.
 */
export async function connectRedis(ctx: CliContext, role: RedisRole, spawnIfMissing = false): Promise<ConnectedRedis> {
  const resolved = await resolveRedis({
    url: ctx.config.REDIS_URL,
    allowPrivate: spawnIfMissing,
    allowContainer: spawnIfMissing,
  });
  const redis = createRedis(resolved.url, { role, name: `gong-fleet-${role}` });
  redis.on('error', (err) => ctx.logger.debug({ err: { message: err.message } }, 'redis connection error'));
  ctx.onShutdown(async () => {
    await resolved.stop();
  });
  ctx.onShutdown(async () => {
    redis.disconnect();
  });
  await waitForRedis(redis);
  ctx.logger.debug({ source: resolved.source }, 'redis connected');
  return { redis, resolved };
}
