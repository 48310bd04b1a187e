/**
 * Report honesty (issue 10 item 5): a run that cannot read any transcript (the account's Gong
 * token lacks `api:calls:read:transcript`) fails fast, naming the scope, instead of reporting "no
 * findings" over 69 missing calls; and a report in which most calls are missing says so in its
 * headline and the command exits 1. Real Redis, real sandbox over HTTP (its restricted account
 * with `listUnscopedTools`, and `revokeScope`), the real CLI and in-process workers.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import type { RunReport } from '../../src/reports/model.ts';
import { readRun, type CallRef } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';

const DAY_MS = 86_400_000;
const SCOPE = 'api:calls:read:transcript';
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('a run that cannot read any transcript', () => {
  let fleet: TestFleet;
  let out: string;
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY_MS);

  beforeAll(async () => {
    // The restricted account lacks the transcript scope; listUnscopedTools still lists the tool.
    fleet = await startTestFleet({ label: 'noscope', sandbox: { callsPerAccount: 64, truto: { listUnscopedTools: true } } });
    out = mkdtempSync(join(tmpdir(), 'gf-noscope-'));
  });

  afterAll(async () => {
    await fleet?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('summarize fails fast with exit 1, naming the missing scope, after one transcript request', async () => {
    const restricted = fleet.sandbox.world.accountIdOf('restricted');
    fleet.sandbox.resetStats();
    const r = await runCli(
      ['summarize', '--account', restricted, '--from', isoDay(from), '--to', isoDay(to), '--local-worker', '--concurrency', '1', '--out', out],
      fleet.env,
      60_000,
    );
    expect(r.code, r.stderr).toBe(1);
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(new RegExp(`^gong-fleet: run r-\\S+ stopped: no transcript can be read on account ${restricted}: its Gong connection lacks scope ${SCOPE}`));
    expect(last).toContain('create_a_gong_calls_transcript');
    expect(r.stderr).toMatch(/in 2 batch requests/); // 15 calls: the second batch never asked
    const stats = fleet.sandbox.stats();
    expect(stats.requestsByTool.create_a_gong_calls_transcript).toBe(1);
    expect(stats.llm.requests).toBe(0);
    expect(readdirSync(out)).toEqual([]); // no report pretending to be one
  });

  it('a scope revoked after planning: the run stops at the first 403; its other batches send nothing', async () => {
    const workers: WorkerFleet = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 2 });
    try {
      const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to });
      expect(plan.batches.length).toBeGreaterThanOrEqual(6);
      fleet.sandbox.revokeScope(fleet.accountId, SCOPE);
      fleet.sandbox.resetStats();
      const runId = await launchRun(fleet.services, plan);
      const err = await waitForReport(fleet.services, runId, { timeoutMs: 30_000, pollMs: 100 }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(new RegExp(`^run ${runId} stopped: no transcript can be read on account ${fleet.accountId}: its Gong connection lacks scope ${SCOPE}`));
      expect((await readRun(fleet.redis, fleet.prefix, runId)).stopped).toContain(SCOPE);
      // At most one request per concurrent batch; the rest saw the stop before asking.
      expect(fleet.sandbox.stats().requestsByTool.create_a_gong_calls_transcript).toBeLessThanOrEqual(2);
      // The report job fails too (no LLM reduce spent on a stopped run).
      await expect
        .poll(async () => (await fleet.services.queues.queue('flows').getJob(runId))?.getState(), { timeout: 20_000, interval: 200 })
        .toBe('failed');
      expect(fleet.sandbox.stats().llm.requests).toBe(0);
    } finally {
      await workers.close(5_000);
    }
  });
});

describe('a report in which most calls are missing', () => {
  let fleet: TestFleet;
  let out: string;
  let calls: CallRef[];

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'mostmiss', sandbox: { callsPerAccount: 12 } });
    out = mkdtempSync(join(tmpdir(), 'gf-mostmiss-'));
    const to = new Date();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * DAY_MS), to });
    // Calls whose map-prompt header (title and date) is unique, so a fault can hit exactly them.
    const header = (c: CallRef) => `Call: ${c.title} (${c.started.slice(0, 10)})`;
    calls = plan.calls.filter((c) => plan.calls.filter((o) => header(o) === header(c)).length === 1).slice(0, 6);
    expect(calls).toHaveLength(6);
    // The model fails every prompt about four of the six: their summaries fail for good.
    fleet.sandbox.setLlmFaults({ failWhenPromptContains: calls.slice(0, 4).map(header) });
  });

  afterAll(async () => {
    await fleet?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('says so in its headline, is still written, and the command exits 1', async () => {
    const r = await runCli(
      ['summarize', '--account', fleet.accountId, '--call-ids', calls.map((c) => c.callId).join(','), '--local-worker', '--json', '--out', out],
      fleet.env,
      90_000,
    );
    expect(r.code, r.stderr).toBe(1);
    const printed = JSON.parse(r.stdout) as { report: { json: string; markdown: string }; headline: string; incomplete?: string; stats: RunReport['stats'] };
    expect(printed.stats).toMatchObject({ callsConsidered: 6, missing: 4, summarized: 2 });
    expect(printed.headline).toMatch(/^Incomplete report: 4 of 6 calls are missing \(most often: summarize-call failed after 3 attempts: .*LLM request failed \(500\).*\); the findings cover only 2 calls\.$/);
    expect(printed.headline).not.toMatch(/no findings/i);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^gong-fleet: report incomplete: 4 of 6 calls are missing/);
    expect(existsSync(printed.report.markdown)).toBe(true);
    const report = JSON.parse(readFileSync(printed.report.json, 'utf8')) as RunReport;
    expect(report.incomplete).toBe(printed.incomplete);
    expect(readFileSync(printed.report.markdown, 'utf8')).toContain(`> ${printed.headline}`);
  }, 100_000);
});
