/**
 * Errors that steer control flow: the base classes every tier builds on. Every error the fleet
 * throws on purpose says whether retrying can help, and when a wait is known, how long; the worker
 * runtime maps that onto BullMQ (`NonRetryableError` → `UnrecoverableError`, `RetryAfterError` →
 * delay the job by `retryAfterMs` without spending an attempt). Patterned on inngest-js and bullmq.
 */
export interface FleetErrorOptions {
  cause?: unknown;
  /**
   * A wait the failure itself names (a rate limit's reset, Retry-After), in ms. Set it only on
   * retryable errors: it is what makes an error count as a `RetryAfterError`.
   */
  retryAfterMs?: number;
}

/** Base of all deliberate errors. `retryable` and `retryAfterMs` are what the worker runtime reads. */
export class FleetError extends Error {
  readonly retryable: boolean;
  /** The wait this failure names before a retry can succeed, in ms; undefined when it names none. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryable: boolean, options: FleetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FleetError';
    this.retryable = retryable;
    this.retryAfterMs = options.retryAfterMs === undefined ? undefined : Math.max(0, Math.ceil(options.retryAfterMs));
  }
}

/** Retrying cannot help (bad payload, missing scope, unknown id). Fails the job at once. */
export class NonRetryableError extends FleetError {
  constructor(message: string, options: Omit<FleetErrorOptions, 'retryAfterMs'> = {}) {
    super(message, false, options);
    this.name = 'NonRetryableError';
  }
}

/**
 * Retry after a known wait (rate limit reset, Retry-After, another job holding a claim).
 *
 * `instanceof RetryAfterError` is also true for any other retryable `FleetError` that names a wait:
 * an upstream 429 (`TrutoRateLimitError`) must stay a `TrutoApiError` for its callers, and a class
 * has one parent, so the wait is the brand. The worker runtime and the retry policy then need no
 * duck typing to recognise a rate limit.
 */
export class RetryAfterError extends FleetError {
  declare readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: Omit<FleetErrorOptions, 'retryAfterMs'> = {}) {
    super(message, true, { ...options, retryAfterMs });
    this.name = 'RetryAfterError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses (e.g. the governor's RateLimitWaitError) keep the ordinary prototype check.
    if (this !== RetryAfterError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value instanceof FleetError && value.retryable && value.retryAfterMs !== undefined;
  }
}

/**
 * The user asked for something that cannot be done (unknown account, inverted dates, bad file).
 * CLI commands print its message as one line and exit 2; nothing is enqueued.
 */
export class BadInputError extends NonRetryableError {
  constructor(message: string, options: Omit<FleetErrorOptions, 'retryAfterMs'> = {}) {
    super(message, options);
    this.name = 'BadInputError';
  }
}

/** True when an error says retrying may help; unknown errors (bugs, network) count as retryable. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof FleetError) return err.retryable;
  return true;
}
