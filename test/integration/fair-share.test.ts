/**
 * Fair share end to end: two `gong-fleet worker` processes on a real Redis and the sandbox over
 * HTTP, a big summarize run (60 calls) on one account and, once it is under way, a small one (20
 * calls) on another. Proof from BullMQ's own records of the llm queue: with fair sharing, every
 * summary of the small run has finished before the big run's last summaries start; with
 * FAIR_SHARE=off (plain FIFO, the control that shows the check can fail) the small run's first
 * summary starts only after every big-run summary has started.
 */
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

const BIG_CALLS = 60;
const to = new Date();
const from = new Date(to.getTime() - 30 * 86_400_000);

interface Timeline {
  bigStarts: number[];
  smallStarts: number[];
  smallFinishes: number[];
}

let fleet: TestFleet | undefined;
let workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await fleet?.close();
  fleet = undefined;
});

/** Big run on the deals account, then the small run on an extra account once the big one is under way. */
async function bigThenSmall(fairShare: 'on' | 'off'): Promise<Timeline> {
  fleet = await startTestFleet({
    label: `fair-${fairShare}`,
    // A model that takes ~0.4 s per summary, like a (fast) hosted one: the llm queue, 2 × 2 slots, is the bottleneck.
    sandbox: { callsPerAccount: BIG_CALLS, extraAccounts: 1, llm: { latencyBaseMs: 300 } },
    env: { FAIR_SHARE: fairShare },
  });
  const f = fleet;
  workers = await Promise.all([0, 1].map(() => startWorkerProcess(f.env, ['--concurrency', '2'])));
  const small = f.sandbox.world.accounts[3]!.id;
  const bigPlan = await planSummarize(f.services, { accountId: f.accountId, from, to });
  const smallPlan = await planSummarize(f.services, { accountId: small, from, to });
  expect(bigPlan.calls.length).toBeGreaterThanOrEqual(BIG_CALLS);
  expect(smallPlan.calls.length).toBeGreaterThanOrEqual(10);

  const bigId = await launchRun(f.services, bigPlan, { lane: 'interactive' });
  // Under way, with its whole backlog queued: every transcript fetched, so every summary job added.
  await expect.poll(async () => {
    const p = await readRun(f.redis, f.prefix, bigId);
    return p.summarized >= 4 && p.transcriptsFetched + p.transcriptsCached >= bigPlan.calls.length;
  }, { timeout: 60_000, interval: 100 }).toBe(true);
  const smallId = await launchRun(f.services, smallPlan, { lane: 'interactive' });
  await Promise.all([bigId, smallId].map((id) => waitForReport(f.services, id, { timeoutMs: 180_000, pollMs: 100 })));

  const done = await f.services.queues.queue('llm').getJobs(['completed'], 0, -1);
  const of = (runId: string) => done.filter((j: Job) => j.id?.startsWith(`${runId}.sum.`));
  const big = of(bigId);
  const smallJobs = of(smallId);
  expect(big.length).toBe(bigPlan.calls.length);
  expect(smallJobs.length).toBe(smallPlan.calls.length);
  return {
    bigStarts: big.map((j) => j.processedOn!).sort((a, b) => a - b),
    smallStarts: smallJobs.map((j) => j.processedOn!).sort((a, b) => a - b),
    smallFinishes: smallJobs.map((j) => j.finishedOn!).sort((a, b) => a - b),
  };
}

describe('fair share with real worker processes', () => {
  it('a small run started after a big one completes before the big run\'s last jobs start', async () => {
    const t = await bigThenSmall('on');
    const smallDone = t.smallFinishes.at(-1)!;
    const bigLastStart = t.bigStarts.at(-1)!;
    const bigStartedAfterSmallDone = t.bigStarts.filter((s) => s > smallDone).length;
    expect(smallDone).toBeLessThan(bigLastStart);
    // Not by a hair: a good part of the big run was still waiting when the small run was done.
    expect(bigStartedAfterSmallDone).toBeGreaterThanOrEqual(10);
  }, 240_000);

  it('control: with FAIR_SHARE=off (FIFO) the small run waits behind every big-run job', async () => {
    const t = await bigThenSmall('off');
    expect(t.smallStarts[0]!).toBeGreaterThanOrEqual(t.bigStarts.at(-1)!);
  }, 240_000);
});
