/** `gong-fleet autopsy`: the deal autopsy (seed scenario 1) into a cited report. */
import type { Command } from 'commander';
import { planAutopsy } from '../../producers/autopsy.ts';
import { LANE_HELP, parsePositiveInt, parseCliLane } from '../parse.ts';
import { runWorkflow } from '../run-workflow.ts';

export function registerAutopsy(program: Command): void {
  program
    .command('autopsy')
    .description("analyse a deal's recent calls, objections, Engage follow-ups and Gong's AI brief")
    .requiredOption('--account <id>', 'Truto integrated account id')
    .requiredOption('--deal <name-or-crm-id>', 'deal or account name (e.g. "Globex Corporation") or CRM id')
    .option('--days <n>', 'look-back window in days', '30')
    .option('--integration-id <id>', 'Gong CRM integration, to read --deal as a CRM id when the account lists no CRM-integrations tool')
    .option('--out <dir>', 'directory for the Markdown and JSON report', 'reports')
    .option('--json', 'print a JSON summary on stdout instead of the report paths')
    .option('--local-worker', 'run the workers in this process')
    .option('--concurrency <n>', 'with --local-worker: jobs per queue at once')
    .option('--lane <lane>', LANE_HELP)
    .action(async (o: { lane?: string; account: string; deal: string; days: string; integrationId?: string; out: string; json?: boolean; localWorker?: boolean; concurrency?: string }) => {
      const days = parsePositiveInt(o.days, '--days');
      const lane = parseCliLane(o.lane);
      await runWorkflow(
        { lane, out: o.out, json: !!o.json, localWorker: !!o.localWorker, ...(o.concurrency ? { concurrency: parsePositiveInt(o.concurrency, '--concurrency') } : {}) },
        (services) => planAutopsy(services, { accountId: o.account, deal: o.deal, days, ...(o.integrationId ? { integrationId: o.integrationId } : {}) }),
      );
    });
}
