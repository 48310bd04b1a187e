/**
 * makePlan: what a producer prints and enqueues from. Transcript batches of 10 for calls not yet
 * stored, the deal context's requests for an autopsy, the ETA at the account's own limit, and a
 * refusal when the daily budget can't cover the run. Fakes stand in for the transcript store and
 * the governor; every expected number is worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { BudgetError, makePlan, type CallRef, type PlanDeps } from '../../src/shared/domain/index.ts';
import type { BucketState } from '../../src/shared/upstream/index.ts';

const ACCOUNT = 'acct-1';

const calls: CallRef[] = Array.from({ length: 25 }, (_, i) => ({
  callId: String(1000 + i),
  title: `Call ${i}`,
  started: `2026-03-${String(1 + i).padStart(2, '0')}T10:00:00Z`,
  url: `https://app.gong.io/call?id=${1000 + i}`,
  primaryUserId: i % 2 === 0 ? 'u-1' : 'u-2',
  speakers: {},
}));

interface FakeOptions {
  stored?: string[];
  dailyLimit?: number | null;
  dailyBudgetLeft?: number | null;
  overrides?: PlanDeps['planLimits']['overrides'];
  model?: string;
}

function deps(o: FakeOptions = {}): PlanDeps & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    transcripts: {
      async stored(accountId, ids) {
        expect(accountId).toBe(ACCOUNT);
        asked.push(ids);
        return new Set(ids.filter((id) => (o.stored ?? []).includes(id)));
      },
    },
    governor: {
      async state(bucket) {
        expect(bucket).toBe(ACCOUNT);
        return { dailyLimit: o.dailyLimit ?? null, dailyBudgetLeft: o.dailyBudgetLeft ?? null } as BucketState;
      },
    },
    planLimits: {
      defaults: { gongPerSecond: 3, gongPerDay: 10_000, trutoPerAccountPer10s: 50 },
      overrides: o.overrides ?? {},
    },
    llm: { model: o.model ?? 'gpt-test' },
  };
}

const input = (kind: 'summarize' | 'autopsy', userIds: string[] = []) => ({
  kind,
  accountId: ACCOUNT,
  subject: 'Globex Corporation',
  window: { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' },
  calls,
  userIds,
  discoveryRequests: 1,
});

describe('makePlan', () => {
  it('batches only the calls whose transcripts are not stored, 10 per request, in call order', async () => {
    const stored = ['1000', '1001', '1002', '1003', '1004'];
    const d = deps({ stored });
    const plan = await makePlan(d, input('summarize'));
    expect(d.asked).toEqual([calls.map((c) => c.callId)]); // one store lookup for every call
    expect(plan.storedCallIds.sort()).toEqual(stored);
    // 20 calls to fetch → 2 batches of 10, starting after the stored ones.
    expect(plan.batches.map((b) => b.length)).toEqual([10, 10]);
    expect(plan.batches[0]![0]!.callId).toBe('1005');
    expect(plan.batches.flat().map((c) => c.callId)).toEqual(calls.slice(5).map((c) => c.callId));
    expect(plan.calls).toHaveLength(25);
    // summarize: the batches are every request still needed; at 3/s that is 1 s.
    expect(plan).toMatchObject({ requestsNeeded: 2, ratePerSecond: 3, etaSeconds: 1, dailyLimit: 10_000, dailyBudgetLeft: 10_000 });
  });

  it('counts the deal context for an autopsy: one task request per rep and one for the brief', async () => {
    const plan = await makePlan(deps(), input('autopsy', ['u-1', 'u-2']));
    // 25 calls → 3 batches (10, 10, 5) + 2 reps + 1 brief = 6 requests; 6 / 3 per s = 2 s.
    expect(plan.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(plan).toMatchObject({ requestsNeeded: 6, etaSeconds: 2 });
  });

  it('needs no transcript request when every transcript is stored', async () => {
    const plan = await makePlan(deps({ stored: calls.map((c) => c.callId) }), input('summarize'));
    expect(plan.batches).toEqual([]);
    expect(plan).toMatchObject({ requestsNeeded: 0, etaSeconds: 0 });
  });

  it("takes the ETA from the account's own limits: the slower of Gong per second and Truto per 10 s", async () => {
    // Raised Gong limit, Truto's 50/10 s still binds: 5/s. 3 batches + 3 context = 6 requests → 2 s.
    const raised = await makePlan(deps({ overrides: { [ACCOUNT]: { gongPerSecond: 10 } } }), input('autopsy', ['u-1', 'u-2']));
    expect(raised).toMatchObject({ ratePerSecond: 5, etaSeconds: 2 });
    // Both raised: 10/s → 6 requests in 1 s (rounded up).
    const both = await makePlan(deps({ overrides: { [ACCOUNT]: { gongPerSecond: 10, trutoPerAccountPer10s: 200 } } }), input('autopsy', ['u-1', 'u-2']));
    expect(both).toMatchObject({ ratePerSecond: 10, etaSeconds: 1 });
    // Another account's override does not apply.
    const other = await makePlan(deps({ overrides: { 'acct-2': { gongPerSecond: 10 } } }), input('autopsy', ['u-1', 'u-2']));
    expect(other.ratePerSecond).toBe(3);
  });

  it("reports the governor's daily budget, and refuses a run it can't cover before anything is enqueued", async () => {
    const fits = await makePlan(deps({ dailyLimit: 10_000, dailyBudgetLeft: 6 }), input('autopsy', ['u-1', 'u-2']));
    expect(fits).toMatchObject({ requestsNeeded: 6, dailyBudgetLeft: 6, dailyLimit: 10_000 });

    const refused = await makePlan(deps({ dailyLimit: 10_000, dailyBudgetLeft: 5 }), input('autopsy', ['u-1', 'u-2'])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetError);
    expect((refused as Error).message).toBe(
      `this run needs 6 upstream requests but account ${ACCOUNT} has 5 of its 10000 daily requests left; narrow the window or try after the daily reset`,
    );
  });

  it('names runs by content: same calls and model share a hash, another model or call set does not', async () => {
    const hashOf = (runId: string) => /^r-([0-9a-f]{10})-[0-9a-z]+$/.exec(runId)?.[1];
    const a = await makePlan(deps(), input('summarize'));
    const b = await makePlan(deps(), { ...input('summarize'), calls: [...calls].reverse() });
    const otherModel = await makePlan(deps({ model: 'gpt-other' }), input('summarize'));
    const fewer = await makePlan(deps(), { ...input('summarize'), calls: calls.slice(1) });
    const autopsy = await makePlan(deps(), input('autopsy'));
    expect(hashOf(a.runId)).toBeDefined();
    expect(hashOf(b.runId)).toBe(hashOf(a.runId)); // order of discovery does not matter
    for (const other of [otherModel, fewer, autopsy]) expect(hashOf(other.runId)).not.toBe(hashOf(a.runId));
  });
});
