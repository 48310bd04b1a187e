/**
 * Redis connections, by role (BullMQ's "going to production" guide):
 * - workers block on Redis and must ride out outages: `maxRetriesPerRequest: null`, reconnect forever;
 * - producers (CLI commands) must fail fast: a command that cannot reach Redis says so instead of
 *   hanging, and enqueues nothing.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { retryDecision } from '../retry-policy.ts';

export type RedisRole = 'worker' | 'producer';

export interface RedisConnectionOptions {
  /** Connection role. Default 'producer'. */
  role?: RedisRole;
  /** Connect timeout for producers, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Client name shown in `CLIENT LIST`. Default 'gong-fleet'. */
  name?: string;
}

export function redisOptions(opts: RedisConnectionOptions = {}): RedisOptions {
  const role = opts.role ?? 'producer';
  const common: RedisOptions = { connectionName: opts.name ?? 'gong-fleet', lazyConnect: false };
  if (role === 'worker') {
    return {
      ...common,
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      // Back off up to 2 s between reconnects, forever: a worker outlives a Redis restart. The one
      // retry policy's jitter also keeps a fleet of workers from reconnecting in lockstep.
      retryStrategy: (times) => retryDecision({ attempt: times, kind: 'connection' }, { baseDelayMs: 100, maxDelayMs: 2_000 }).delayMs,
    };
  }
  return {
    ...common,
    maxRetriesPerRequest: 1,
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
    enableOfflineQueue: true,
    // A few quick reconnects, then give up: a command must fail fast rather than hang.
    retryStrategy: (times) => {
      const d = retryDecision({ attempt: times, kind: 'connection' }, { baseDelayMs: 200, maxAttempts: 4 });
      return d.retry ? d.delayMs : null;
    },
  };
}

export function createRedis(url: string, opts: RedisConnectionOptions = {}): Redis {
  return new Redis(url, redisOptions(opts));
}

/** Resolves when the connection answers PING; rejects with a clear message otherwise. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
