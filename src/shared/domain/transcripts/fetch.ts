/**
 * Fetches the transcripts of a set of calls with as few upstream requests as Gong allows: one
 * request to the account's transcripts tool (`create_a_gong_calls_transcript` in the seed) names
 * every call id (following the answer's pages in whichever shape it comes), and only calls not
 * already stored are asked for. A short claim per call
 * keeps two jobs (overlapping runs) from asking for the same transcript at the same time: the one
 * without the claim waits, as a delayed job, for the other to store it.
 */
import type { CallRef } from '../calls/calls.ts';
import { RetryAfterError } from '../../platform/index.ts';
import { CallTranscript, loadCapabilities, type CapabilityTruto } from '../../upstream/index.ts';
import type { TranscriptStore } from './store.ts';

/** What fetching transcripts needs: a (read-only) Truto client and the transcript store. */
export interface FetchTranscriptsDeps {
  truto: CapabilityTruto;
  transcripts: Pick<TranscriptStore, 'stored' | 'claim' | 'release' | 'put'>;
}

/**
 * Calls per transcript request. Gong pages transcripts; one batch is sized to one page, so the
 * plan's batch count is its request count.
 */
export const TRANSCRIPT_BATCH_SIZE = 10;

export interface FetchResult {
  fetched: string[];
  alreadyStored: string[];
  missing: { callId: string; reason: string }[];
  /** Upstream requests made. */
  requests: number;
}

export async function fetchTranscripts(
  services: FetchTranscriptsDeps,
  accountId: string,
  calls: CallRef[],
  signal?: AbortSignal,
): Promise<FetchResult> {
  const ids = calls.map((c) => c.callId);
  const stored = await services.transcripts.stored(accountId, ids);
  const unstored = ids.filter((id) => !stored.has(id));
  const result: FetchResult = { fetched: [], alreadyStored: [...stored], missing: [], requests: 0 };
  if (unstored.length === 0) return result;
  const wanted = await services.transcripts.claim(accountId, unstored, CLAIM_TTL_MS);
  const elsewhere = unstored.filter((id) => !wanted.includes(id));
  try {
    if (wanted.length > 0) await fetchClaimed(services, accountId, calls, wanted, result, signal);
  } finally {
    await services.transcripts.release(accountId, wanted);
  }
  if (elsewhere.length > 0) {
    // Another job is fetching these right now; come back when it has stored them.
    const nowStored = await services.transcripts.stored(accountId, elsewhere);
    if (nowStored.size < elsewhere.length) {
      throw new RetryAfterError(`${elsewhere.length - nowStored.size} transcript(s) are being fetched by another job`, 2_000);
    }
    result.alreadyStored.push(...nowStored);
  }
  return result;
}

/** How long a claim on fetching a call's transcript holds if its job dies mid-fetch. */
const CLAIM_TTL_MS = 60_000;

async function fetchClaimed(
  services: FetchTranscriptsDeps,
  accountId: string,
  calls: CallRef[],
  wanted: string[],
  result: FetchResult,
  signal?: AbortSignal,
): Promise<void> {
  // Gong returns only calls inside the date range, so the range spans the batch's calls.
  const starts = calls.filter((c) => wanted.includes(c.callId)).map((c) => Date.parse(c.started)).filter(Number.isFinite);
  const filter: Record<string, unknown> = { callIds: wanted };
  if (starts.length > 0) {
    filter.fromDateTime = new Date(Math.min(...starts) - 60_000).toISOString();
    filter.toDateTime = new Date(Math.max(...starts) + 60_000).toISOString();
  }
  const got = new Set<string>();
  const caps = await loadCapabilities(services.truto, accountId);
  for await (const page of caps.pages('transcripts', { filter }, { notFoundAsEmpty: true, ...(signal ? { signal } : {}) })) {
    result.requests += 1;
    for (const item of page.records) {
      const t = CallTranscript.parse(item);
      if (!wanted.includes(t.callId) || got.has(t.callId)) continue;
      got.add(t.callId);
      await services.transcripts.put(accountId, {
        callId: t.callId,
        transcript: t.transcript.map((m) => ({ speakerId: m.speakerId ?? 'unknown', topic: m.topic ?? null, sentences: m.sentences })),
      });
      result.fetched.push(t.callId);
    }
  }
  if (result.requests === 0) result.requests = 1; // a 404 "no calls" answer is still a request
  for (const id of wanted) if (!got.has(id)) result.missing.push({ callId: id, reason: 'Gong returned no transcript for this call' });
}
