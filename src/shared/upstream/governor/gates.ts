/**
 * `RequestGate`s backed by the governor, one per upstream. A short wait is slept inline (the
 * slot is already booked); a long one becomes `RateLimitWaitError` so the worker runtime parks
 * the job as delayed instead of holding a concurrency slot, until its slot enters the inline-wait
 * horizon (it then books it and sleeps the rest); an absurd one is a permanent failure.
 */
import type { GateKey, GateTicket, ObservedResponse, RequestGate } from '../gate.ts';
import { DailyBudgetExhaustedError, RateLimitWaitError } from '../errors.ts';
import { hashApiKey, llmBucket } from './policy.ts';
import type { RateGovernor, Reservation } from './rate-governor.ts';

export interface GateOptions {
  /** Longest wait slept inside `acquire`; longer waits throw `RateLimitWaitError`. Default 1500. */
  maxInlineWaitMs?: number;
  /**
   * Truto gate only: a slot whose timer fired later than this is given up and a new one booked.
   * Default 20. Why: slots are 1000/3 × 1.03 ms apart, so three gaps leave ~30 ms of slack in any
   * strict sliding second upstream; a request sent late (a stalled event loop on a busy machine)
   * followed by on-time ones would put four arrivals in one second and earn a 429 for the account.
   */
  lateToleranceMs?: number;
  /**
   * Truto gate only: most requests of one account (bucket) that may sleep in place for a booked
   * slot in this process at once; further ones are parked (`RateLimitWaitError` for their full
   * wait) instead of holding a worker slot. Why: at Gong's 3/s the 1.5 s horizon books ~5 slots
   * ahead, so without a cap a few busy accounts could fill every worker slot with sleepers while
   * other accounts' jobs wait. Default: no cap.
   */
  maxInlineSleepersPerBucket?: number;
  /** Told about failures inside `observe`, which never throws. Default: ignore. */
  onObserveError?: (err: unknown) => void;
}

async function settle(g: RateGovernor, r: Reservation): Promise<void> {
  if (r.reserved) {
    if (r.waitMs > 0) await g.sleep(r.waitMs);
    return;
  }
  const reason = r.reason ?? 'rate';
  if (r.waitMs > g.maxTotalWaitMs) throw new DailyBudgetExhaustedError(r.bucket, reason, r.waitMs);
  throw new RateLimitWaitError(r.bucket, reason, r.retryInMs, r.waitMs);
}

/**
 * Gate for Truto calls. `key.bucket` is the integrated account id. The API key is only hashed
 * (sha256, 16 hex chars) to name the per-token bucket; it is never stored or logged.
 */
export function trutoGate(g: RateGovernor, apiKey: string, opts: GateOptions = {}): RequestGate {
  const tokenHash = hashApiKey(apiKey);
  const maxAheadMs = opts.maxInlineWaitMs ?? 1500;
  const toleranceMs = opts.lateToleranceMs ?? 20;
  const maxSleepers = opts.maxInlineSleepersPerBucket;
  const sleepers = new Map<string, number>();
  const sleepOn = async (bucket: string, r: Reservation) => {
    sleepers.set(bucket, (sleepers.get(bucket) ?? 0) + 1);
    try {
      await settle(g, r);
    } finally {
      const left = (sleepers.get(bucket) ?? 1) - 1;
      if (left > 0) sleepers.set(bucket, left);
      else sleepers.delete(bucket);
    }
  };
  return {
    async acquire(key: GateKey) {
      // A few rebookings at most: under a sustained stall, sending late beats never sending.
      for (let rebooked = 0; ; rebooked++) {
        const askedAtMs = Date.now(); // the slot can't be earlier than the moment we asked
        const crowded = maxSleepers !== undefined && (sleepers.get(key.bucket) ?? 0) >= maxSleepers;
        // Crowded: book only a slot that is free now; otherwise come back when it would have been ours.
        const r = await g.reserveTruto(key.bucket, tokenHash, { maxAheadMs: crowded ? 0 : maxAheadMs });
        if (crowded && !r.reserved && r.waitMs <= g.maxTotalWaitMs) throw new RateLimitWaitError(r.bucket, r.reason ?? 'rate', r.waitMs, r.waitMs);
        if (r.reserved && r.waitMs > 0) await sleepOn(key.bucket, r);
        else await settle(g, r);
        const lateMs = Date.now() - (askedAtMs + r.waitMs);
        if (lateMs <= toleranceMs || rebooked >= 3) return;
      }
    },
    async observe(key: GateKey, response: ObservedResponse) {
      try {
        await g.observeTruto(key.bucket, response);
      } catch (err) {
        opts.onObserveError?.(err);
      }
    },
  };
}

export interface LlmGateOptions extends GateOptions {
  /**
   * Longest a request waits in place for room in a per-minute window before its job is delayed
   * instead. Default 30000. Why hold: every LLM job waits on the same bucket, so a held slot
   * serves nobody else, while a delayed map job would reload and re-split its transcript to resume.
   */
  maxHoldMs?: number;
}

/**
 * Gate for LLM calls. `key.bucket` is the model (with or without the `llm:` prefix) and
 * `key.cost` the estimated tokens (prompt + reserved output). Returns a ticket, so `observe`
 * can give back the tokens the answer did not use.
 */
export function llmGate(g: RateGovernor, opts: LlmGateOptions = {}): RequestGate {
  const maxAheadMs = opts.maxInlineWaitMs ?? 1500;
  const maxHoldMs = opts.maxHoldMs ?? 30_000;
  return {
    async acquire(key: GateKey): Promise<GateTicket> {
      const cost = Math.max(0, Math.ceil(key.cost ?? 1));
      const startedMs = Date.now();
      for (;;) {
        const r = await g.reserveLlm(llmBucket(key.bucket), cost, { maxAheadMs });
        const heldMs = Date.now() - startedMs;
        if (!r.reserved && r.reason === 'rate' && heldMs + r.retryInMs <= maxHoldMs) {
          await g.sleep(r.retryInMs);
          continue;
        }
        await settle(g, r);
        return { slotAtMs: r.slotAtMs, cost };
      }
    },
    async observe(key: GateKey, response: ObservedResponse) {
      try {
        await g.observeLlm(llmBucket(key.bucket), response);
      } catch (err) {
        opts.onObserveError?.(err);
      }
    },
  };
}
