/**
 * A job kind: its name, queue, payload schema, retry and timeout settings and a thin processor.
 * One file per kind under src/workers/; `catalog.ts` collects them. Producers enqueue by name with
 * a payload type-checked from the schema; workers re-validate on receipt.
 */
import type { Job } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../shared/platform/index.ts';
import type { QueueName } from '../queues/names.ts';
import type { FleetServices } from '../app/services.ts';

export interface JobContext {
  job: Job;
  /** Child logger bound to {queue, jobId, jobName, attempt, account}. */
  logger: Logger;
  services: FleetServices;
  /** Aborted when the job's timeout passes or the worker shuts down. */
  signal: AbortSignal;
  /** The worker's lock token, for moveToDelayed/moveToWaitingChildren. */
  token: string | undefined;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType, R = unknown> {
  name: string;
  queue: QueueName;
  schema: S;
  /** Attempts before the job fails for good. Rate-limit waits do not count. */
  attempts: number;
  /** First retry delay in ms; later ones grow exponentially with jitter, capped at 60 s. */
  backoffMs: number;
  /** Longest one attempt may run, in ms. */
  timeoutMs: number;
  /** True only for jobs allowed to call write tools (create/update/delete that change Gong). */
  writes?: boolean;
  process(payload: z.output<S>, ctx: JobContext): Promise<R>;
}

/** Identity helper that keeps the payload type of `process` tied to `schema`. */
export function defineJob<S extends z.ZodType, R>(def: JobDefinition<S, R>): JobDefinition<S, R> {
  return def;
}
