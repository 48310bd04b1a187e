/**
 * A call's summary, from cache when the same transcript was summarized with the same prompt
 * version and model before; otherwise computed once (a short lock stops two jobs from summarizing
 * the same call at the same time; the loser waits for the winner's result). A stored transcript
 * without speech (Gong has none for an old call) is not sent to the model: there is nothing to find.
 */
import type { CallRef } from '../calls/calls.ts';
import { NonRetryableError, RetryAfterError, type Logger } from '../../platform/index.ts';
import type { LlmClient } from '../../upstream/index.ts';
import type { TranscriptStore } from '../transcripts/store.ts';
import type { LlmCache } from './cache.ts';
import { hasSpeech } from '../transcripts/readiness.ts';
import { renderTranscript } from '../transcripts/render.ts';
import { summarizeCall, type CallSummary, type ChunkCache, type ParsedChunk } from './map.ts';

/** What a cached call summary needs. `llm` is undefined when no OPENAI_API_KEY is configured. */
export interface SummarizeDeps {
  llm: LlmClient | undefined;
  llmCache: LlmCache;
  transcripts: Pick<TranscriptStore, 'get'>;
}

export async function summarizeCallCached(
  services: SummarizeDeps,
  accountId: string,
  call: CallRef,
  logger: Logger,
): Promise<{ summary: CallSummary; cached: boolean; noTranscript?: undefined } | { noTranscript: true }> {
  const stored = await services.transcripts.get(accountId, call.callId);
  if (!stored) throw new NonRetryableError(`no stored transcript for call ${call.callId} (expired or never fetched)`);
  if (!hasSpeech(stored.transcript)) return { noTranscript: true };
  const key = services.llmCache.summaryKey(accountId, call.callId, stored.hash, call.speakers);
  const hit = await services.llmCache.get<CallSummary>(key);
  if (hit) return { summary: hit, cached: true };
  if (!services.llm) throw new NonRetryableError('OPENAI_API_KEY is not set: cannot summarize calls');
  if (!(await services.llmCache.lock(key, 120_000))) {
    throw new RetryAfterError(`call ${call.callId} is being summarized by another job`, 2_000);
  }
  try {
    const lines = renderTranscript(stored.transcript, call.speakers);
    const cache = services.llmCache;
    // Keyed by the lines a chunk covers, so a call re-split after a refusal keeps what it finished.
    const chunks: ChunkCache = {
      get: (r) => cache.get<ParsedChunk>(`${key}:lines:${r.start}-${r.end}`),
      set: (r, v) => cache.set(`${key}:lines:${r.start}-${r.end}`, v),
    };
    const summary = await summarizeCall(services.llm, { callId: call.callId, title: call.title, started: call.started }, lines, chunks);
    await services.llmCache.set(key, summary);
    logger.debug({ chunks: summary.chunks, findings: summary.findings.length }, 'call summarized');
    return { summary, cached: false };
  } finally {
    await services.llmCache.unlock(key);
  }
}
