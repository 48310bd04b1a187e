/**
 * Starts BullMQ workers for the fleet's queues in this process and returns a handle that closes
 * them under a deadline. Each worker has an `error` listener (an unhandled one would crash the
 * process on a Redis blip) and the `fleet` backoff strategy: the one retry policy
 * (shared/platform/retry-policy.ts) with the job's contract `backoffMs` as its base. Every job that
 * completes or fails for good is counted for fair sharing's per-account share (queues/fair).
 */
import { setMaxListeners } from 'node:events';
import { Worker, type Job, type MinimalJob, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { FairAccounting, laneOf, shareOf } from '../queues/fair/index.ts';
import { QUEUE_NAMES, type QueueName } from '../queues/names.ts';
import { retryDecision, retryInputOf, type Logger } from '../shared/platform/index.ts';
import type { JobDefinition } from './define-job.ts';
import { runJob } from './run-job.ts';
import type { WorkerServices } from './services.ts';

export interface StartWorkersOptions {
  connection: Redis;
  prefix: string;
  /** Job definitions by name: workers/jobs.ts, or a test's own. */
  jobs: Record<string, JobDefinition>;
  services: WorkerServices;
  logger: Logger;
  /** Queues to serve. Default: all. */
  queues?: readonly QueueName[];
  /** Concurrent jobs per queue in this process. Default 8. */
  concurrency?: number;
  /** Per-queue concurrency overrides. */
  concurrencyByQueue?: Partial<Record<QueueName, number>>;
  /** OpenTelemetry for worker operations. Default none. */
  telemetry?: Telemetry;
  /** Lock duration in ms: a job whose worker died is re-run by another after this. Default 30000. */
  lockDurationMs?: number;
}

export interface WorkerFleet {
  workers: Worker[];
  /** Stops taking jobs, lets active ones finish until `deadlineMs`, then force-closes. */
  close(deadlineMs?: number): Promise<void>;
}

export function startWorkers(opts: StartWorkersOptions): WorkerFleet {
  const shutdown = new AbortController();
  // Every active job listens for shutdown (queues × concurrency of them): not a leak, so no warning.
  setMaxListeners(0, shutdown.signal);
  const accounting = new FairAccounting(opts.connection, opts.prefix);
  const countFinished = (queue: QueueName, job: Job) => {
    const data = (job.data ?? {}) as Record<string, unknown>;
    accounting.finished(queue, laneOf(data), shareOf(data).accountId).catch((err: Error) =>
      opts.logger.debug({ queue, err: { message: err.message } }, 'fair-share count failed'));
  };
  const workers = (opts.queues ?? QUEUE_NAMES).map((queue) => {
    const worker = new Worker(queue, (job: Job, token?: string) => runJob(job, token, {
      jobs: opts.jobs,
      services: opts.services,
      logger: opts.logger,
      shutdownSignal: shutdown.signal,
    }), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrencyByQueue?.[queue] ?? opts.concurrency ?? 8,
      lockDuration: opts.lockDurationMs ?? 30_000,
      // Check for stalled jobs as often as locks expire, so a dead worker's jobs move on in ~1-2 locks.
      stalledInterval: opts.lockDurationMs ?? 30_000,
      // A job whose worker was killed is stalled; another worker picks it up after lockDuration.
      maxStalledCount: 3,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob) => {
          const backoff = job?.opts.backoff;
          const baseDelayMs = typeof backoff === 'object' && backoff.delay ? backoff.delay : undefined;
          return retryDecision(retryInputOf(err, attemptsMade), baseDelayMs ? { baseDelayMs } : {}).delayMs;
        },
      },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
    });
    worker.on('error', (err) => opts.logger.error({ queue, err: { message: err.message } }, 'worker error'));
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        opts.logger.warn({ queue, jobId: job.id, jobName: job.name, err: { message: err.message } }, 'job failed for good');
      }
      // BullMQ sets finishedOn only when the job is not retried (attempts spent or unrecoverable).
      if (job?.finishedOn) countFinished(queue, job);
    });
    worker.on('completed', (job) => countFinished(queue, job));
    return worker;
  });
  return {
    workers,
    async close(deadlineMs = 20_000) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
      });
      const outcome = await Promise.race([graceful.then(() => 'ok' as const), deadline]);
      if (timer) clearTimeout(timer);
      if (outcome === 'timeout') {
        // Active jobs are abandoned; their locks expire and other workers re-run them.
        shutdown.abort();
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}
