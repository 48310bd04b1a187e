/**
 * Transient failures while planning (issue 10 item 8): the reads a command makes before it
 * enqueues retry 5xx, timeouts and 429s under the one retry policy, as jobs do. The sandbox
 * injects the faults on its Truto proxy (seeded, so each run sees the same ones); planning still
 * finds every call, `summarize` completes end to end, and a Truto that fails every request ends
 * the command with one line naming the read, after a bounded number of attempts, with nothing
 * enqueued. Real Redis, real sandbox over HTTP, the real CLI for the command-level cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { QUEUE_NAMES } from '../../src/queues/names.ts';
import { planSweep } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('planning under transient upstream failures', () => {
  let fleet: TestFleet;
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY_MS);
  let expectedCalls: string[];

  beforeAll(async () => {
    // 150 calls: discovery takes two pages of 100, so a fault can hit the second one.
    fleet = await startTestFleet({ label: 'planretry', sandbox: { callsPerAccount: 150, gongPerSecond: 20, trutoPerAccountPer10s: 500 } });
    const clean = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to });
    expectedCalls = clean.calls.map((c) => c.callId).sort();
    expect(clean.discoveryRequests).toBe(2);
  });

  afterAll(async () => {
    await fleet?.close();
  });

  it('5xx on discovery pages: the plan still finds every call', async () => {
    fleet.sandbox.resetStats();
    // Seed 4 at 30 %: page 1 answers, page 2 fails, the restarted read's page 1 fails, then both answer.
    fleet.sandbox.setFaults({ errorRate5xx: 0.3, scope: 'truto', seed: 4 });
    try {
      const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to });
      expect(plan.calls.map((c) => c.callId).sort()).toEqual(expectedCalls);
    } finally {
      fleet.sandbox.setFaults({});
    }
    expect(fleet.sandbox.stats().faults.truto.errors5xx).toBeGreaterThanOrEqual(1);
  });

  it('timeouts on discovery: retried after the client gives up on them', async () => {
    const services = createServices(loadConfig({}, { ...fleet.env, TRUTO_TIMEOUT_MS: '400' }), fleet.redis, silentLogger);
    fleet.sandbox.resetStats();
    // Seed 2 at 30 %: page 2 of the first read is held past the client's timeout.
    fleet.sandbox.setFaults({ timeoutRate: 0.3, timeoutMs: 1_500, scope: 'truto', seed: 2 });
    try {
      const plan = await planSummarize(services, { accountId: fleet.accountId, from, to });
      expect(plan.calls.map((c) => c.callId).sort()).toEqual(expectedCalls);
    } finally {
      fleet.sandbox.setFaults({});
      await services.queues.close();
    }
    expect(fleet.sandbox.stats().faults.truto.timeouts).toBeGreaterThanOrEqual(1);
  });

  it("429s: waits the reset the answer names, then reads again", async () => {
    fleet.sandbox.resetStats();
    fleet.sandbox.force429(fleet.accountId, 1, 1);
    const startedMs = Date.now();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to });
    expect(plan.calls.map((c) => c.callId).sort()).toEqual(expectedCalls);
    expect(fleet.sandbox.stats().accounts[fleet.accountId]?.byStatus['429'] ?? 0).toBe(1);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900);
  });

  it("the sweep's roster, activity and scorecards reads ride out 5xx too", async () => {
    const coaching = fleet.sandbox.world.accountIdOf('coaching');
    const clean = await planSweep(fleet.services, { accountId: coaching });
    fleet.sandbox.resetStats();
    fleet.sandbox.setFaults({ errorRate5xx: 0.2, scope: 'truto', seed: 11 });
    try {
      const plan = await planSweep(fleet.services, { accountId: coaching });
      expect(plan.teams).toEqual(clean.teams);
    } finally {
      fleet.sandbox.setFaults({});
    }
    expect(fleet.sandbox.stats().faults.truto.errors5xx).toBeGreaterThanOrEqual(1);
  });

  describe('through the CLI', () => {
    let out: string;
    beforeAll(() => {
      out = mkdtempSync(join(tmpdir(), 'gf-planretry-'));
    });
    afterAll(() => {
      fleet.sandbox.setFaults({});
      rmSync(out, { recursive: true, force: true });
    });

    it('summarize --local-worker plans and completes while Truto fails 30 % of requests', async () => {
      fleet.sandbox.resetStats();
      // Seed 12 at 30 %: the first two discovery requests fail, everything after is a coin toss.
      fleet.sandbox.setFaults({ errorRate5xx: 0.3, scope: 'truto', seed: 12 });
      const ids = expectedCalls.slice(0, 6).join(',');
      const r = await runCli(['summarize', '--account', fleet.accountId, '--call-ids', ids, '--local-worker', '--json', '--out', out], fleet.env, 90_000);
      fleet.sandbox.setFaults({});
      expect(r.code, r.stderr).toBe(0);
      const printed = JSON.parse(r.stdout) as { plan: { calls: number }; stats: { summarized: number; missing: number } };
      expect(printed.plan.calls).toBe(6);
      expect(printed.stats.summarized + printed.stats.missing).toBe(6);
      expect(printed.stats.missing).toBe(0);
      expect(fleet.sandbox.stats().faults.truto.errors5xx).toBeGreaterThanOrEqual(1);
      expect(r.stderr).not.toContain('no worker is serving');
    }, 100_000);

    it('a Truto that fails every request: exit 1, one line naming the read, nothing enqueued', async () => {
      fleet.sandbox.resetStats();
      fleet.sandbox.setFaults({ errorRate5xx: 1, scope: 'truto' });
      const prefix = `${fleet.prefix.slice(0, -1)}-perm}`;
      const r = await runCli(['summarize', '--account', fleet.accountId, '--from', isoDay(from), '--to', isoDay(to)], { ...fleet.env, GONG_FLEET_PREFIX: prefix }, 60_000);
      fleet.sandbox.setFaults({});
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(r.code, r.stderr).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^gong-fleet: calls discovery failed after 5 attempts: Truto 50[023] on create_a_gong_calls_extensive/);
      expect(fleet.sandbox.stats().faults.truto.errors5xx).toBe(5);
      const keys = await fleet.redis.keys(`${prefix}:*`);
      expect(keys.filter((k) => [...QUEUE_NAMES, 'run', 'report'].some((n) => k.startsWith(`${prefix}:${n}:`)))).toEqual([]);
    }, 70_000);
  });
});
