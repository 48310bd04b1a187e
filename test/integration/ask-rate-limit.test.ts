/**
 * Three `ask` runs and a bulk `summarize` at once on one account, served by two worker
 * processes: every Truto request of all four goes through the account's governor, so the sandbox
 * (Gong's 3 requests per sliding second) answers no 429 and never sees a fourth request in any
 * second, while every run still answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSummarize } from '../../src/producers/summarize.ts';
import { startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { maxInAnyWindow } from '../../src/sandbox/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import { implementationObjection } from '../sandbox/agent-expected.ts';

describe('three asks and a summarize on one account stay within its rate limit', () => {
  let fleet: TestFleet;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fleet = await startTestFleet({
      label: 'askr',
      sandbox: { callsPerAccount: 40 },
      // The sandbox in this process timestamps arrivals late whenever its own event loop stalls (it
      // shares it with this test's producers): a wider gap between one account's requests, as the
      // README advises for overloaded hosts, keeps a stall under 250 ms from looking like a burst.
      env: { GOVERNOR_SAFETY_MARGIN: '0.25' },
    });
    workers = await Promise.all([0, 1].map(() => startWorkerProcess(fleet.env, ['--concurrency', '6'])));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await fleet?.close();
  });

  it('0 429s, at most 3 requests in any second, every run answered', async () => {
    const dealsId = fleet.sandbox.world.accountIdOf('deals');
    fleet.sandbox.resetStats();
    const questions = [
      'Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.',
      `Retrieve the transcript for call ID ${implementationObjection(fleet.sandbox).callId} and summarize the customer's objections regarding implementation timelines.`,
      "Analyze the stalled 'Globex Corporation' deal. Find all calls from the last 30 days, read the transcripts to identify objections, check if the rep completed their Engage follow-up tasks, and generate a summary report.",
    ];
    const to = new Date();
    const from = new Date(to.getTime() - 14 * 86_400_000);
    const [runs, report] = await Promise.all([
      Promise.all(questions.map(async (question) => {
        const { runId } = await startAsk(fleet.services, { accountId: dealsId, question });
        return waitForAsk(fleet.services, runId, { timeoutMs: 240_000 });
      })),
      (async () => waitForReport(fleet.services, await launchRun(fleet.services, await planSummarize(fleet.services, { accountId: dealsId, from, to })), { timeoutMs: 240_000 }))(),
    ]);
    expect(runs.map((r) => r.status)).toEqual(['answered', 'answered', 'answered']);
    expect(report.stats.missing).toBe(0);
    const account = fleet.sandbox.stats().accounts[dealsId]!;
    // All four really ran at once against this account: many requests, all governed.
    const stepRequests = runs.flatMap((r) => r.turns.flatMap((t) => t.calls)).reduce((n, c) => n + (c.requests ?? 0), 0);
    expect(stepRequests).toBeGreaterThan(10);
    expect(account.requests).toBeGreaterThan(stepRequests);
    expect(account.rateLimited, JSON.stringify(account.rateLimitedBy)).toBe(0);
    expect(maxInAnyWindow(account.arrivalsMs, 1000)).toBeLessThanOrEqual(3);
  }, 300_000);
});
