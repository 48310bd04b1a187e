/**
 * Errors that steer control flow. Every error the fleet throws on purpose says whether retrying
 * can help; the worker runtime maps that onto BullMQ (`NonRetryableError` → `UnrecoverableError`,
 * `RetryAfterError` → delay the job by `retryAfterMs`). Patterned on inngest-js and bullmq.
 */
export interface FleetErrorOptions {
  cause?: unknown;
}

/** Base of all deliberate errors. `retryable` is the single fact the worker runtime reads. */
export class FleetError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options: FleetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FleetError';
    this.retryable = retryable;
  }
}

/** Retrying cannot help (bad payload, missing scope, unknown id). Fails the job at once. */
export class NonRetryableError extends FleetError {
  constructor(message: string, options: FleetErrorOptions = {}) {
    super(message, false, options);
    this.name = 'NonRetryableError';
  }
}

/** Retry after a known wait (rate limit reset, Retry-After). */
export class RetryAfterError extends FleetError {
  /** How long to wait before the next attempt, in milliseconds. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: FleetErrorOptions = {}) {
    super(message, true, options);
    this.name = 'RetryAfterError';
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}

/**
 * The user asked for something that cannot be done (unknown account, inverted dates, bad file).
 * CLI commands print its message as one line and exit 2; nothing is enqueued.
 */
export class BadInputError extends NonRetryableError {
  constructor(message: string, options: FleetErrorOptions = {}) {
    super(message, options);
    this.name = 'BadInputError';
  }
}

/** True when an error says retrying may help; unknown errors (bugs, network) count as retryable. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof FleetError) return err.retryable;
  return true;
}
