/**
 * The sandbox-faults drill as a test (`bench/drills/faults.ts`, smaller): 10 % 5xx, 5 % timeouts
 * (held past the Truto client's timeout) and 429 storms on both Truto and the model, two worker
 * processes, two calls doomed to fail every attempt. The run must complete with every call in the
 * appendix once, and each call that never made it listed as missing with its reason.
 */
import { describe, expect, it } from 'vitest';
import { faultsDrill } from '../../bench/drills/faults.ts';
import { testRedisUrl } from '../helpers/redis.ts';

describe('faults drill', () => {
  it('a run under 5xx, timeouts and 429 storms completes and names every missing call with its reason', async () => {
    const r = await faultsDrill({ calls: 30, workers: 2, doomCalls: 2, timeoutMs: 80_000, redisUrl: testRedisUrl() });
    expect(r.calls).toBeGreaterThanOrEqual(20);
    expect(r.listed).toBe(r.calls);
    expect(r.duplicates).toBe(0);
    // The faults really happened…
    const injected = r.injected.llm.errors5xx + r.injected.llm.timeouts + r.injected.llm.bursts429 + r.injected.truto.errors5xx + r.injected.truto.timeouts + r.injected.truto.bursts429;
    expect(injected).toBeGreaterThan(3);
    // …the doomed calls are missing with a reason naming the failure, and no missing call lacks one.
    expect(r.doomed).toHaveLength(2);
    for (const id of r.doomed) {
      const m = r.missing.find((x) => x.callId === id);
      expect(m, id).toBeDefined();
      expect(m!.reason).toMatch(/failed after 3 attempts/);
    }
    expect(r.missingWithoutReason).toBe(0);
    expect(r.summarized).toBe(r.calls - r.missing.length);
    expect(r.pass).toBe(true);
  }, 110_000);
});
