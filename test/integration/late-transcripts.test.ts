/**
 * Late transcripts (issue 10 item 7): Gong keeps a call's transcript empty for a while after the
 * call. The sandbox plays that (`lateTranscriptMinutes`: two Globex calls that ended 30 and 12
 * minutes ago answer `transcript: []`). A run lists them as "transcript not ready" and stores
 * nothing for them; once the sandbox has processed them, a re-run fetches exactly those two and
 * summarizes them. An empty transcript of a call older than TRANSCRIPT_READY_HOURS is final:
 * stored once, reported as "no transcript", never sent to the model. Real Redis, real sandbox
 * over HTTP, in-process workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { renderMarkdown } from '../../src/reports/markdown.ts';
import type { RunReport } from '../../src/reports/model.ts';
import { callRefFrom, discoverCalls, fetchTranscripts, type CallRef } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

const LATE_MINUTES = 60;
const DAY_MS = 86_400_000;

async function summarizeIds(fleet: TestFleet, callIds: string[]) {
  const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, callIds });
  const report = await waitForReport(fleet.services, await launchRun(fleet.services, plan), { timeoutMs: 50_000, pollMs: 100 });
  return { plan, report };
}

const statusOf = (r: RunReport, id: string) => r.calls.find((c) => c.callId === id)?.status;

describe('transcripts of calls that just ended', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet | undefined;
  let late: string[];
  let ready: string[];

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'late', sandbox: { callsPerAccount: 12, lateTranscriptMinutes: LATE_MINUTES } });
    late = fleet.sandbox.lateCallIds;
    const to = new Date();
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * DAY_MS), to });
    ready = found.calls.map((c) => c.metaData.id).filter((id) => !late.includes(id)).slice(0, 3);
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
  });

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it('first run: lists the two recent calls as not ready, stores nothing for them, summarizes the rest', async () => {
    expect(late).toHaveLength(2);
    expect(fleet.services.transcriptReadyHours).toBe(24); // the config default
    const { plan, report } = await summarizeIds(fleet, [...late, ...ready]);
    expect(plan.storedCallIds).toEqual([]);

    for (const id of late) expect(statusOf(report, id)).toBe('not-ready');
    for (const id of ready) expect(statusOf(report, id)).toBe('summarized');
    expect(report.stats).toMatchObject({ callsConsidered: 5, summarized: 3, notReady: 2, missing: 0, noTranscript: 0 });
    expect(report.incomplete).toBeUndefined();
    expect(report.calls.find((c) => c.callId === late[0])?.reason).toMatch(/^transcript not ready: Gong is still processing the call \(the call ended \d+ min ago\)/);
    expect((await fleet.services.transcripts.stored(fleet.accountId, late)).size).toBe(0);
    expect((await fleet.services.transcripts.stored(fleet.accountId, ready)).size).toBe(3);

    const md = renderMarkdown(report);
    expect(md).toContain('## Transcripts not ready');
    for (const id of late) expect(md).toMatch(new RegExp(`\\| \\[[^\\]]+\\]\\([^)]+\\) \`${id}\` \\| [0-9-]+ \\| transcript not ready \\|`));
  });

  it('after Gong has processed them, a re-run fetches exactly those two and reports them summarized', async () => {
    const res = await fetch(`${fleet.sandbox.url}/_sandbox/late-transcripts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 0 }),
    });
    expect(res.status).toBe(200);
    fleet.sandbox.resetStats();

    const { plan, report } = await summarizeIds(fleet, [...late, ...ready]);
    expect([...plan.storedCallIds].sort()).toEqual([...ready].sort());
    expect(plan.batches.flat().map((c) => c.callId).sort()).toEqual([...late].sort());
    expect(fleet.sandbox.stats().requestsByTool.create_a_gong_calls_transcript).toBe(1);

    for (const id of late) expect(statusOf(report, id)).toBe('summarized');
    for (const id of ready) expect(statusOf(report, id)).toBe('cached');
    expect(report.stats).toMatchObject({ summarized: 2, fromCache: 3, notReady: 0, missing: 0 });
    expect(report.calls.filter((c) => late.includes(c.callId)).every((c) => (c.chunks ?? 0) > 0)).toBe(true);
  });
});

describe('empty transcripts of older calls', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet | undefined;
  let late: CallRef[];

  beforeAll(async () => {
    // Calls that ended 12 and 30 minutes ago are "old" under a 6-minute readiness window.
    fleet = await startTestFleet({ label: 'notx', sandbox: { callsPerAccount: 8, lateTranscriptMinutes: LATE_MINUTES }, env: { TRANSCRIPT_READY_HOURS: '0.1' } });
    const to = new Date();
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - DAY_MS), to, callIds: fleet.sandbox.lateCallIds });
    late = found.calls.map(callRefFrom);
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
  });

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it("omitted by Gong: not ready while recent (even as Gong's 404 for only such calls), then no transcript, never stored", async () => {
    fleet.sandbox.setLateTranscripts({ minutes: LATE_MINUTES, shape: 'omit' });
    const r = await fetchTranscripts({ ...fleet.services, transcriptReadyHours: 24 }, fleet.accountId, late);
    expect(r.notReady.map((m) => m.callId).sort()).toEqual(late.map((c) => c.callId).sort());
    expect(r.fetched).toEqual([]);
    expect(r.noTranscript).toEqual([]);
    expect((await fleet.services.transcripts.stored(fleet.accountId, late.map((c) => c.callId))).size).toBe(0);

    // Older than the readiness window and still left out: no transcript, but nothing stored for an absence.
    const old = await fetchTranscripts(fleet.services, fleet.accountId, late);
    expect(old.noTranscript.sort()).toEqual(late.map((c) => c.callId).sort());
    expect(old.notReady).toEqual([]);
    expect((await fleet.services.transcripts.stored(fleet.accountId, late.map((c) => c.callId))).size).toBe(0);
    fleet.sandbox.setLateTranscripts({ minutes: LATE_MINUTES, shape: 'empty' });
  });

  it('stores them once as final, reports "no transcript" and never asks the model about them', async () => {
    expect(late.every((c) => c.durationSeconds !== undefined && c.durationSeconds > 0)).toBe(true);
    const first = await fetchTranscripts(fleet.services, fleet.accountId, late);
    expect(first.noTranscript.sort()).toEqual(late.map((c) => c.callId).sort());
    expect(first.notReady).toEqual([]);
    expect((await fleet.services.transcripts.stored(fleet.accountId, late.map((c) => c.callId))).size).toBe(2);

    fleet.sandbox.resetStats();
    const { plan, report } = await summarizeIds(fleet, late.map((c) => c.callId));
    expect(plan.batches).toEqual([]); // final: not asked again
    expect(report.calls.map((c) => c.status)).toEqual(['no-transcript', 'no-transcript']);
    expect(report.calls[0]?.reason).toBe('no transcript (Gong has none)');
    expect(report.stats).toMatchObject({ noTranscript: 2, summarized: 0, missing: 0, notReady: 0 });
    expect(report.headline).toBe('No findings: 2 calls have no transcript in Gong.');
    expect(report.incomplete).toBeUndefined();
    expect(fleet.sandbox.stats().requestsByTool.create_a_gong_calls_transcript ?? 0).toBe(0);
    expect(fleet.sandbox.stats().llm.requests).toBe(0);
  });
});
