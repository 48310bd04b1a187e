/**
 * `gong-fleet sweep`: the coaching sweep (seed scenario 2). Plans (reads roster, activity and
 * scorecards; refuses bad input before enqueuing), fans out one job per manager, waits for the
 * account report and writes it as Markdown, JSON and a self-contained HTML page with charts.
 */
import type { Command } from 'commander';
import { requireSetting } from '../../config/index.ts';
import { describeSweepPlan } from '../../producers/describe-plan.ts';
import { waitForSweep } from '../../producers/wait.ts';
import { printWorkerNotice, queuesFor, withWorkerWatch } from '../../producers/worker-watch.ts';
import { launchSweep } from '../../queues/flows.ts';
import { writeSweepReport } from '../../reports/sweep-write.ts';
import { planSweep } from '../../shared/domain/index.ts';
import { createCliContext, handleSignals } from '../context.ts';
import { parseDate, parsePositiveInt } from '../parse.ts';
import { openSession } from '../session.ts';

interface SweepFlags {
  account: string;
  manager?: string;
  from?: string;
  to?: string;
  out: string;
  json?: boolean;
  localWorker?: boolean;
  concurrency?: string;
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description("coaching sweep: each manager's reps, activity, coaching and scorecards, flags and a narrative")
    .requiredOption('--account <id>', 'Truto integrated account id')
    .option('--manager <email-or-id>', 'one manager (email, Gong user id or full name); default: every manager')
    .option('--from <date>', 'start of the window (inclusive); default: SWEEP_WINDOW_DAYS before --to')
    .option('--to <date>', 'end of the window (exclusive, not in the future); default: now')
    .option('--out <dir>', 'directory for the Markdown, JSON and HTML report', 'reports')
    .option('--json', 'print a JSON summary on stdout instead of the report paths')
    .option('--local-worker', 'run the workers in this process')
    .option('--concurrency <n>', 'with --local-worker: jobs per queue at once')
    .action(async (o: SweepFlags) => {
      const from = o.from === undefined ? undefined : parseDate(o.from, '--from');
      const to = o.to === undefined ? undefined : parseDate(o.to, '--to');
      const concurrency = o.concurrency === undefined ? undefined : parsePositiveInt(o.concurrency, '--concurrency');
      const ctx = createCliContext({}, { proc: 'cli' });
      requireSetting(ctx.config, 'TRUTO_API_KEY', 'set it to your Truto API token (or run `gong-fleet demo` for the sandbox)');
      handleSignals(ctx);
      try {
        const services = await openSession(ctx, { localWorker: !!o.localWorker, ...(concurrency ? { concurrency } : {}) });
        const plan = await planSweep(services, { accountId: o.account, ...(o.manager ? { manager: o.manager } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
        for (const line of describeSweepPlan(plan)) process.stderr.write(`${line}\n`);
        const runId = await launchSweep(services, plan);
        let last = '';
        const report = await withWorkerWatch(
          { queues: services.queues, needed: queuesFor(['sweep-report', 'sweep-manager']), onChange: (m) => printWorkerNotice(m) },
          () => waitForSweep(services, runId, {
            onProgress: ({ managersDone, managers }) => {
              const line = `sweep: ${managersDone}/${managers} managers reviewed`;
              if (line !== last) process.stderr.write(`${line}\n`);
              last = line;
            },
          }),
        );
        const paths = await writeSweepReport(report, o.out);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ runId, report: paths, stats: report.stats, headline: report.headline })}\n`);
        } else {
          process.stderr.write(`${report.headline}\n`);
          process.stdout.write(`${paths.markdown}\n${paths.json}\n${paths.html}\n`);
        }
      } finally {
        await ctx.shutdown();
      }
    });
}
