/**
 * The fleet's one retry policy: whether, and after how long, a failed attempt is worth repeating.
 * One pure function, used by BullMQ's custom backoff strategy (`start-workers.ts`), by reads that
 * retry outside jobs (`retryRead`) and by the Truto errors' `retryable` flag, so they all agree
 * (openai-node keeps the same decision in one small place). Clients never loop on it themselves:
 * they throw typed errors and let the job runtime decide.
 *
 * A wait the failure names (a `RetryAfterError`, `retry-after`, `ratelimit-reset`) wins; otherwise
 * capped exponential backoff with equal jitter: attempt n waits between half and all of
 * min(maxDelayMs, baseDelayMs · 2^(n-1)). Equal rather than full jitter keeps a floor under each
 * wait, so a job's few attempts (3-5) span a flaky upstream's bad minute instead of all landing in
 * its first seconds (the faults drill in docs/reliability.md was measured with this policy).
 */
import { RetryAfterError } from './errors.ts';

/** What is known about the failed attempt. */
export interface RetryInput {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Response headers (any case; looked up case-insensitively). */
  headers?: Record<string, string>;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** Set when no response arrived. */
  kind?: 'timeout' | 'connection';
  /** A wait the failure already names (a `RetryAfterError`'s `retryAfterMs`), in ms; wins over headers. */
  retryAfterMs?: number;
}

export interface RetryPolicyOptions {
  /** First backoff step in ms (a job passes its contract's `backoffMs`). Default 1_000. */
  baseDelayMs?: number;
  /** Ceiling of the exponential backoff in ms. Default 60_000. */
  maxDelayMs?: number;
  /** Ceiling of a wait the server or the error names, in ms. Default Infinity (not capped). */
  maxServerDelayMs?: number;
  /** Attempts after which nothing is retried. Default Infinity (the job runtime counts attempts). */
  maxAttempts?: number;
  /** Uniform random in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
  /** Current time in ms, to turn an HTTP-date `retry-after` into a wait. Default Date.now. */
  now?: () => number;
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  /** Short human-readable reason, safe to log. */
  reason: string;
}

/**
 * Statuses where a later attempt can succeed. 408/425 are transient by definition, 429 is a rate
 * limit, 5xx cover Truto failures (500), upstream without a clean answer (502/504) and a blocked or
 * overloaded account (503).
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Statuses that are the caller's fault; repeating the same request returns the same answer. */
export const NEVER_RETRY_STATUSES: ReadonlySet<number> = new Set([400, 401, 402, 403, 404, 405, 409, 422]);

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function nonNegativeNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The wait a server asked for, in ms: `retry-after-ms`, then `retry-after` (delta seconds or an
 * HTTP date), then `ratelimit-reset` (delta seconds, as Truto normalises it). Undefined when no
 * usable header is present.
 */
export function serverDelayMs(
  headers: Record<string, string> | undefined,
  nowMs: number = Date.now(),
): { delayMs: number; source: string } | undefined {
  const ms = nonNegativeNumber(header(headers, 'retry-after-ms'));
  if (ms !== undefined) return { delayMs: Math.ceil(ms), source: 'retry-after-ms' };

  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = nonNegativeNumber(retryAfter);
    if (seconds !== undefined) return { delayMs: Math.ceil(seconds * 1000), source: 'retry-after' };
    const dateMs = Date.parse(retryAfter);
    if (Number.isFinite(dateMs)) return { delayMs: Math.max(0, dateMs - nowMs), source: 'retry-after date' };
  }

  // Truto may carry the window as a parameter on limit, never on reset; be lenient about `60;w=..`.
  const reset = header(headers, 'ratelimit-reset');
  const resetSeconds = nonNegativeNumber(reset?.split(';')[0]);
  if (resetSeconds !== undefined) return { delayMs: Math.ceil(resetSeconds * 1000), source: 'ratelimit-reset' };
  return undefined;
}

/** Decides whether to retry a failed attempt and how long to wait first. Pure given its options. */
export function retryDecision(input: RetryInput, opts: RetryPolicyOptions = {}): RetryDecision {
  const baseDelayMs = opts.baseDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 60_000;
  const maxServerDelayMs = opts.maxServerDelayMs ?? Number.POSITIVE_INFINITY;
  const maxAttempts = opts.maxAttempts ?? Number.POSITIVE_INFINITY;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const attempt = Math.max(1, Math.floor(input.attempt));

  const what = input.status !== undefined ? `status ${input.status}` : (input.kind ?? 'failure');
  if (input.status !== undefined && !RETRYABLE_STATUSES.has(input.status)) {
    const why = NEVER_RETRY_STATUSES.has(input.status) ? 'not retryable' : 'not a transient status';
    return { retry: false, delayMs: 0, reason: `${what}: ${why}` };
  }
  if (attempt >= maxAttempts) {
    return { retry: false, delayMs: 0, reason: `${what}: gave up after ${attempt} attempts` };
  }

  const named = input.retryAfterMs !== undefined && Number.isFinite(input.retryAfterMs) && input.retryAfterMs >= 0
    ? { delayMs: Math.ceil(input.retryAfterMs), source: 'the error' }
    : serverDelayMs(input.headers, now());
  if (named) {
    const delayMs = Math.min(named.delayMs, maxServerDelayMs);
    return { retry: true, delayMs, reason: `${what}: wait ${delayMs} ms from ${named.source}` };
  }

  const ceilingMs = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const r = Math.min(1, Math.max(0, random()));
  const delayMs = Math.round(ceilingMs / 2 + r * (ceilingMs / 2));
  return { retry: true, delayMs, reason: `${what}: backoff ${delayMs} ms (attempt ${attempt})` };
}

/**
 * The retry input an error gives for attempt `attempt`: the wait a `RetryAfterError` names (an
 * upstream 429, a governor wait), else nothing beyond the attempt number.
 */
export function retryInputOf(err: unknown, attempt: number): RetryInput {
  return err instanceof RetryAfterError ? { attempt, retryAfterMs: err.retryAfterMs } : { attempt };
}
