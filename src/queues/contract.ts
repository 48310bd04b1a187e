/**
 * A job kind's contract: everything producers and workers must agree on, and nothing else. The
 * name, the queue, the zod payload schema (producers validate before enqueueing; workers
 * re-validate on receipt), attempts, backoff, timeout and whether it may write to Gong. Workers
 * implement a contract with a processor (src/workers/define-job.ts); producers never see one.
 */
import type { z } from 'zod';
import type { QueueName } from './names.ts';

export interface JobContract<S extends z.ZodType = z.ZodType> {
  name: string;
  queue: QueueName;
  schema: S;
  /** Attempts before the job fails for good. Rate-limit waits do not count. */
  attempts: number;
  /**
   * Backoff base in ms, for the one retry policy (shared/platform/retry-policy.ts): retry n waits
   * between half and all of min(60 s, backoffMs · 2^(n-1)), unless the error names its own wait.
   */
  backoffMs: number;
  /** Longest one attempt may run, in ms. */
  timeoutMs: number;
  /** True only for jobs allowed to call write tools (create/update/delete that change Gong). Default false. */
  writes?: boolean;
}

/** Identity helper that keeps a contract's schema type precise. */
export function contract<S extends z.ZodType>(c: JobContract<S>): JobContract<S> {
  return c;
}
