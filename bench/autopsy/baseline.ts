/**
 * The seed article's approach, for comparison: one loop, no queue, no governor, no cache. It
 * lists the window's calls, asks `create_a_gong_calls_transcript` for one call at a time, sends
 * each whole transcript to the model with the fleet's own map prompt (splitting naively by line
 * count, doubling the parts, when the model refuses it for the context window), reduces with the
 * fleet's reduce step, and on any 429 sleeps `ratelimit-reset` and starts the whole run over, at
 * most `maxAttempts` times (the seed's `maxRetries = 3`).
 *
 * `interleaved` reads a transcript then analyses it (an agent can't hold 60 hour-long transcripts
 * in context); `fetch-first` fetches every transcript first, as "iterate through the call IDs,
 * fetching the transcripts" reads, which is what trips Gong's 3/s limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { discoverCalls, callRefFrom, type CallRef, mapMessages, CallFindings, SCHEMA_NAMES, type CitedFinding, LlmCache, reduceFindings, renderTranscript, type RenderedLine } from '../../src/shared/domain/index.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { RetryAfterError } from '../../src/shared/platform/index.ts';
import {
  ContextOverflowError,
  LlmClient,
  TrutoClient,
  TrutoRateLimitError,
  CallTranscriptsResponse,
  memoryFactsStore,
  type ServerFactsStore,
} from '../../src/shared/upstream/index.ts';
import { sandboxCounters, type RunMeasure } from './measure.ts';

export type BaselineOrder = 'interleaved' | 'fetch-first';

export interface BaselineOptions {
  sandbox: Sandbox;
  redis: Redis;
  prefix: string;
  accountId: string;
  order: BaselineOrder;
  /** Whole-run attempts before giving up, as the seed's loop. Default 3. */
  maxAttempts?: number;
}

export interface BaselineResult extends RunMeasure {
  attempts: number;
  /** Time slept on 429s, ms. */
  sleptMs: number;
  completed: boolean;
}

/** Whatever the sandbox's window is, a huge context makes the client send whole transcripts as-is. */
const NO_CLIENT_SIDE_LIMIT_TOKENS = 10_000_000;

export async function runBaseline(opts: BaselineOptions): Promise<BaselineResult> {
  const env = opts.sandbox.env;
  const truto = new TrutoClient({ baseUrl: env.TRUTO_BASE_URL, apiKey: env.TRUTO_API_KEY });
  const llmOpts = { baseUrl: env.OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, maxOutputTokens: 2_048 };
  // The seed's agent learns nothing from refusals: a window it never lowers, no probe.
  const naiveLlm = new LlmClient({ ...llmOpts, contextTokens: NO_CLIENT_SIDE_LIMIT_TOKENS, probe: false, facts: forgetfulFacts() });
  // Its reduce is the fleet's, told the window (the sandbox no longer exports it).
  const reduceLlm = new LlmClient({ ...llmOpts, contextTokens: opts.sandbox.llmSettings.contextWindowTokens });
  const maxAttempts = opts.maxAttempts ?? 3;
  opts.sandbox.resetStats();
  const startedMs = Date.now();
  let sleptMs = 0;
  let last = { calls: 0, summarized: 0, reduceLlmCalls: 0, reduceCompletionTokens: 0, mapCompletionTokens: 0, chunked: 0 };
  let outcome = '';
  let attempt = 0;
  let completed = false;
  while (attempt < maxAttempts) {
    attempt += 1;
    // A fresh cache per attempt: the seed keeps nothing between attempts.
    const cache = new LlmCache({ redis: opts.redis, prefix: `${opts.prefix}:a${attempt}`, ttlSeconds: 3600, model: env.OPENAI_MODEL });
    const state = { calls: 0, summarized: 0, reduceLlmCalls: 0, reduceCompletionTokens: 0, mapCompletionTokens: 0, chunked: 0 };
    last = state;
    try {
      const to = new Date();
      const found = await discoverCalls({ truto }, { accountId: opts.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
      const calls = found.calls.map(callRefFrom);
      state.calls = calls.length;
      const perCall: { callId: string; findings: CitedFinding[]; sentiment: string }[] = [];
      const analyse = async (call: CallRef, lines: RenderedLine[]) => {
        const r = await mapNaively(naiveLlm, call, lines);
        state.summarized += 1;
        state.mapCompletionTokens += r.completionTokens;
        if (r.parts > 1) state.chunked += 1;
        perCall.push({ callId: call.callId, findings: r.findings, sentiment: r.sentiment });
      };
      if (opts.order === 'interleaved') {
        for (const call of calls) await analyse(call, await fetchOne(truto, opts.accountId, call));
      } else {
        const all: RenderedLine[][] = [];
        for (const call of calls) all.push(await fetchOne(truto, opts.accountId, call));
        for (const [i, call] of calls.entries()) await analyse(call, all[i] ?? []);
      }
      const reduced = await reduceFindings(reduceLlm, cache, { subject: `calls of ${opts.accountId}`, calls: perCall });
      state.reduceLlmCalls = reduced.llmCalls;
      state.reduceCompletionTokens = reduced.completionTokens;
      completed = true;
      outcome = `report after ${attempt} attempt(s)`;
      break;
    } catch (err) {
      if (!(err instanceof TrutoRateLimitError || err instanceof RetryAfterError)) throw err;
      const waitMs = (err instanceof TrutoRateLimitError ? err.resetMs : err.retryAfterMs) ?? 60_000;
      outcome = `gave up: 429 on attempt ${attempt} of ${maxAttempts} ("Max retries exceeded for Gong rate limits")`;
      if (attempt >= maxAttempts) break;
      sleptMs += waitMs;
      await sleep(waitMs);
    }
  }
  const counters = sandboxCounters(opts.sandbox);
  return {
    runId: `baseline-${opts.order}`,
    wallMs: Date.now() - startedMs,
    calls: last.calls,
    summarized: completed ? last.summarized : 0,
    summarizedNow: completed ? last.summarized : 0,
    missing: completed ? 0 : last.calls,
    ...counters,
    mapLlmRequests: counters.llmRequests - last.reduceLlmCalls,
    mapCompletionTokens: last.mapCompletionTokens,
    reduceLlmCalls: last.reduceLlmCalls,
    reduceCompletionTokens: last.reduceCompletionTokens,
    chunkedCalls: last.chunked,
    outcome,
    attempts: attempt,
    sleptMs,
    completed,
  };
}

/** One transcript request for one call, as the seed's agent makes it. */
async function fetchOne(truto: TrutoClient, accountId: string, call: CallRef): Promise<RenderedLine[]> {
  const started = Date.parse(call.started);
  const res = await truto.callTool(accountId, 'create_a_gong_calls_transcript', {
    filter: {
      callIds: [call.callId],
      fromDateTime: new Date(started - 60_000).toISOString(),
      toDateTime: new Date(started + 60_000).toISOString(),
    },
  });
  const t = CallTranscriptsResponse.parse(res.body).callTranscripts.find((x) => x.callId === call.callId);
  if (!t) return [];
  const transcript = t.transcript.map((m) => ({ speakerId: m.speakerId ?? 'unknown', topic: m.topic ?? null, sentences: m.sentences }));
  return renderTranscript({ callId: t.callId, transcript }, call.speakers);
}

/** Whole transcript first; on a context refusal, 2, 4, 8… equal parts by line count, all redone. */
async function mapNaively(llm: LlmClient, call: CallRef, lines: RenderedLine[]) {
  for (let parts = 1; ; parts *= 2) {
    const size = Math.ceil(lines.length / parts);
    const out = { findings: [] as CitedFinding[], sentiment: 'neutral', completionTokens: 0, parts };
    try {
      for (let i = 0; i < parts; i += 1) {
        const slice = lines.slice(i * size, (i + 1) * size).map((l) => l.line);
        const res = await llm.parse(CallFindings, SCHEMA_NAMES.callFindings, mapMessages(call, slice, { index: i, of: parts }));
        out.completionTokens += res.completionTokens;
        out.findings.push(...res.value.findings.map((f) => ({ ...f, callId: call.callId })));
        if (i === 0) out.sentiment = res.value.customerSentiment;
      }
      return out;
    } catch (err) {
      if (!(err instanceof ContextOverflowError) || size <= 1) throw err;
    }
  }
}

/** A facts store that forgets every lesson: the baseline's client keeps sending whole transcripts. */
function forgetfulFacts(): ServerFactsStore {
  const store = memoryFactsStore();
  return { ...store, lowerWindow: async () => {}, addRatioSample: async () => {}, raiseProven: async () => {} };
}
