/**
 * The coaching sweep end to end on the sandbox's coaching account (20 managers × 10 reps) over
 * HTTP and a real Redis: the flags match the seeded ground truth exactly, every number behind
 * them too, in few upstream requests; bad input is refused before anything is enqueued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSweep } from '../../src/producers/wait.ts';
import { launchSweep } from '../../src/queues/flows.ts';
import { planSweep } from '../../src/shared/domain/index.ts';
import type { SweepReport } from '../../src/reports/sweep-model.ts';
import { BadInputError, silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('coaching sweep over 20 managers and 200 reps', () => {
  let fleet: TestFleet;
  let workers: { close(ms?: number): Promise<void> };
  let account: string;
  let report: SweepReport;
  let stats: ReturnType<TestFleet['sandbox']['stats']>;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'sweep' });
    account = fleet.sandbox.world.accountIdOf('coaching');
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 8 });
    fleet.sandbox.resetStats();
    const plan = await planSweep(fleet.services, { accountId: account });
    report = await waitForSweep(fleet.services, await launchSweep(fleet.services, plan), { timeoutMs: 90_000 });
    stats = fleet.sandbox.stats();
  }, 120_000);

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it('covers every manager and rep', () => {
    expect(report.managers).toHaveLength(20);
    expect(report.stats.reps).toBe(200);
    expect(report.missing).toEqual([]);
    expect(report.managers.map((m) => m.manager.name)).toContain('Mike Brennan');
  });

  it('flags exactly the reps the seeded data makes flaggable, with the numbers behind them', () => {
    const truth = fleet.sandbox.world.coachingTruth(account);
    const reps = new Map(report.managers.flatMap((m) => m.reps.map((r) => [r.userId, r])));
    const ids = (code: string) => [...reps.values()].filter((r) => r.flags.some((f) => f.code === code)).map((r) => r.userId).sort();
    expect(ids('neglected_new_hire')).toEqual(truth.filter((t) => t.flagNeglectedNewHire).map((t) => t.userId).sort());
    expect(ids('no_scorecards')).toEqual(truth.filter((t) => t.flagNoScorecards).map((t) => t.userId).sort());
    expect(ids('neglected_new_hire')).toHaveLength(17);
    expect(ids('no_scorecards')).toHaveLength(12);
    expect(report.stats.newHires).toBe(31);
    for (const t of truth) {
      const r = reps.get(t.userId);
      expect(r, t.userId).toBeDefined();
      expect([r!.callsHosted, r!.callsListenedByManager, r!.scorecardsReceived, r!.isNewHire]).toEqual([
        t.callsHosted, t.callsListenedByManager, t.scorecardsReceived, t.isNewHire,
      ]);
      for (const f of r!.flags) expect(f.detail).toMatch(/\d/);
    }
  });

  it('asks the model for one narrative per manager and keeps each with its numbers', () => {
    // What the model is given (the computed numbers, nothing to compute) is unit-tested in
    // test/unit/sweep.test.ts; the model's own words are the sandbox's, so nothing checks them here.
    expect(stats.llm.bySchema['manager_narrative']).toBe(20);
    for (const m of report.managers) {
      expect(m.narrativeError, m.manager.name).toBeUndefined();
      expect(m.narrative, m.manager.name).toMatchObject({ summary: expect.any(String), concerns: expect.any(Array), recommendations: expect.any(Array) });
      expect(m.narrativeCached).toBe(false);
    }
    expect(report.stats.narrativesCached).toBe(0);
  });

  it('asks for many users per request: about one request per manager plus a few', () => {
    // roster 3 pages + workspace + activity (2 pages of 100 users + partial days) + scorecards pages + 20 coaching
    expect(report.stats.upstreamRequests).toBeLessThanOrEqual(20 + 15);
    // 429s from network jitter (the governor then waits) are re-sent; count only what Gong answered.
    const answered = stats.proxyRequests - (stats.accounts[account]?.rateLimited ?? 0);
    expect(answered).toBeLessThanOrEqual(report.stats.upstreamRequests + 4);
    expect(stats.requestsByPath['/proxy/coachings']).toBeGreaterThanOrEqual(20);
    expect(stats.requestsByPath['/proxy/activity_aggregate_by_period']).toBeLessThanOrEqual(4);
  });

  it('a re-run over the same window takes every narrative from the cache: no model request', async () => {
    fleet.sandbox.resetStats();
    const plan = await planSweep(fleet.services, { accountId: account, to: new Date(Date.parse(report.window.to)), from: new Date(Date.parse(report.window.from)) });
    const again = await waitForSweep(fleet.services, await launchSweep(fleet.services, plan), { timeoutMs: 60_000 });
    expect(again.stats.narrativesCached).toBe(20);
    expect(fleet.sandbox.stats().llm.bySchema['manager_narrative'] ?? 0).toBe(0);
    expect(again.managers.map((m) => m.narrative)).toEqual(
      again.managers.map((m) => report.managers.find((x) => x.manager.userId === m.manager.userId)!.narrative),
    );
    expect(again.stats.flaggedReps).toBe(report.stats.flaggedReps);
  }, 60_000);

  it('refuses bad input with one line and enqueues nothing', async () => {
    const flows = fleet.services.queues.queue('flows');
    const before = await flows.getJobCounts();
    const refuse = async (req: Parameters<typeof planSweep>[1]) => {
      const err = await planSweep(fleet.services, req).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BadInputError);
      const msg = (err as Error).message;
      expect(msg).not.toContain('\n');
      return msg;
    };
    expect(await refuse({ accountId: account, manager: 'Mike Brenan' })).toMatch(/did you mean Mike Brennan/);
    const rep = report.managers[0]!.reps[0]!;
    expect(await refuse({ accountId: account, manager: rep.email })).toMatch(/has no direct reports/);
    expect(await refuse({ accountId: account, to: new Date(Date.now() + 3 * 86_400_000) })).toMatch(/future/);
    expect(await refuse({ accountId: 'no-such-account' })).toMatch(/unknown integrated account/);
    expect(await flows.getJobCounts()).toEqual(before);
  });
});
