/**
 * A parked account must not hold worker slots: with `maxInlineSleepersPerBucket`, a process lets
 * at most that many requests of one account sleep in place for a booked slot; the next one is
 * parked (RateLimitWaitError for its full wait) instead, and other accounts are untouched. Without
 * the cap all of them sleep in place. Real Redis, the real governor.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateGovernor, RateLimitWaitError, trutoGate } from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const GONG_GAP_MS = (1000 / 3) * 1.03;

describe('in-place sleepers per account', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  // Sleeps that end when the test says so, so "while one request sleeps" is a fact, not a race.
  const sleeping: { ms: number; wake: () => void }[] = [];
  const sleep = (ms: number) => new Promise<void>((wake) => sleeping.push({ ms, wake }));
  const governor = () => {
    const prefix = `${uniquePrefix('sleep')}:gov`;
    prefixes.push(prefix);
    return new RateGovernor({ redis, prefix, sleep });
  };
  const outcome = (p: Promise<unknown>) => p.then(() => 'sent' as const, (err: unknown) => err);

  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(redis, p);
    await redis.quit();
  });

  it('parks the request beyond the cap for its full wait, and lets other accounts through', async () => {
    const gate = trutoGate(governor(), 'k', { maxInlineSleepersPerBucket: 1, lateToleranceMs: 60_000 });
    expect(await outcome(gate.acquire({ bucket: 'acct-a' }))).toBe('sent'); // its slot is now: no sleep
    const second = outcome(gate.acquire({ bucket: 'acct-a' }));
    await expect.poll(() => sleeping.length, { timeout: 5_000, interval: 5 }).toBe(1); // it sleeps in place for its slot
    const parked = await outcome(gate.acquire({ bucket: 'acct-a' }));
    expect(parked).toBeInstanceOf(RateLimitWaitError);
    // Told to come back when its own slot would have been: after the sleeper's.
    expect((parked as RateLimitWaitError).retryAfterMs).toBeGreaterThan(sleeping[0]!.ms);
    expect((parked as RateLimitWaitError).retryAfterMs).toBeLessThan(sleeping[0]!.ms + 2 * GONG_GAP_MS);
    // Another account is not held back by A's sleeper.
    expect(await outcome(gate.acquire({ bucket: 'acct-b' }))).toBe('sent');
    sleeping.splice(0).forEach((s) => s.wake());
    expect(await second).toBe('sent');
  });

  it('without a cap every request of the account sleeps in place', async () => {
    const gate = trutoGate(governor(), 'k', { lateToleranceMs: 60_000 });
    const results = Promise.all([0, 1, 2, 3].map(() => outcome(gate.acquire({ bucket: 'acct-a' }))));
    await expect.poll(() => sleeping.length, { timeout: 5_000, interval: 5 }).toBe(3);
    sleeping.splice(0).forEach((s) => s.wake());
    expect(await results).toEqual(['sent', 'sent', 'sent', 'sent']);
  });
});
