/**
 * Reads outside a job (a producer's plan: tools, discovery, roster, CRM integrations, tasks…) have
 * no BullMQ to retry them, so one transient failure would end a command that a job would have
 * shrugged off. `retryRead` gives them the same treatment a job gets, from the same one retry
 * policy (`retryDecision`): 5xx, timeouts and connection failures back off with jitter, a 429 or a
 * governor wait sleeps the reset it names (capped), and anything else (403, 404, a bad answer) is
 * thrown at once. Attempts are bounded; when they run out the error names the read and the last
 * failure.
 *
 * A read is retried whole: a paged read that fails on page 2 starts again from page 1. That costs
 * a request or two and keeps callers free of cursor bookkeeping.
 */
import { FleetError, RetryAfterError, retryDecision, type RetryInput } from '../../platform/index.ts';
import { ReadRetriesExhaustedError, TrutoApiError, TrutoConnectionError, TrutoTimeoutError } from '../errors.ts';

export interface ReadRetryOptions {
  /** Attempts in all, the first one included. Default 5 (a `truto-tool` job's attempts). */
  attempts?: number;
  /** First backoff step in ms; attempt n waits ½-1 × base·2^(n-1). Default 1_000. */
  baseDelayMs?: number;
  /** Longest single wait, also on a 429's reset or a governor wait, in ms. Default 60_000. */
  maxWaitMs?: number;
  /** Sleeps between attempts. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
  /** Told before each wait, e.g. to log it. Default: nothing. */
  onRetry?: (info: { label: string; attempt: number; delayMs: number; error: Error }) => void;
}

/** Attempts a read gets by default; a `truto-tool` job gets the same. */
export const READ_ATTEMPTS = 5;

/**
 * What the retry policy needs to know about a failed read, or undefined when repeating it cannot
 * help. Only the fleet's own retryable errors qualify: an unknown error in a read is a bug or a
 * parse failure, and the same answer would fail the same way.
 */
export function readRetryInput(err: unknown, attempt: number): RetryInput | undefined {
  if (!(err instanceof FleetError) || !err.retryable) return undefined;
  const named = err instanceof RetryAfterError ? { retryAfterMs: err.retryAfterMs } : {};
  if (err instanceof TrutoApiError) return { attempt, status: err.status, headers: err.headers, ...named };
  if (err instanceof TrutoTimeoutError) return { attempt, kind: 'timeout' };
  if (err instanceof TrutoConnectionError) return { attempt, kind: 'connection' };
  return { attempt, ...named };
}

/** Runs `read`, retrying transient failures under the one retry policy; `label` names it in the final error. */
export async function retryRead<T>(label: string, read: () => Promise<T>, opts: ReadRetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, Math.floor(opts.attempts ?? READ_ATTEMPTS));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const input = readRetryInput(err, attempt);
      if (!input) throw err;
      const decision = retryDecision(input, {
        maxAttempts: attempts,
        ...(opts.baseDelayMs === undefined ? {} : { baseDelayMs: opts.baseDelayMs }),
        maxDelayMs: opts.maxWaitMs ?? 60_000,
        maxServerDelayMs: opts.maxWaitMs ?? 60_000,
        ...(opts.random ? { random: opts.random } : {}),
      });
      if (!decision.retry) throw new ReadRetriesExhaustedError(label, attempt, err as Error);
      opts.onRetry?.({ label, attempt, delayMs: decision.delayMs, error: err as Error });
      await sleep(decision.delayMs);
    }
  }
}

/**
 * The helper's former name, when it retried only 429s. Kept so branches written against it keep
 * compiling; new code calls `retryRead` with a label.
 * @deprecated use retryRead
 */
export function rateRetry<T>(read: () => Promise<T>, attempts = 4): Promise<T> {
  return retryRead('upstream read', read, { attempts });
}
