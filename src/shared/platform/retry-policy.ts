/**
 * Whether, and after how long, a failed upstream request is worth repeating. One pure function so
 * that BullMQ backoff, the rate governor and tests all agree (openai-node keeps the same decision in
 * one small place). Clients never loop on it themselves; they throw typed errors and let the job
 * runtime decide.
 */

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
}

export interface RetryPolicyOptions {
  /** First backoff step in ms. Default 500. */
  baseDelayMs?: number;
  /** Ceiling of the exponential backoff in ms (server-sent waits are not capped). Default 30_000. */
  maxDelayMs?: number;
  /** Attempts after which nothing is retried. Default Infinity (the job runtime counts attempts). */
  maxAttempts?: number;
  /** Uniform random in [0, 1) for full jitter. Default Math.random. */
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

/** Decides whether to retry a failed request and how long to wait first. Pure given its options. */
export function retryDecision(input: RetryInput, opts: RetryPolicyOptions = {}): RetryDecision {
  const baseDelayMs = opts.baseDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? Number.POSITIVE_INFINITY;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const attempt = Math.max(1, Math.floor(input.attempt));

  const what = input.status !== undefined ? `status ${input.status}` : (input.kind ?? 'connection error');
  if (input.status !== undefined && !RETRYABLE_STATUSES.has(input.status)) {
    const why = NEVER_RETRY_STATUSES.has(input.status) ? 'not retryable' : 'not a transient status';
    return { retry: false, delayMs: 0, reason: `${what}: ${why}` };
  }
  if (attempt >= maxAttempts) {
    return { retry: false, delayMs: 0, reason: `${what}: gave up after ${attempt} attempts` };
  }

  const server = serverDelayMs(input.headers, now());
  if (server) {
    return { retry: true, delayMs: server.delayMs, reason: `${what}: wait ${server.delayMs} ms from ${server.source}` };
  }

  // Full jitter (AWS architecture blog): spreads a thundering herd better than equal jitter.
  const ceilingMs = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  const delayMs = Math.floor(Math.min(0.999_999, Math.max(0, random())) * ceilingMs);
  return { retry: true, delayMs, reason: `${what}: backoff ${delayMs} ms (attempt ${attempt})` };
}
