/**
 * Fetches the transcripts of a set of calls with as few upstream requests as Gong allows: one
 * request to the account's transcripts tool (`create_a_gong_calls_transcript` in the seed) names
 * every call id (following the answer's pages in whichever shape it comes), and only calls not
 * already stored are asked for. A short claim per call
 * keeps two jobs (overlapping runs) from asking for the same transcript at the same time: the one
 * without the claim waits, as a delayed job, for the other to store it. An empty or absent
 * transcript of a call that just ended is "not ready" and never stored (readiness.ts).
 */
import type { CallRef } from '../calls/calls.ts';
import { RetryAfterError } from '../../platform/index.ts';
import {
  ArgumentHomeError,
  CallTranscript,
  TrutoScopeError,
  ToolAbsentError,
  UnknownToolError,
  loadCapabilities,
  type CapabilityTruto,
} from '../../upstream/index.ts';
import { hasSpeech, mayBeProcessing, notReadyReason } from './readiness.ts';
import type { TranscriptStore } from './store.ts';

/** What fetching transcripts needs: a (read-only) Truto client, the transcript store, the readiness rule. */
export interface FetchTranscriptsDeps {
  truto: CapabilityTruto;
  transcripts: Pick<TranscriptStore, 'stored' | 'claim' | 'release' | 'put'>;
  /** An empty transcript of a call that ended less than this many hours ago is not final (TRANSCRIPT_READY_HOURS). */
  transcriptReadyHours: number;
  /** Clock in epoch ms for the readiness rule. Default Date.now. */
  now?: () => number;
}

/**
 * Calls per transcript request. Gong pages transcripts; one batch is sized to one page, so the
 * plan's batch count is its request count.
 */
export const TRANSCRIPT_BATCH_SIZE = 10;

export interface FetchResult {
  /** Stored now, with speech. */
  fetched: string[];
  alreadyStored: string[];
  missing: { callId: string; reason: string }[];
  /** Recent calls whose transcript Gong has not finished: not stored, a later run fetches them. */
  notReady: { callId: string; reason: string }[];
  /** Older calls Gong has no transcript for: stored as empty (final), nothing to summarize. */
  noTranscript: string[];
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
  const result: FetchResult = { fetched: [], alreadyStored: [...stored], missing: [], notReady: [], noTranscript: [], requests: 0 };
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
  const nowMs = (services.now ?? Date.now)();
  const byId = new Map(calls.map((c) => [c.callId, c]));
  const notReady = (id: string) => {
    const call = byId.get(id);
    return call !== undefined && mayBeProcessing(call, services.transcriptReadyHours, nowMs);
  };
  const caps = await loadCapabilities(services.truto, accountId);
  for await (const page of caps.pages('transcripts', { filter }, { notFoundAsEmpty: true, ...(signal ? { signal } : {}) })) {
    result.requests += 1;
    for (const item of page.records) {
      const t = CallTranscript.parse(item);
      if (!wanted.includes(t.callId) || got.has(t.callId)) continue;
      got.add(t.callId);
      const transcript = { callId: t.callId, transcript: t.transcript.map((m) => ({ speakerId: m.speakerId ?? 'unknown', topic: m.topic ?? null, sentences: m.sentences })) };
      if (hasSpeech(transcript)) {
        await services.transcripts.put(accountId, transcript);
        result.fetched.push(t.callId);
      } else if (!notReady(t.callId)) {
        await services.transcripts.put(accountId, transcript);
        result.noTranscript.push(t.callId);
      }
      // else: empty while Gong processes the call; storing it would hide the real one for the TTL.
    }
  }
  if (result.requests === 0) result.requests = 1; // a 404 "no calls" answer is still a request
  const nowIso = new Date(nowMs).toISOString();
  for (const id of wanted) {
    if (result.fetched.includes(id) || result.noTranscript.includes(id)) continue;
    const call = byId.get(id);
    if (notReady(id)) {
      result.notReady.push({ callId: id, reason: notReadyReason(call ?? { started: nowIso }, nowMs) });
    } else if (!got.has(id)) {
      // Gong may leave out an old call it has no transcript for. Reported like an empty one, but not
      // stored: an absence is not an answer, and asking again next run costs a slot in a batch.
      result.noTranscript.push(id);
    }
  }
}

/**
 * Why no transcript of the account can be read, when `err` says so, else undefined: a 403 (the
 * missing Gong scope named when Truto's error insight lists it) or a transcript tool the account
 * does not have. Every batch of the run would fail the same way, so the run stops at the first.
 */
export function transcriptsUnreadable(err: unknown, accountId: string): string | undefined {
  const head = `no transcript can be read on account ${accountId}`;
  if (err instanceof TrutoScopeError) {
    const scope = err.missingScope;
    const where = `Truto ${err.status}${err.tool ? ` on ${err.tool}` : ''}`;
    return scope
      ? `${head}: its Gong connection lacks scope ${scope} (${where}); re-connect the integrated account in Truto granting ${scope}`
      : `${head}: Gong refused the transcript request (${err.message}); check the integrated account's scopes in Truto`;
  }
  // The account lists no transcripts tool (the capability layer's ToolAbsentError), or the one it
  // lists has no place for the call ids: every batch would fail the same way.
  if (err instanceof ToolAbsentError || err instanceof UnknownToolError || err instanceof ArgumentHomeError) return `${head}: ${err.message}`;
  return undefined;
}
