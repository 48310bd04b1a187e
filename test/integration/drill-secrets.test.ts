/**
 * The secrets drill as a test (`bench/drills/secrets.ts`): a full summarize with recognisable keys,
 * workers and CLI at debug level; zero occurrences of either key in logs, Redis (every key under
 * the prefix, read by type) or the report files. Plus checks that the search can find a planted
 * leak (so a pass means something) and that pino's redact paths are configured on their own,
 * without the literal-value scrubber.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { searchRedis, secretsDrill } from '../../bench/drills/secrets.ts';
import { createLogger, REDACT_PATHS } from '../../src/shared/platform/index.ts';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.ts';

describe('secrets drill', () => {
  it('after a full run at debug level, neither key is in logs, Redis or reports', async () => {
    const r = await secretsDrill({ calls: 20, workers: 2, redisUrl: testRedisUrl() });
    expect(r.cliExit).toBe(0);
    expect(r.calls).toBeGreaterThan(0);
    expect(r.debugLines).toBeGreaterThan(0); // the workers really logged at debug
    expect(r.redisKeys).toBeGreaterThan(20); // queues, jobs, caches, run counters, report
    expect(r.reportFiles).toBeGreaterThanOrEqual(2);
    expect(r.leaks).toEqual([]);
    expect(r.pass).toBe(true);
  }, 90_000);

  it('the Redis search finds a key planted in a hash, a list and a stream', async () => {
    const redis = testRedis('producer');
    const prefix = uniquePrefix('secrets-ctl');
    const secret = 'sk-SECRET-planted-0001';
    try {
      await redis.hset(`${prefix}:h`, 'failedReason', `401 for ${secret}`);
      await redis.rpush(`${prefix}:l`, 'x', `Bearer ${secret}`);
      await redis.xadd(`${prefix}:s`, '*', 'event', 'failed', 'reason', secret);
      await redis.set(`${prefix}:clean`, 'nothing here');
      const found = await searchRedis(redis, prefix, [secret]);
      expect(found.keys).toBe(4);
      expect(found.hits.sort()).toEqual([`${prefix}:h`, `${prefix}:l`, `${prefix}:s`]);
    } finally {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it("pino's redact paths censor credential fields even without the value scrubber", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ destination }); // no `secrets`: only `redact` stands between a key and the log
    log.info(
      { apiKey: 'k1-value', headers: { authorization: 'Bearer k2-value' }, config: { TRUTO_API_KEY: 'k3-value', OPENAI_API_KEY: 'k4-value' }, password: 'k5-value' },
      'request',
    );
    const line = lines.join('');
    for (const v of ['k1-value', 'k2-value', 'k3-value', 'k4-value', 'k5-value']) expect(line).not.toContain(v);
    expect(line.match(/\[REDACTED\]/g)?.length).toBe(5);
    expect(REDACT_PATHS).toEqual(expect.arrayContaining(['TRUTO_API_KEY', 'OPENAI_API_KEY', '*.headers.authorization']));
  });
});
