/**
 * `gong-fleet doctor --account <id>`: what this account's Truto tools let the fleet do. Prints
 * capability → tool → ok / absent / forbidden (scope) / failed (status), then per workflow: runs
 * fully, degraded (what is lost) or cannot run (why). Exit 0 when `summarize` can run, 1 when it
 * cannot, 2 on bad input (e.g. an unknown account). Reads only; never writes, enqueues nothing.
 */
import type { Command } from 'commander';
import { requireSetting } from '../../config/index.ts';
import { describeDoctor, runDoctor } from '../../producers/doctor.ts';
import { createCliContext, handleSignals } from '../context.ts';
import { openSession } from '../session.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description("check what an account's Truto tools let each workflow do (one cheap read per capability, no writes)")
    .requiredOption('--account <id>', 'Truto integrated account id')
    .option('--integration-id <id>', 'Gong CRM integration for the CRM probes, when the account lists no CRM-integrations tool')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (o: { account: string; integrationId?: string; json?: boolean }) => {
      const ctx = createCliContext({}, { proc: 'cli' });
      requireSetting(ctx.config, 'TRUTO_API_KEY', 'set it to your Truto API token (or run `gong-fleet sandbox` for a local one)');
      handleSignals(ctx);
      try {
        // Redis backs the governor: doctor's reads are paced like every other request.
        const services = await openSession(ctx);
        const report = await runDoctor(services, { accountId: o.account, ...(o.integrationId ? { integrationId: o.integrationId } : {}) });
        if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else process.stdout.write(`${describeDoctor(report).join('\n')}\n`);
        if (!report.summarizeCanRun) process.exitCode = 1;
      } finally {
        await ctx.shutdown();
      }
    });
}
