/**
 * buildReport: the fan-in of a run. Every planned call lands in the appendix (summarized now, from
 * a cache, or missing with its reason), only real summaries reach the reduce, citations become
 * links to the moment in the call, and the deal context (or why it is missing) is carried over.
 * Fake LLM client and in-memory cache; no queue, no sandbox.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, type BuildInput } from '../../src/reports/build.ts';
import type { CallRef, CallSummary, Finding, StoredTranscript } from '../../src/shared/domain/index.ts';
import { FakeLlm, memoryLlmCache } from '../helpers/fake-llm.ts';

const ACCOUNT = 'acct-1';

const ref = (callId: string, day: number, url = `https://app.gong.io/call?id=${callId}`): CallRef => ({
  callId,
  title: `Globex call ${callId}`,
  started: `2026-03-${String(day).padStart(2, '0')}T15:00:00Z`,
  url,
  speakers: {},
});

const finding = (callId: string, timestamp: string): Finding => ({
  category: 'objection',
  summary: `concern on ${callId}`,
  speaker: 'Dana Buyer',
  timestamp,
  quote: `On call ${callId} we said the rollout timeline is too tight for us.`,
});

const summary = (callId: string, timestamp: string, tokens: number): CallSummary => ({
  callId,
  findings: [finding(callId, timestamp)],
  customerSentiment: 'negative',
  sentimentEvidence: '',
  chunks: 2,
  promptTokens: tokens,
  completionTokens: 10,
  maxPromptTokens: tokens / 2,
});

// Planned out of order on purpose: the appendix is in start-time order.
const calls = [ref('30', 3), ref('10', 1), ref('50', 5, 'https://gong.example/call/50'), ref('20', 2), ref('40', 4)];

function setup() {
  const universe = calls.map((c) => ({ ...finding(c.callId, '00:01:15'), callId: c.callId }));
  const llm = new FakeLlm({ universe, citationsPerPoint: 10 });
  const { cache } = memoryLlmCache();
  // A transcript with speech (an empty one would be Gong's final "no transcript", its own status).
  const stored: StoredTranscript = {
    transcript: { callId: '20', transcript: [{ speakerId: 's1', sentences: [{ start: 75_000, end: 79_000, text: 'The rollout timeline is too tight.' }] }] },
    hash: 'f'.repeat(64),
  };
  const transcripts = { get: async (_a: string, callId: string) => (callId === '20' ? stored : undefined) };
  const input: BuildInput = {
    runId: 'r-test',
    kind: 'autopsy',
    accountId: ACCOUNT,
    subject: 'Globex Corporation',
    window: { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' },
    calls,
    deal: { name: 'Globex - Platform', crmId: '006GLOBEX' },
    summaries: new Map<string, CallSummary & { cached?: boolean }>([
      ['10', summary('10', '00:01:15', 800)], // summarized by this run
      ['30', { ...summary('30', '00:01:15', 500), cached: true }], // a child found it cached
      ['50', summary('50', '00:01:15', 600)],
    ]),
    // 20: no child result, but an earlier run cached its summary (looked up by transcript hash).
    missing: new Map([['40', 'summarize-call failed after 3 attempts: LLM request failed (500)']]),
    context: {
      tasks: { open: [{ id: 't1', title: 'Send security whitepaper', status: 'OPEN', userId: 'u1' }], done: [{ id: 't2', title: 'Book technical deep dive', status: 'DONE', userId: 'u1' }], dismissed: [] },
      brief: { status: 'available', sections: [{ title: 'Next steps', summary: ['Whitepaper promised'] }] },
    },
  };
  return { llm, cache, transcripts, input, stored };
}

describe('buildReport', () => {
  it('lists every planned call once, in start-time order, with how it got its summary or why it has none', async () => {
    const { llm, cache, transcripts, input, stored } = setup();
    await cache.set(cache.summaryKey(ACCOUNT, '20', stored.hash), summary('20', '00:01:15', 700));
    const r = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, { ...input, missing: new Map([...input.missing]) });
    expect(r.calls.map((c) => [c.callId, c.status])).toEqual([
      ['10', 'summarized'],
      ['20', 'cached'],
      ['30', 'cached'],
      ['40', 'missing'],
      ['50', 'summarized'],
    ]);
    expect(r.calls.find((c) => c.callId === '40')?.reason).toBe('summarize-call failed after 3 attempts: LLM request failed (500)');
    expect(r.calls.find((c) => c.callId === '10')).toMatchObject({ findings: 1, chunks: 2, title: 'Globex call 10' });
    // Tokens spent by this run only: the cached summaries cost nothing now.
    expect(r.stats).toMatchObject({ callsConsidered: 5, summarized: 2, fromCache: 2, missing: 1, mapPromptTokens: 1400, mapCompletionTokens: 20, reduceLlmCalls: 1 });
  });

  it('a call with neither a summary nor a reason is missing with a generic reason, not dropped', async () => {
    const { llm, cache, transcripts, input } = setup();
    const r = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, input);
    expect(r.calls.find((c) => c.callId === '20')).toMatchObject({ status: 'missing', reason: 'no summary was produced', findings: 0 });
    expect(r.calls).toHaveLength(5);
  });

  it('reduces only real summaries, and links each citation to its moment in its call', async () => {
    const { llm, cache, transcripts, input } = setup();
    const r = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, input);
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]!.prompt).not.toContain(finding('40', '00:01:15').quote); // the failed call has no findings to give
    const cited = r.sections.objections.flatMap((p) => p.citations);
    expect(cited.map((c) => c.callId).sort()).toEqual(['10', '30', '50']);
    expect(cited.find((c) => c.callId === '10')).toEqual({
      callId: '10',
      title: 'Globex call 10',
      date: '2026-03-01',
      timestamp: '00:01:15',
      link: 'https://app.gong.io/call?id=10&t=75',
      quote: finding('10', '00:01:15').quote,
    });
    expect(cited.find((c) => c.callId === '50')?.link).toBe('https://gong.example/call/50?t=75');
    expect(r).toMatchObject({ kind: 'autopsy', runId: 'r-test', subject: 'Globex Corporation', deal: { name: 'Globex - Platform', crmId: '006GLOBEX' } });
    expect(r.stats.droppedCitations).toBe(0);
  });

  it('carries the deal context over, and says why when its job failed', async () => {
    const { llm, cache, transcripts, input } = setup();
    const ok = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, input);
    expect(ok.tasks?.open.map((t) => t.title)).toEqual(['Send security whitepaper']);
    expect(ok.tasks?.done.map((t) => t.title)).toEqual(['Book technical deep dive']);
    expect(ok.brief).toEqual({ status: 'available', sections: [{ title: 'Next steps', summary: ['Whitepaper promised'] }] });

    const failed = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, { ...input, context: { error: 'Truto 503 on create_a_gong_task' } });
    expect(failed.tasks).toEqual({ open: [], done: [], dismissed: [], note: 'tasks could not be fetched: Truto 503 on create_a_gong_task' });
    expect(failed.brief).toEqual({ status: 'unavailable', note: 'Truto 503 on create_a_gong_task', sections: [] });

    const { context: _none, ...summarize } = input;
    const plain = await buildReport({ llm: llm.asClient(), llmCache: cache, transcripts }, { ...summarize, kind: 'summarize' });
    expect(plain.tasks).toBeUndefined();
    expect(plain.brief).toBeUndefined();
  });

  it('refuses to write a report without a model', async () => {
    const { cache, transcripts, input } = setup();
    await expect(buildReport({ llm: undefined, llmCache: cache, transcripts }, input)).rejects.toThrow(/OPENAI_API_KEY is not set/);
  });
});
