/**
 * Waits for a flow's result (a run's or a sweep's report), polling its parent job's state and the
 * stored report rather than QueueEvents, so it works the same with any number of workers anywhere.
 */
import type { Job } from 'bullmq';
import type { RunReport } from '../reports/model.ts';
import { FleetError } from '../shared/platform/index.ts';
import { readRun, type RunProgress } from '../shared/domain/index.ts';
import type { FleetServices } from '../app/services.ts';
import { reportKey } from '../workers/run-report.ts';

type WaitServices = Pick<FleetServices, 'queues' | 'redis' | 'prefix'>;

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

/** The report a flow's parent job (id `runId`, queue `flows`) stored under `report:<runId>`. */
export async function waitForFlowResult<T>(services: WaitServices, runId: string, opts: FlowWaitOptions = {}): Promise<T> {
  const label = opts.label ?? 'run';
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  const queue = services.queues.queue('flows');
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

/** A summarize or autopsy run's report, with its counters on every poll. */
export function waitForReport(services: WaitServices, runId: string, opts: WaitOptions = {}): Promise<RunReport> {
  const { onProgress, ...rest } = opts;
  return waitForFlowResult<RunReport>(services, runId, {
    ...rest,
    ...(onProgress ? { onPoll: async () => onProgress(await readRun(services.redis, services.prefix, runId)) } : {}),
  });
}
