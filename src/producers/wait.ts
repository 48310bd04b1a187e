/**
 * Waits for a run's report, reporting progress from the run's counters. Polls (rather than
 * QueueEvents) so it works the same with any number of workers anywhere.
 */
import type { RunReport } from '../reports/model.ts';
import { FleetError } from '../shared/errors.ts';
import { readRun, type RunProgress } from '../shared/runs.ts';
import type { FleetServices } from '../shared/services.ts';
import { reportKey } from '../workers/run-report.ts';

export interface WaitOptions {
  /** Called on every poll with the run's counters. */
  onProgress?: (p: RunProgress) => void;
  /** Poll interval in ms. Default 250. */
  pollMs?: number;
  /** Give up after this long, in ms. Default 6 h. */
  timeoutMs?: number;
}

export async function waitForReport(services: Pick<FleetServices, 'queues' | 'redis' | 'prefix'>, runId: string, opts: WaitOptions = {}): Promise<RunReport> {
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  const queue = services.queues.queue('flows');
  for (;;) {
    opts.onProgress?.(await readRun(services.redis, services.prefix, runId));
    const job = await queue.getJob(runId);
    const state = job ? await job.getState() : 'unknown';
    if (state === 'completed') {
      const json = await services.redis.get(reportKey(services.prefix, runId));
      if (json) return JSON.parse(json) as RunReport;
      throw new FleetError(`run ${runId} completed but its report has expired`, false);
    }
    if (state === 'failed') throw new FleetError(`run ${runId} failed: ${job?.failedReason ?? 'unknown reason'}`, false);
    if (Date.now() > deadline) throw new FleetError(`gave up waiting for run ${runId} (state ${state})`, false);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}
