/**
 * Waits for a flow's result (a run's or a sweep's report), polling its parent job's state and the
 * stored report rather than QueueEvents, so it works the same with any number of workers anywhere.
 */
import type { Job } from 'bullmq';
import { catalog } from '../queues/catalog.ts';
import { reportKey } from '../queues/keys.ts';
import type { RunReport } from '../reports/model.ts';
import type { SweepReport } from '../reports/sweep-model.ts';
import { readRun, type RunProgress } from '../shared/domain/index.ts';
import { FleetError } from '../shared/platform/index.ts';
import type { ProducerServices } from './services.ts';

type WaitServices = Pick<ProducerServices, 'queues' | 'redis' | 'prefix'>;

export interface FlowWaitOptions {
  /** Poll interval in ms. Default 250. */
  pollMs?: number;
  /** Give up after this long, in ms. Default 6 h. */
  timeoutMs?: number;
  /** Called on every poll with the parent job (undefined until it exists). */
  onPoll?: (job: Job | undefined) => Promise<void> | void;
  /** What the flow is called in errors, e.g. `run` or `sweep`. Default `run`. */
  label?: string;
}

/** The report a flow's fan-in job (id `runId`, on the `flows` queue) stored under `report:<runId>`. */
export async function waitForFlowResult<T>(services: WaitServices, runId: string, opts: FlowWaitOptions = {}): Promise<T> {
  const label = opts.label ?? 'run';
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  // run-report and sweep-report share a queue; both store their report under reportKey.
  const queue = services.queues.queue(catalog['run-report'].queue);
  for (;;) {
    const job = await queue.getJob(runId);
    await opts.onPoll?.(job);
    const state = job ? await job.getState() : 'unknown';
    if (state === 'completed') {
      const json = await services.redis.get(reportKey(services.prefix, runId));
      if (json) return JSON.parse(json) as T;
      throw new FleetError(`${label} ${runId} completed but its report has expired`, false);
    }
    if (state === 'failed') throw new FleetError(`${label} ${runId} failed: ${job?.failedReason ?? 'unknown reason'}`, false);
    if (Date.now() > deadline) throw new FleetError(`gave up waiting for ${label} ${runId} (state ${state})`, false);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

export interface WaitOptions extends Omit<FlowWaitOptions, 'onPoll' | 'label'> {
  /** Called on every poll with the run's counters. */
  onProgress?: (p: RunProgress) => void;
}

/**
 * A summarize or autopsy run's report, with its counters on every poll. A run a job stopped (no
 * transcript can be read) throws at once with the job's reason, instead of waiting for the rest.
 */
export function waitForReport(services: WaitServices, runId: string, opts: WaitOptions = {}): Promise<RunReport> {
  const { onProgress, ...rest } = opts;
  return waitForFlowResult<RunReport>(services, runId, {
    ...rest,
    onPoll: async () => {
      const progress = await readRun(services.redis, services.prefix, runId);
      onProgress?.(progress);
      if (progress.stopped) throw new FleetError(`run ${runId} stopped: ${progress.stopped}`, false);
    },
  });
}

export interface SweepWaitOptions extends Omit<FlowWaitOptions, 'onPoll' | 'label'> {
  /** Called on every poll with how many manager jobs have finished (done or failed for good). */
  onProgress?: (p: { managersDone: number; managers: number }) => void;
}

/** A coaching sweep's report, with how many managers are done on every poll. */
export function waitForSweep(services: WaitServices, runId: string, opts: SweepWaitOptions = {}): Promise<SweepReport> {
  const { onProgress, ...rest } = opts;
  return waitForFlowResult<SweepReport>(services, runId, {
    ...rest,
    label: 'sweep',
    ...(onProgress
      ? {
          onPoll: async (job) => {
            if (!job) return;
            const c = await job.getDependenciesCount();
            const done = (c.processed ?? 0) + (c.failed ?? 0) + (c.ignored ?? 0);
            onProgress({ managersDone: done, managers: done + (c.unprocessed ?? 0) });
          },
        }
      : {}),
  });
}
