/**
 * Whether an empty transcript is Gong's last word. Gong keeps a call's transcript empty (or leaves
 * the call out of the answer) while it processes the recording, which can take hours after the
 * call ends. So an empty or absent transcript of a call that ended less than `readyHours` ago is
 * "not ready": never stored, reported on its own, fetched again by the next run. The same answer
 * for an older call is final: Gong has no transcript (not recorded, no speech); an empty one is
 * stored so later runs don't ask again (an absent one is not: absence is not an answer).
 */
import type { CallRef } from '../calls/calls.ts';
import type { CallTranscript } from './render.ts';

const HOUR_MS = 3_600_000;

/** When the call ended, in epoch ms (its start when Gong gave no duration); undefined if unknown. */
export function callEndedMs(call: Pick<CallRef, 'started' | 'durationSeconds'>): number | undefined {
  const startedMs = Date.parse(call.started);
  if (!Number.isFinite(startedMs)) return undefined;
  return startedMs + Math.max(0, call.durationSeconds ?? 0) * 1000;
}

/**
 * True when Gong may still be processing the call: it ended less than `readyHours` ago. A call
 * whose time is unknown counts as old (its empty transcript is final), so nothing is re-asked forever.
 */
export function mayBeProcessing(call: Pick<CallRef, 'started' | 'durationSeconds'>, readyHours: number, nowMs: number): boolean {
  const endedMs = callEndedMs(call);
  return endedMs !== undefined && nowMs - endedMs < readyHours * HOUR_MS;
}

/** True when the transcript has at least one spoken sentence. */
export function hasSpeech(t: Pick<CallTranscript, 'transcript'>): boolean {
  return t.transcript.some((m) => m.sentences.some((s) => s.text.trim() !== ''));
}

/** The appendix reason of a call whose transcript is not ready yet. */
export function notReadyReason(call: Pick<CallRef, 'started' | 'durationSeconds'>, nowMs: number): string {
  const endedMs = callEndedMs(call);
  const ago = endedMs === undefined ? '' : ` (the call ended ${formatAgo(nowMs - endedMs)} ago)`;
  return `transcript not ready: Gong is still processing the call${ago}; a later run fetches it`;
}

/** The appendix reason of an old call Gong has no transcript for. */
export const NO_TRANSCRIPT_REASON = 'no transcript (Gong has none)';

function formatAgo(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 90 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
