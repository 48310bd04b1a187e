/**
 * The flagship when a child fails for good: one call's summary fails every attempt (the sandbox
 * model answers 500 to any prompt about that call), yet the run completes, the report lists that
 * call as missing with the reason, and every other call is summarized. Real Redis, real sandbox
 * over HTTP, in-process workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRun } from '../../src/queues/flows.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import type { RunReport } from '../../src/reports/model.ts';
import type { CallRef } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { summarizeCall } from '../../src/workers/summarize-call.ts';
import { failOneCall, promptHeader, startTestFleet, type TestFleet } from '../helpers/fleet.ts';


describe('a summarize-call child that fails every attempt', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet | undefined;
  let doomed: CallRef;
  let report: RunReport;
  let callCount = 0;

  beforeAll(async () => {
    fleet = await startTestFleet({ sandbox: { callsPerAccount: 12 }, label: 'fail' });
    const to = new Date();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    callCount = plan.calls.length;
    doomed = failOneCall(fleet, plan);
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
    report = await waitForReport(fleet.services, await launchRun(fleet.services, plan), { timeoutMs: 50_000, pollMs: 100 });
  }, 60_000);

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it('the sandbox fault hits only prompts that contain the marker', async () => {
    const ask = (content: string) =>
      fetch(`${fleet.sandbox.env.OPENAI_BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fleet.sandbox.env.OPENAI_API_KEY}` },
        body: JSON.stringify({ model: fleet.sandbox.env.OPENAI_MODEL, max_tokens: 50, messages: [{ role: 'user', content }] }),
      }).then((r) => r.status);
    expect(await ask(`${promptHeader(doomed)}\nTranscript:\n…`)).toBe(500);
    expect(await ask('Call: some other call (2026-01-01)\nTranscript:\n…')).toBe(200);
  });

  it('completes the report, with that call missing and the reason naming the failure', () => {
    expect(report.calls.length).toBe(callCount);
    expect(report.stats.callsConsidered).toBe(callCount);
    expect(report.stats.missing).toBe(1);
    const entry = report.calls.find((c) => c.callId === doomed.callId);
    expect(entry?.status).toBe('missing');
    expect(entry?.reason).toContain(`summarize-call failed after ${summarizeCall.attempts} attempts`);
    expect(entry?.reason).toMatch(/LLM request failed \(500\)/);
    expect(report.headline.length).toBeGreaterThan(0);
  });

  it('summarizes every other call, and cites none of the missing one', () => {
    const others = report.calls.filter((c) => c.callId !== doomed.callId);
    expect(others.length).toBe(callCount - 1);
    expect(others.every((c) => c.status === 'summarized')).toBe(true);
    expect(report.stats.summarized).toBe(callCount - 1);
    const cited = Object.values(report.sections).flatMap((pts) => pts.flatMap((p) => p.citations.map((c) => c.callId)));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited).not.toContain(doomed.callId);
  });
});
