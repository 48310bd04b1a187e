/**
 * `gong-fleet demo` (npm run demo): zero configuration. Starts the sandbox in this process, finds or
 * starts a Redis, runs a local worker, and performs the deal autopsy of "Globex Corporation" on the
 * sandbox's deals account; prints where the report is. `demo --ask` asks the agent a question
 * instead (default: the Acme Corp deal brief's next steps), offline against the sandbox's model.
 */
import type { Command } from 'commander';
import { planAutopsy } from '../../producers/autopsy.ts';
import { startSandbox } from '../../sandbox/index.ts';
import { createCliContext } from '../context.ts';
import { parsePositiveInt } from '../parse.ts';
import { runWorkflow } from '../run-workflow.ts';
import { runAsk } from './ask.ts';

export const DEMO_QUESTION = 'Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a deal autopsy of "Globex Corporation" (or, with --ask, an agent question) against the built-in sandbox, zero configuration')
    .option('--deal <name>', 'deal to analyse', 'Globex Corporation')
    .option('--ask [question]', `ask the agent instead (default: "${DEMO_QUESTION}")`)
    .option('--out <dir>', 'directory for the report', 'reports')
    .option('--concurrency <n>', 'jobs per queue at once', '8')
    .option('--json', 'with --ask: print the JSON result')
    .action(async (o: { deal: string; ask?: string | boolean; out: string; concurrency: string; json?: boolean }) => {
      // Checked before the sandbox starts, so bad input prints one line and nothing else.
      const concurrency = parsePositiveInt(o.concurrency, '--concurrency');
      const sandbox = await startSandbox({ port: 0 });
      try {
        const accountId = sandbox.world.accountIdOf('deals');
        const account = sandbox.world.accounts.find((a) => a.id === accountId);
        if (!account) throw new Error('the sandbox has no deals account');
        process.stderr.write(`sandbox at ${sandbox.url}; integrated account ${account.id} (${account.companyName})\n`);
        // The sandbox's env wins over the shell's, so the demo never talks to real Truto or OpenAI;
        // REDIS_URL still comes from the shell when set.
        const ctx = createCliContext(sandbox.env, { proc: 'demo' });
        if (o.ask !== undefined) {
          const question = typeof o.ask === 'string' ? o.ask : DEMO_QUESTION;
          process.stderr.write(`asking: ${question}\n`);
          await runAsk(question, { account: account.id, out: o.out, localWorker: true, ...(o.json ? { json: true } : {}) }, ctx);
          return;
        }
        await runWorkflow(
          { out: o.out, localWorker: true, concurrency },
          (services) => planAutopsy(services, { accountId: account.id, deal: o.deal }),
          ctx,
        );
        process.stderr.write(`done: the report above was written to ${o.out}/\n`);
      } finally {
        await sandbox.close();
      }
    });
}
