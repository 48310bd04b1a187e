/**
 * Producer-side reads (plans) run outside a job, so BullMQ would not retry a 429 that slipped
 * through (a few ms of jitter can squeeze a fourth arrival into Gong's strict sliding second). By
 * then the governor has learned the block from the 429; wait the reset and read again, a few
 * times at most.
 */
import { TrutoRateLimitError } from '../index.ts';

export async function rateRetry<T>(read: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof TrutoRateLimitError) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(err.resetMs ?? 1_000, 60_000)));
    }
  }
}
