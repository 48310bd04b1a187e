/**
 * The two ways a gate refuses to hold a worker slot. Both carry the bucket and why it is waiting
 * so the worker runtime and logs can say which account is throttled and by what.
 */
import { NonRetryableError, RetryAfterError, type FleetErrorOptions } from '../errors.ts';

/** Why a request cannot go out now. */
export type WaitReason = 'blocked' | 'rate' | 'daily';

/**
 * The next slot is further away than a worker should sleep. "Delay the job by `retryAfterMs`,
 * don't burn an attempt": waiting on a limit is not a failure.
 */
export class RateLimitWaitError extends RetryAfterError {
  readonly bucket: string;
  readonly reason: WaitReason;
  /** Time until the earliest slot; `retryAfterMs` may be shorter (ask again once it is near). */
  readonly waitMs: number;
  constructor(bucket: string, reason: WaitReason, retryAfterMs: number, waitMs = retryAfterMs, options: FleetErrorOptions = {}) {
    super(`rate governor: ${bucket} is ${describe(reason)}; retry in ${Math.ceil(retryAfterMs)} ms`, retryAfterMs, options);
    this.name = 'RateLimitWaitError';
    this.bucket = bucket;
    this.reason = reason;
    this.waitMs = Math.ceil(waitMs);
  }
}

/**
 * The wait exceeds `maxTotalWaitMs` (usually Gong's daily budget spent early in the UTC day, or
 * a very long block): holding the job that long would hide the problem, so it fails for good.
 */
export class DailyBudgetExhaustedError extends NonRetryableError {
  readonly bucket: string;
  readonly reason: WaitReason;
  /** How long the governor would have made the caller wait. */
  readonly waitMs: number;
  constructor(bucket: string, reason: WaitReason, waitMs: number, options: FleetErrorOptions = {}) {
    super(
      `rate governor: ${bucket} is ${describe(reason)} for ${Math.ceil(waitMs / 60_000)} more minutes, longer than the fleet waits`,
      options,
    );
    this.name = 'DailyBudgetExhaustedError';
    this.bucket = bucket;
    this.reason = reason;
    this.waitMs = Math.ceil(waitMs);
  }
}

function describe(reason: WaitReason): string {
  if (reason === 'daily') return 'out of its daily request budget';
  if (reason === 'blocked') return 'blocked by upstream rate-limit headers';
  return 'at its request rate';
}
