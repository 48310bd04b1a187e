/**
 * Runs one BullMQ job through its definition: re-validates the payload, binds a logger, enforces
 * the timeout, and maps the fleet's typed errors onto BullMQ's control flow:
 * - NonRetryableError (bad payload, missing scope, unknown id) → UnrecoverableError: fail now;
 * - RetryAfterError (a governor wait, an upstream 429, a claim held by another job) →
 *   moveToDelayed + DelayedError: the job sleeps in Redis for exactly the wait without consuming
 *   an attempt or a worker slot, while jobs of other accounts keep running; bounded by
 *   `maxTotalWaitMs` per job;
 * - anything else → rethrown: BullMQ retries it under the one retry policy (start-workers.ts)
 *   with the contract's backoff base until attempts run out.
 * Write safety: a job whose contract lacks `writes: true` gets a Truto client that refuses write
 * tools (shared/upstream/write-guard.ts), so no job that reads transcripts or model output can
 * write to Gong.
 */
import { DelayedError, UnrecoverableError, WaitingChildrenError, type Job } from 'bullmq';
import { z } from 'zod';
import { bumpRun } from '../shared/domain/index.ts';
import { FleetError, RetryAfterError, type Logger } from '../shared/platform/index.ts';
import { withReadOnlyTruto } from '../shared/upstream/index.ts';
import type { JobDefinition } from './define-job.ts';
import type { WorkerServices } from './services.ts';

export interface RunJobDeps {
  /** Job definitions by name (workers/jobs.ts, or a test's own). */
  jobs: Record<string, JobDefinition>;
  services: WorkerServices;
  logger: Logger;
  /** Longest total time one job may spend delayed by rate limits. Default 6 h. */
  maxTotalWaitMs?: number;
  /** Aborted on shutdown; running jobs see it through ctx.signal. */
  shutdownSignal?: AbortSignal;
}

export class JobTimeoutError extends FleetError {
  constructor(name: string, timeoutMs: number) {
    super(`job ${name} timed out after ${timeoutMs} ms`, true);
    this.name = 'JobTimeoutError';
  }
}

export async function runJob(job: Job, token: string | undefined, deps: RunJobDeps): Promise<unknown> {
  const def = deps.jobs[job.name];
  if (!def) throw new UnrecoverableError(`unknown job kind "${job.name}"`);
  const parsed = def.schema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid payload for ${job.name}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  }
  const payload = parsed.data as Record<string, unknown>;
  const logger = deps.logger.child({
    queue: job.queueName,
    jobId: job.id,
    jobName: job.name,
    attempt: job.attemptsMade + 1,
    account: typeof payload.accountId === 'string' ? payload.accountId : undefined,
  });

  const controller = new AbortController();
  const onShutdown = () => controller.abort(new Error('worker shutting down'));
  deps.shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new JobTimeoutError(job.name, def.timeoutMs);
      controller.abort(err);
      reject(err);
    }, def.timeoutMs);
  });
  const started = Date.now();
  try {
    const result = await Promise.race([
      def.process(payload, { job, logger, services: def.writes ? deps.services : withReadOnlyTruto(deps.services), signal: controller.signal, token }),
      timeout,
    ]);
    logger.debug({ ms: Date.now() - started }, 'job done');
    return result;
  } catch (err) {
    return handleFailure(err, job, token, def, deps, logger);
  } finally {
    if (timer) clearTimeout(timer);
    deps.shutdownSignal?.removeEventListener('abort', onShutdown);
  }
}

async function handleFailure(
  err: unknown,
  job: Job,
  token: string | undefined,
  def: JobDefinition,
  deps: RunJobDeps,
  logger: Logger,
): Promise<never> {
  // Control flow, not failures: a delay, a permanent failure already decided, a parent now waiting for its children.
  if (err instanceof DelayedError || err instanceof UnrecoverableError || err instanceof WaitingChildrenError) throw err;
  if (err instanceof RetryAfterError && token) {
    const waitMs = err.retryAfterMs;
    const total = await deps.services.waits.add(job, waitMs);
    const cap = deps.maxTotalWaitMs ?? 6 * 3600_000;
    if (total > cap) {
      throw new UnrecoverableError(
        `rate-limited for ${Math.round(total / 1000)} s in total (cap ${Math.round(cap / 1000)} s): ${err.message}`,
      );
    }
    logger.debug({ waitMs }, 'rate-limited: delaying job without consuming an attempt');
    const runId = (job.data as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') await bumpRun(deps.services.redis, deps.services.prefix, runId, { rateLimitWaits: 1 });
    await job.moveToDelayed(Date.now() + waitMs, token);
    throw new DelayedError();
  }
  if (err instanceof FleetError && !err.retryable) {
    logger.warn({ err: { name: err.name, message: err.message } }, 'job failed: not retryable');
    throw new UnrecoverableError(`${err.name}: ${err.message}`);
  }
  const attemptsLeft = def.attempts - (job.attemptsMade + 1);
  logger.warn({ err: { name: (err as Error)?.name, message: (err as Error)?.message }, attemptsLeft }, 'job attempt failed');
  throw err;
}
