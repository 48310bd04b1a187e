/**
 * What a response teaches the governor: how long the bucket must stay quiet. Pure functions of
 * status and headers, so the rules are unit-tested without Redis. Header names are lower-cased
 * (see `ObservedResponse`).
 */
import type { ObservedResponse } from '../gate.ts';
import type { LlmLimits } from './policy.ts';

/** How long to block a bucket after a response, and whether it was a 429. */
export interface Lesson {
  /** Milliseconds from now during which no process may call; 0 = no block. */
  blockMs: number;
  is429: boolean;
}

/** Both Truto tiers answer 429 with `Retry-After: 10`, and its SDK falls back to 10 s. */
export const DEFAULT_429_BLOCK_MS = 10_000;

/**
 * Parses a Go-style duration as OpenAI sends in `x-ratelimit-reset-*`: `1s`, `6m0s`, `120ms`,
 * `1h2m3.5s`. A bare number counts as seconds. Returns null when the text is not a duration.
 */
export function parseDurationMs(text: string | undefined): number | null {
  if (text === undefined) return null;
  const s = text.trim();
  if (s === '') return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let totalMs = 0;
  let end = 0;
  for (let m = part.exec(s); m !== null; m = part.exec(s)) {
    totalMs += Number(m[1]) * (unitMs[m[2] ?? ''] ?? 0);
    end = part.lastIndex;
  }
  return end === s.length && end > 0 ? totalMs : null;
}

/** `Retry-After` is delta seconds or an HTTP date (RFC 9110); returns ms from `nowMs`, or null. */
export function parseRetryAfterMs(text: string | undefined, nowMs: number): number | null {
  if (text === undefined || text.trim() === '') return null;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number.parseFloat(text);
  return Number.isFinite(n) ? n : null;
}

/** `ratelimit-limit: 3;w=1` → {limit: 3, windowMs: 1000}; the window is optional (Truto docs). */
export function parseRateLimitLimit(text: string | undefined): { limit: number; windowMs: number | null } | null {
  if (text === undefined) return null;
  const [head, ...params] = text.split(';');
  const limit = parseNumber(head);
  if (limit === null) return null;
  const w = params.map((p) => p.trim()).find((p) => p.startsWith('w='));
  const windowSeconds = w === undefined ? null : parseNumber(w.slice(2));
  return { limit, windowMs: windowSeconds === null ? null : windowSeconds * 1000 };
}

export interface TrutoLessonOptions {
  nowMs: number;
  /**
   * True when the fleet's own spacing already keeps us within `limit` per `windowMs`. A
   * `remaining: 0` for such a window then says nothing new, and obeying Truto's whole-second
   * `ratelimit-reset` would idle the account for up to a second after every third call.
   */
  alreadyEnforced?: (limit: number, windowMs: number) => boolean;
}

/**
 * Truto passes 429s through with `ratelimit-*` and often `retry-after` (delta seconds). Prefer
 * `retry-after`, then `ratelimit-reset`, then 10 s. A success with `ratelimit-remaining: 0`
 * blocks for `ratelimit-reset` unless the window is one the governor already enforces.
 */
export function trutoLesson(r: ObservedResponse, opts: TrutoLessonOptions): Lesson {
  const h = r.headers;
  const resetSeconds = parseNumber(h['ratelimit-reset']);
  const resetMs = resetSeconds === null ? null : Math.max(0, resetSeconds * 1000);
  if (r.status === 429) {
    const blockMs = parseRetryAfterMs(h['retry-after'], opts.nowMs) ?? resetMs ?? DEFAULT_429_BLOCK_MS;
    return { blockMs, is429: true };
  }
  const remaining = parseNumber(h['ratelimit-remaining']);
  if (remaining === null || remaining > 0 || resetMs === null) return { blockMs: 0, is429: false };
  const declared = parseRateLimitLimit(h['ratelimit-limit']);
  if (declared?.windowMs != null && opts.alreadyEnforced?.(declared.limit, declared.windowMs)) {
    return { blockMs: 0, is429: false };
  }
  return { blockMs: resetMs, is429: false };
}

/**
 * OpenAI sends `x-ratelimit-{remaining,reset}-{requests,tokens}` on every response (resets as
 * durations) and `retry-after-ms` / `retry-after` on some 429s. An exhausted dimension blocks
 * until its reset; a 429 blocks for the explicit retry-after, else the exhausted reset(s), else
 * the wait its message names ("Please try again in 1.5s"), else the nearest reset, else 10 s.
 */
export function llmLesson(r: ObservedResponse, nowMs: number): Lesson {
  const h = r.headers;
  const dims = (['requests', 'tokens'] as const).map((d) => ({
    remaining: parseNumber(h[`x-ratelimit-remaining-${d}`]),
    resetMs: parseDurationMs(h[`x-ratelimit-reset-${d}`]),
  }));
  const exhausted = dims
    .filter((d) => d.remaining !== null && d.remaining <= 0 && d.resetMs !== null)
    .map((d) => d.resetMs as number);
  const exhaustedMs = exhausted.length > 0 ? Math.max(...exhausted) : null;
  if (r.status !== 429) return { blockMs: exhaustedMs ?? 0, is429: false };
  const retryAfterMsHeader = parseNumber(h['retry-after-ms']);
  const anyReset = dims.map((d) => d.resetMs).filter((x): x is number => x !== null);
  const blockMs =
    retryAfterMsHeader ??
    parseRetryAfterMs(h['retry-after'], nowMs) ??
    exhaustedMs ??
    parseDurationMs(/try again in ((?:\d+(?:\.\d+)?(?:ms|µs|us|ns|h|m|s))+)/i.exec(r.message ?? '')?.[1]) ??
    (anyReset.length > 0 ? Math.min(...anyReset) : null) ??
    DEFAULT_429_BLOCK_MS;
  return { blockMs: Math.max(0, blockMs), is429: true };
}

/**
 * The per-minute limits an LLM server announces: `x-ratelimit-limit-{requests,tokens}` (OpenAI,
 * Azure, Groq, Together…), else, on a 429 without them, the limit its message names (OpenAI's
 * "…tokens per min (TPM): Limit 400000, Used …"). Only what the response says; absent = unknown.
 * Limits of other windows (Groq's per-day `x-ratelimit-limit-requests` pairs with a reset in hours)
 * are not per-minute: a limit whose reset exceeds a minute is ignored.
 */
export function llmAnnouncedLimits(r: ObservedResponse): Partial<LlmLimits> {
  const out: Partial<LlmLimits> = {};
  for (const [dim, field] of [['requests', 'requestsPerMinute'], ['tokens', 'tokensPerMinute']] as const) {
    const limit = parseNumber(r.headers[`x-ratelimit-limit-${dim}`]);
    const resetMs = parseDurationMs(r.headers[`x-ratelimit-reset-${dim}`]);
    if (limit !== null && limit > 0 && (resetMs === null || resetMs <= 60_000)) out[field] = limit;
  }
  if (r.status === 429 && r.message) {
    const m = /(requests|tokens) per min[^:]*:\s*Limit (\d+)/i.exec(r.message);
    const field = m?.[1]?.toLowerCase() === 'requests' ? 'requestsPerMinute' : 'tokensPerMinute';
    if (m?.[2] && out[field] === undefined) out[field] = Number(m[2]);
  }
  return out;
}
