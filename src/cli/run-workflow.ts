/**
 * What `summarize` and `autopsy` share: plan (print it, refuse bad input before enqueuing), enqueue
 * the flow, optionally run workers in this process (--local-worker), show progress, write the
 * report to --out, and print its paths (or the JSON with --json) on stdout.
 */
import type { FleetServices } from '../app/index.ts';
import { requireSetting } from '../config/index.ts';
import { describePlan } from '../producers/describe-plan.ts';
import { waitForReport } from '../producers/wait.ts';
import type { Lane } from '../queues/fair/index.ts';
import { queuesForRun, withWorkerWatch, workerNotice } from '../producers/worker-watch.ts';
import { launchRun } from '../queues/flows.ts';
import { writeReport } from '../reports/write.ts';
import type { RunPlan } from '../shared/domain/index.ts';
import { FleetError } from '../shared/platform/index.ts';
import { createCliContext, handleSignals, type CliContext } from './context.ts';
import { ProgressLine } from './progress.ts';
import { openSession } from './session.ts';

export interface WorkflowFlags {
  out: string;
  json?: boolean;
  localWorker?: boolean;
  concurrency?: number;
  /** The run's lane. Default interactive: a person is waiting at this terminal. */
  lane?: Lane;
}

export async function runWorkflow(
  flags: WorkflowFlags,
  plan: (services: FleetServices) => Promise<RunPlan>,
  ctx: CliContext = createCliContext({}, { proc: 'cli' }),
): Promise<void> {
  requireSetting(ctx.config, 'TRUTO_API_KEY', 'set it to your Truto API token (or run `gong-fleet demo` for the sandbox)');
  if (flags.localWorker) requireSetting(ctx.config, 'OPENAI_API_KEY', 'the local worker summarizes calls with the LLM');
  handleSignals(ctx);
  try {
    const services = await openSession(ctx, {
      localWorker: !!flags.localWorker,
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    });
    const p = await plan(services);
    for (const line of describePlan(p)) process.stderr.write(`${line}\n`);
    const runId = await launchRun(services, p, { lane: flags.lane ?? 'interactive' });
    const progress = new ProgressLine();
    const report = await withWorkerWatch(
      { queues: services.queues, needed: queuesForRun(p), onChange: (missing) => progress.note(workerNotice(missing)) },
      () => waitForReport(services, runId, { onProgress: (x) => progress.update(x) }),
    ).finally(() => progress.done());
    const paths = await writeReport(report, flags.out);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ plan: planSummary(p), report: paths, stats: report.stats, headline: report.headline, ...(report.incomplete ? { incomplete: report.incomplete } : {}) })}\n`);
    } else {
      process.stderr.write(`${report.headline}\n`);
      process.stdout.write(`${paths.markdown}\n${paths.json}\n`);
    }
    if (report.stats.notReady > 0) {
      process.stderr.write(`${report.stats.notReady} call(s) left out: transcript not ready (Gong is still processing them); run the same command later to include them.\n`);
    }
    // The report is written either way; a report most of whose calls are missing is not a success.
    if (report.incomplete) throw new FleetError(`report incomplete: ${report.incomplete} (${paths.markdown})`, false);
  } finally {
    await ctx.shutdown();
  }
}

function planSummary(p: RunPlan) {
  return {
    runId: p.runId,
    kind: p.kind,
    accountId: p.accountId,
    subject: p.subject,
    calls: p.calls.length,
    transcriptsStored: p.storedCallIds.length,
    discoveryRequests: p.discoveryRequests,
    requestsNeeded: p.requestsNeeded,
    etaSeconds: p.etaSeconds,
    dailyBudgetLeft: p.dailyBudgetLeft,
    degradations: p.degradations.map((d) => d.code),
  };
}
