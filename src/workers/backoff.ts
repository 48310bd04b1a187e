/**
 * BullMQ backoff for retried attempts: the error's own wait when it names one (Retry-After,
 * ratelimit-reset), otherwise capped exponential backoff with full jitter.
 */
import { rateLimitWaitMs } from './run-job.ts';

/** Base delay of the first retry when the job names none. */
const DEFAULT_BASE_MS = 1_000;
/** Cap for any single backoff. */
const CAP_MS = 60_000;

export function backoffDelayMs(
  attemptsMade: number,
  err?: Error,
  baseMs: number = DEFAULT_BASE_MS,
  random: () => number = Math.random,
): number {
  const named = err ? rateLimitWaitMs(err) : undefined;
  if (named !== undefined) return Math.min(named, CAP_MS);
  const ceiling = Math.min(CAP_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
