/** `gong-fleet summarize`: bulk-summarize an account's calls by window or by ids into a cited report. */
import type { Command } from 'commander';
import { planSummarize } from '../../producers/summarize.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { LANE_HELP, parseDate, parsePositiveInt, parseCliLane } from '../parse.ts';
import { runWorkflow } from '../run-workflow.ts';

export function registerSummarize(program: Command): void {
  program
    .command('summarize')
    .description('summarize many calls of an account (fan-out per call, fan-in to one cited report)')
    .requiredOption('--account <id>', 'Truto integrated account id')
    .option('--from <date>', 'start of the window (inclusive), e.g. 2026-11-01')
    .option('--to <date>', 'end of the window (exclusive)')
    .option('--call-ids <ids>', 'comma-separated Gong call ids instead of a window')
    .option('--out <dir>', 'directory for the Markdown and JSON report', 'reports')
    .option('--json', 'print a JSON summary on stdout instead of the report paths')
    .option('--local-worker', 'run the workers in this process')
    .option('--concurrency <n>', 'with --local-worker: jobs per queue at once')
    .option('--lane <lane>', LANE_HELP)
    .action(async (o: { lane?: string; account: string; from?: string; to?: string; callIds?: string; out: string; json?: boolean; localWorker?: boolean; concurrency?: string }) => {
      const from = o.from === undefined ? undefined : parseDate(o.from, '--from');
      const to = o.to === undefined ? undefined : parseDate(o.to, '--to');
      const callIds = o.callIds === undefined ? undefined : o.callIds.split(',').map((s) => s.trim()).filter(Boolean);
      if (callIds && callIds.some((id) => !/^\d{1,20}$/.test(id))) {
        throw new BadInputError(`--call-ids must be numeric Gong call ids, got "${o.callIds}"`);
      }
      const lane = parseCliLane(o.lane);
      await runWorkflow(
        { lane, out: o.out, json: !!o.json, localWorker: !!o.localWorker, ...(o.concurrency ? { concurrency: parsePositiveInt(o.concurrency, '--concurrency') } : {}) },
        (services) => planSummarize(services, { accountId: o.account, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(callIds ? { callIds } : {}) }),
      );
    });
}
