/**
 * Reads outside a job (a producer's plan) have no BullMQ to retry a 429 that slipped through (a
 * few ms of jitter can squeeze a fourth arrival into Gong's strict sliding second). By then the
 * governor has learned the block from the 429; wait as the one retry policy says (the reset the
 * response named, capped at a minute, else backoff) and read again, a few times at most.
 */
import { retryDecision } from '../../platform/index.ts';
import { TrutoRateLimitError } from '../errors.ts';

/** Longest a producer sleeps on one 429 before reading again, in ms. */
const MAX_WAIT_MS = 60_000;

export async function rateRetry<T>(read: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof TrutoRateLimitError) || i >= attempts) throw err;
      const { delayMs } = retryDecision(
        { attempt: i, status: err.status, ...(err.resetMs === undefined ? {} : { retryAfterMs: err.resetMs }) },
        { maxServerDelayMs: MAX_WAIT_MS },
      );
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
