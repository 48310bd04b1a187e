/**
 * A job kind as a worker runs it: its contract (src/queues/catalog.ts: name, queue, payload
 * schema, retries, timeout, writes) plus a thin processor that validates nothing itself (run-job
 * did) and calls into shared/domain. One file per kind under src/workers/; `jobs.ts` collects them.
 */
import type { Job } from 'bullmq';
import type { z } from 'zod';
import type { JobContract } from '../queues/contract.ts';
import type { Logger } from '../shared/platform/index.ts';
import type { WorkerServices } from './services.ts';

export interface JobContext {
  job: Job;
  /** Child logger bound to {queue, jobId, jobName, attempt, account}. */
  logger: Logger;
  /** A read-only view (no write tools) unless the contract says `writes: true`. */
  services: WorkerServices;
  /** Aborted when the job's timeout passes or the worker shuts down. */
  signal: AbortSignal;
  /** The worker's lock token, for moveToDelayed/moveToWaitingChildren. */
  token: string | undefined;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType, R = unknown> extends JobContract<S> {
  process(payload: z.output<S>, ctx: JobContext): Promise<R>;
}

/** Identity helper that keeps the payload type of `process` tied to `schema` (tests define ad-hoc kinds with it). */
export function defineJob<S extends z.ZodType, R>(def: JobDefinition<S, R>): JobDefinition<S, R> {
  return def;
}

/** A catalog contract with its processor: the payload type comes from the contract's schema. */
export function implement<S extends z.ZodType, R>(
  contract: JobContract<S>,
  process: (payload: z.output<S>, ctx: JobContext) => Promise<R>,
): JobDefinition<S, R> {
  return { ...contract, process };
}
