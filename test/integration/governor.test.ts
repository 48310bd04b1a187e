/**
 * The governor against a real Redis: slot spacing, combined limits, overrides, the daily budget,
 * learned blocks, LLM token budgets, state() numbers and the gates. What a reserve costs in time is
 * measured by `npm run bench:governor` (scenario d), not asserted here.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DailyBudgetExhaustedError,
  RateGovernor,
  RateLimitWaitError,
  hashApiKey,
  llmGate,
  trutoGate,
  type GovernorOptions,
  type Reservation,
} from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const GONG_GAP_MS = (1000 / 3) * 1.03;
let redis: Redis;
const prefixes: string[] = [];

function governor(opts: Partial<GovernorOptions> = {}): RateGovernor {
  const prefix = `${uniquePrefix('gov')}:gov`;
  prefixes.push(prefix);
  return new RateGovernor({ redis, prefix, ...opts });
}

async function serverNowMs(): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Number(us) / 1000;
}

/** Largest number of slots in any closed window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function gaps(rs: Reservation[]): number[] {
  const slots = rs.map((r) => r.slotAtMs).sort((a, b) => a - b);
  return slots.slice(1).map((s, i) => s - (slots[i] as number));
}

beforeAll(() => {
  redis = testRedis();
});
afterEach(async () => {
  for (const p of prefixes.splice(0)) await deletePrefix(redis, p);
});
afterAll(async () => {
  await redis.quit();
});

describe('reservation spacing', () => {
  it('gives 100 concurrent callers distinct slots at least 1000/3 × 1.03 ms apart', async () => {
    const g = governor({ maxReserveAheadMs: 60_000 });
    const t0 = performance.now();
    const rs = await Promise.all(Array.from({ length: 100 }, () => g.reserveTruto('acct-a', 'tok')));
    const bookingMs = performance.now() - t0;
    expect(rs.every((r) => r.reserved)).toBe(true);
    expect(new Set(rs.map((r) => r.slotAtMs)).size).toBe(100);
    expect(Math.min(...gaps(rs))).toBeGreaterThanOrEqual(GONG_GAP_MS - 0.01);
    expect(maxInWindow(rs.map((r) => r.slotAtMs), 1000)).toBe(3);
    // Even spacing at the full rate, not bursts and not slower: the last slot is 99 gaps after the
    // first. Slots are booked ahead from the previous one, so only a booking that arrived after its
    // slot's time (a slow Redis) can push one later, by at most how long the bookings took.
    const slots = rs.map((r) => r.slotAtMs);
    expect(Math.max(...slots) - Math.min(...slots)).toBeGreaterThanOrEqual(99 * GONG_GAP_MS - 0.1);
    expect(Math.max(...slots) - Math.min(...slots)).toBeLessThanOrEqual(99 * GONG_GAP_MS + bookingMs + 1);
  });

  it('reserves nothing beyond maxReserveAheadMs and says why', async () => {
    // 1 call/s (1030 ms apart): slots at 0, 1.03, 2.06 and 3.09 s fit 3.5 s ahead, 4.12 s does not.
    // The 0.6 s of slack keeps the split the same even if the five round trips crawl.
    const g = governor({ maxReserveAheadMs: 3_500, overrides: { 'acct-a': { gongPerSecond: 1 } } });
    const rs: Reservation[] = [];
    for (let i = 0; i < 5; i++) rs.push(await g.reserveTruto('acct-a', 'tok'));
    expect(rs.map((r) => r.reserved)).toEqual([true, true, true, true, false]);
    expect(rs[0]?.reason).toBeNull();
    expect(rs[4]).toMatchObject({ reserved: false, reason: 'rate' });
    expect(rs[4]?.waitMs).toBeGreaterThan(3_500);
    // An unreserved answer books nothing: asking again gives the same slot.
    const again = await g.reserveTruto('acct-a', 'tok');
    expect(again.slotAtMs).toBeCloseTo(rs[4]?.slotAtMs as number, 3);
  });
});

describe('combined limits and overrides', () => {
  it('applies the tightest of Gong, Truto-per-account and Truto-per-token limits', async () => {
    const g = governor({
      maxReserveAheadMs: 60_000,
      overrides: { fast: { gongPerSecond: 100, trutoPerAccountPer10s: 20 } },
      truto: { trutoPerTokenPer10s: 10 },
    });
    // Per-account Truto limit binds for `fast`: 10 000/20 × 1.03 = 515 ms.
    const fast = await Promise.all(Array.from({ length: 5 }, () => g.reserveTruto('fast', 'tok-x')));
    expect(Math.min(...gaps(fast))).toBeGreaterThanOrEqual(515 - 0.01);
    // The token limit (10 per 10 s) is shared by every account on the token, in any 10 s window.
    const g2 = governor({ maxReserveAheadMs: 60_000, truto: { trutoPerTokenPer10s: 10 } });
    const mixed = await Promise.all(
      Array.from({ length: 30 }, (_, i) => g2.reserveTruto(`a${i % 3}`, 'shared')),
    );
    expect(mixed.every((r) => r.reserved)).toBe(true);
    expect(maxInWindow(mixed.map((r) => r.slotAtMs), 10_000)).toBeLessThanOrEqual(10);
    for (const acct of ['a0', 'a1', 'a2']) {
      const own = mixed.filter((_, i) => `a${i % 3}` === acct);
      expect(Math.min(...gaps(own))).toBeGreaterThanOrEqual(GONG_GAP_MS - 0.01);
    }
    // An account on a different token is not slowed by the first token's queue.
    expect((await g2.reserveTruto('a9', 'other-token')).waitMs).toBe(0);
  });

  it('keeps accounts independent and honours per-account overrides', async () => {
    const g = governor({ maxReserveAheadMs: 60_000, overrides: { big: { gongPerSecond: 10, trutoPerAccountPer10s: 100 } } });
    const [big, small] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => g.reserveTruto('big', 'tok'))),
      Promise.all(Array.from({ length: 3 }, () => g.reserveTruto('small', 'tok'))),
    ]);
    expect(Math.min(...gaps(big))).toBeGreaterThanOrEqual(103 - 0.01);
    expect(Math.max(...big.map((r) => r.waitMs))).toBeLessThan(10 * 103 + 50);
    expect(Math.min(...gaps(small))).toBeGreaterThanOrEqual(GONG_GAP_MS - 0.01);
    expect(Math.min(...small.map((r) => r.waitMs))).toBe(0);
  });
});

describe('daily budget', () => {
  it('stops at gongPerDay and waits until the next UTC day', async () => {
    const g = governor({ maxReserveAheadMs: 60_000, overrides: { tiny: { gongPerDay: 5 } } });
    const rs = await Promise.all(Array.from({ length: 5 }, () => g.reserveTruto('tiny', 'tok')));
    expect(rs.every((r) => r.reserved)).toBe(true);
    const now = await serverNowMs();
    const over = await g.reserveTruto('tiny', 'tok');
    expect(over).toMatchObject({ reserved: false, reason: 'daily' });
    const untilMidnight = (Math.floor(now / 86_400_000) + 1) * 86_400_000 - now;
    expect(Math.abs(over.waitMs - untilMidnight)).toBeLessThan(1000);
    const s = await g.state('tiny');
    expect(s).toMatchObject({ callsToday: 5, dailyLimit: 5, dailyBudgetLeft: 0 });

    await expect(trutoGate(g, 'k').acquire({ bucket: 'tiny' })).rejects.toBeInstanceOf(
      untilMidnight > g.maxTotalWaitMs ? DailyBudgetExhaustedError : RateLimitWaitError,
    );
    const strict = new RateGovernor({ redis, prefix: prefixes[0] as string, maxTotalWaitMs: 0, overrides: { tiny: { gongPerDay: 5 } } });
    const err = await trutoGate(strict, 'tok').acquire({ bucket: 'tiny' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DailyBudgetExhaustedError);
    expect(err).toMatchObject({ retryable: false, reason: 'daily', bucket: 'account:tiny' });
  });
});

describe('learning from responses', () => {
  it('blocks on remaining 0 + reset, extends on 429 retry-after, never shortens', async () => {
    const g = governor({ maxReserveAheadMs: 500 });
    // Bounds from Redis time taken around each observe, so a slow machine cannot fail the check.
    const blockAfter = async (res: Parameters<RateGovernor['observeTruto']>[1]) => {
      const before = await serverNowMs();
      await g.observeTruto('acct-b', res);
      const after = await serverNowMs();
      return { before, after, until: (await g.state('acct-b')).blockedUntilMs! };
    };
    const b1 = await blockAfter({ status: 200, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '2' } });
    expect(b1.until).toBeGreaterThanOrEqual(b1.before + 2000 - 1);
    expect(b1.until).toBeLessThanOrEqual(b1.after + 2000 + 1);
    const r1 = await g.reserveTruto('acct-b', 'tok');
    expect(r1).toMatchObject({ reserved: false, reason: 'blocked' });
    expect(Math.abs(r1.slotAtMs - b1.until)).toBeLessThanOrEqual(1); // the first slot is the block's end

    const b2 = await blockAfter({ status: 429, headers: { 'retry-after': '5' } });
    expect(b2.until).toBeGreaterThanOrEqual(b2.before + 5000 - 1);
    expect(b2.until).toBeLessThanOrEqual(b2.after + 5000 + 1);
    const r2 = await g.reserveTruto('acct-b', 'tok');
    expect(Math.abs(r2.slotAtMs - b2.until)).toBeLessThanOrEqual(1);

    const b3 = await blockAfter({ status: 429, headers: { 'retry-after': '1' } });
    expect(b3.until).toBe(b2.until); // a shorter block never shortens the one in force

    // Another account on the same token is not slowed by acct-b's trouble.
    expect((await g.reserveTruto('acct-c', 'tok')).waitMs).toBe(0);

    const s = await g.state('acct-b');
    expect(s.rateLimited429s).toBe(2);
    expect(s.callsToday).toBe(0);
  });

  it('ignores remaining 0 for a window its own spacing already enforces', async () => {
    const g = governor();
    await g.observeTruto('acct-d', {
      status: 200,
      headers: { 'ratelimit-limit': '3;w=1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
    });
    expect((await g.reserveTruto('acct-d', 'tok')).waitMs).toBe(0);
  });

  it('a block ends on time and slots resume evenly after it', async () => {
    const g = governor({ maxReserveAheadMs: 2000 });
    await g.observeTruto('acct-e', { status: 429, headers: { 'retry-after': '0.5' } });
    const until = (await g.state('acct-e')).blockedUntilMs!;
    const rs = await Promise.all(Array.from({ length: 4 }, () => g.reserveTruto('acct-e', 'tok')));
    const askedBy = await serverNowMs();
    expect(rs.every((r) => r.reserved && r.reason !== null)).toBe(true);
    const slots = rs.map((r) => r.slotAtMs);
    expect(Math.min(...slots)).toBeGreaterThanOrEqual(until - 1); // nothing inside the block
    expect(Math.min(...slots)).toBeLessThanOrEqual(Math.max(until, askedBy) + 1); // and no later than its end
    expect(Math.min(...gaps(rs))).toBeGreaterThanOrEqual(GONG_GAP_MS - 0.01);
  });
});

describe('LLM budget', () => {
  it('spaces requests, lets tokens burst within the minute, learns OpenAI headers', async () => {
    // 600 rpm → 103 ms per request; 6000 tpm counted over a sliding minute.
    const g = governor({ maxReserveAheadMs: 3000, llm: { requestsPerMinute: 600, tokensPerMinute: 6000 } });
    const first = await g.reserveLlm('gpt-x', 2000);
    expect(first).toMatchObject({ reserved: true, waitMs: 0, bucket: 'llm:gpt-x' });
    // A second and third 2000-token request fit the minute: only request spacing applies.
    const second = await g.reserveLlm('gpt-x', 2000);
    expect(second.reserved).toBe(true);
    expect(second.waitMs).toBeLessThan(300);
    expect((await g.reserveLlm('gpt-x', 2000)).reserved).toBe(true);
    // The minute's tokens are spent: the next waits for the window to slide, beyond the horizon
    // (the script reports a lower bound past the horizon; the caller asks again then).
    const fourth = await g.reserveLlm('gpt-x', 2000);
    expect(fourth).toMatchObject({ reserved: false, reason: 'rate' });
    expect(fourth.waitMs).toBeGreaterThan(3000);

    await g.observeLlm('gpt-x', {
      status: 200,
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' },
    });
    const blocked = await g.reserveLlm('gpt-x', 10);
    expect(blocked).toMatchObject({ reserved: false, reason: 'blocked' });
    expect(blocked.waitMs).toBeGreaterThan(359_000);
    expect((await g.state('llm:gpt-x')).dailyLimit).toBeNull();
  });

  it("llmGate lets a minute's allowance through at once and defers the rest without sleeping", async () => {
    const slept: number[] = [];
    const g = governor({
      llm: { requestsPerMinute: 2, tokensPerMinute: 1_000_000 },
      sleep: async (ms) => void slept.push(ms),
    });
    const gate = llmGate(g, { maxInlineWaitMs: 600 });
    await gate.acquire({ bucket: 'm', cost: 100 });
    await gate.acquire({ bucket: 'llm:m', cost: 100 });
    expect(slept).toEqual([]); // two requests fit the minute: no pacing
    const err = await gate.acquire({ bucket: 'm', cost: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect(err).toMatchObject({ retryable: true, reason: 'rate', bucket: 'llm:m' });
    // The job is parked until its slot enters the 600 ms inline horizon, not until the slot itself.
    const wait = err as RateLimitWaitError;
    expect(wait.waitMs).toBeGreaterThan(600);
    expect(wait.retryAfterMs).toBe(wait.waitMs - 600);
    await gate.observe({ bucket: 'm' }, { status: 429, headers: { 'retry-after-ms': '800' } });
    expect((await g.state('llm:m')).rateLimited429s).toBe(1);
  });
});

describe('state and gates', () => {
  it('reports limits, calls and buckets', async () => {
    const g = governor({ maxReserveAheadMs: 60_000 });
    const fresh = await g.state('acct-f');
    expect(fresh).toMatchObject({ callsToday: 0, dailyBudgetLeft: 10_000, rateLimited429s: 0, blockedUntilMs: null });
    expect(fresh.limits.map((l) => [l.name, l.limit, l.windowMs, l.availableNow])).toEqual([
      ['gong-1s', 3, 1000, 3],
      ['truto-10s', 50, 10_000, 50],
    ]);
    await g.reserveTruto('acct-f', 'tok');
    expect((await g.state('account:acct-f')).limits[0]?.availableNow).toBe(2);
    await Promise.all([g.reserveTruto('acct-f', 'tok'), g.reserveTruto('acct-f', 'tok')]);
    const s = await g.state('acct-f');
    expect(s.limits[0]?.availableNow).toBe(0);
    expect(s).toMatchObject({ bucket: 'account:acct-f', callsToday: 3, totalCalls: 3, dailyBudgetLeft: 9997 });
    expect(s.totalWaitMs).toBeGreaterThan(2 * GONG_GAP_MS);
    expect((await g.listBuckets()).sort()).toEqual(['account:acct-f', 'token:tok']);
  });

  it('trutoGate names the token bucket by hash only and sleeps inline waits', async () => {
    const slept: number[] = [];
    const g = governor({ sleep: async (ms) => void slept.push(ms), overrides: { 'acct-g': { gongPerSecond: 1 } } });
    const gate = trutoGate(g, 'super-secret-api-key');
    // At 1/s, slots 0 and 1030 ms fit the default 1500 ms inline wait (the second is slept); 2060 does not.
    for (let i = 0; i < 2; i++) await gate.acquire({ bucket: 'acct-g' });
    expect(slept.length).toBe(1);
    await expect(gate.acquire({ bucket: 'acct-g' })).rejects.toBeInstanceOf(RateLimitWaitError);
    const buckets = await g.listBuckets();
    expect(buckets).toContain(`token:${hashApiKey('super-secret-api-key')}`);
    expect(JSON.stringify(await redis.keys(`${prefixes[0]}*`))).not.toContain('super-secret');
  });

  it('observe never throws, even when Redis is gone', async () => {
    const dead = testRedis('producer');
    await dead.quit();
    const errors: unknown[] = [];
    const g = new RateGovernor({ redis: dead, prefix: '{gf-dead}:gov' });
    const gate = trutoGate(g, 'k', { onObserveError: (e) => errors.push(e) });
    await expect(gate.observe({ bucket: 'a' }, { status: 429, headers: {} })).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
