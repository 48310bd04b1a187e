/** Key sweeps under a fleet prefix (tests, benchmarks, drills, and operators clearing a fleet). */
import type { Redis } from 'ioredis';

/** Every key whose name starts with `prefix`, scanned in batches (never KEYS). */
export async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const all: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    all.push(...keys);
  } while (cursor !== '0');
  return all;
}

/** Deletes every key under the prefix; returns how many were removed. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
