/** Real-Redis helpers for tests: the shared URL, a unique hash-tagged prefix, and cleanup. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { deleteKeysUnder } from '../../src/shared/platform/index.ts';

export function testRedisUrl(): string {
  try {
    return inject('redisUrl');
  } catch {
    return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  }
}

/** `{gf-test-<hex>}`: hash-tagged like production prefixes, unique per test. */
export function uniquePrefix(label = 'test'): string {
  return `{gf-${label}-${randomBytes(4).toString('hex')}}`;
}

export function testRedis(role: 'worker' | 'producer' = 'worker'): Redis {
  return new Redis(testRedisUrl(), role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 });
}

/** Deletes every key under the prefix. */
export const deletePrefix = deleteKeysUnder;
