/**
 * `gong-fleet ask` and `gong-fleet approve`: a free-form question answered by a durable,
 * rate-governed agent over the account's Truto tools; writes it asks for wait for a person.
 */
import type { Command } from 'commander';
import type { FleetServices } from '../../app/index.ts';
import { requireSetting } from '../../config/index.ts';
import { askStoreOf, decideAsk, loadAsk, startAsk, waitForAsk } from '../../producers/ask.ts';
import { checkAskInput, currentActor, pendingOf } from '../../shared/domain/index.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { askProgress, finishAsk } from '../ask-output.ts';
import { createCliContext, handleSignals, type CliContext } from '../context.ts';
import { openSession } from '../session.ts';

interface AskFlags {
  account: string;
  maxSteps?: string;
  json?: boolean;
  out: string;
  localWorker?: boolean;
}

function parseMaxSteps(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n)) throw new BadInputError(`--max-steps must be a whole number from 1 to 100, got "${value}"`);
  return n;
}

/** `ask` with a context given (the demo passes the sandbox's). */
export async function runAsk(question: string, o: AskFlags, ctx: CliContext = createCliContext({}, { proc: 'cli' })): Promise<void> {
  const maxSteps = parseMaxSteps(o.maxSteps);
  checkAskInput(question, maxSteps ?? ctx.config.ASK_MAX_STEPS);
  requireSetting(ctx.config, 'TRUTO_API_KEY', 'set it to your Truto API token (or run `gong-fleet demo --ask` for the sandbox)');
  requireSetting(ctx.config, 'OPENAI_API_KEY', 'ask needs a model (any OpenAI-compatible API)');
  handleSignals(ctx);
  try {
    const services: FleetServices = await openSession(ctx, { localWorker: !!o.localWorker });
    const run = await startAsk(services, { accountId: o.account, question, ...(maxSteps !== undefined ? { maxSteps } : {}) });
    process.stderr.write(`ask ${run.runId} on ${run.accountId}: ${run.tools.length} tools offered${run.toolsNote ? ` (${run.toolsNote})` : ''}\n`);
    const final = await waitForAsk(services, run.runId, { onProgress: askProgress(), onHint: (m) => process.stderr.write(`${m}\n`) });
    await finishAsk(services, final, o);
  } finally {
    await ctx.shutdown();
  }
}

export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description("ask anything: an agent over the account's Truto tools, durable and rate-governed; writes wait for `approve`")
    .argument('<question...>', 'the question (quote it)')
    .requiredOption('--account <id>', 'Truto integrated account id')
    .option('--max-steps <n>', 'model turns the run may take (default ASK_MAX_STEPS, 30)')
    .option('--json', 'print one JSON object (runId, status, answer, pending, steps, …) on stdout')
    .option('--out <dir>', 'directory for the Markdown and JSON report', 'reports')
    .option('--local-worker', 'run the workers in this process')
    .action(async (words: string[], o: AskFlags) => {
      await runAsk(words.join(' '), o);
    });

  program
    .command('approve')
    .description('approve (or --deny) the exact write an ask run waits for, and resume it')
    .argument('<runId>', 'the run id `ask` printed')
    .option('--deny <reason>', 'refuse the write; the model is told why')
    .option('--dry-run', 'show the pending write without deciding')
    .option('--json', 'print one JSON object on stdout')
    .option('--out <dir>', 'directory for the Markdown and JSON report', 'reports')
    .option('--local-worker', 'run the workers in this process')
    .action(async (runId: string, o: { deny?: string; dryRun?: boolean; json?: boolean; out: string; localWorker?: boolean }) => {
      if (o.deny !== undefined && !o.deny.trim()) throw new BadInputError('--deny needs a reason');
      const ctx = createCliContext({}, { proc: 'cli' });
      if (o.localWorker) {
        requireSetting(ctx.config, 'TRUTO_API_KEY', 'the local worker calls Truto');
        requireSetting(ctx.config, 'OPENAI_API_KEY', 'the local worker asks the model');
      }
      handleSignals(ctx);
      try {
        const services = await openSession(ctx, { localWorker: !!o.localWorker && !o.dryRun });
        await loadAsk(services, runId);
        if (o.dryRun) {
          const { pending } = await pendingOf(askStoreOf(services), runId);
          process.stderr.write(`dry run: run ${runId} would call ${pending.tool} (request hash ${pending.hash}); nothing approved\n`);
          if (o.json) process.stdout.write(`${JSON.stringify({ runId, status: 'awaiting-approval', dryRun: true, pending: { tool: pending.tool, arguments: pending.args, hash: pending.hash } })}\n`);
          else process.stdout.write(`${pending.tool} ${JSON.stringify(pending.args, null, 2)}\n`);
          process.exitCode = 3;
          return;
        }
        const { approval, pending } = await decideAsk(services, { runId, ...(o.deny !== undefined ? { denyReason: o.deny } : {}), by: await currentActor() });
        process.stderr.write(`${approval.decision} ${pending.tool} for run ${runId}${approval.reason ? ` (${approval.reason})` : ''}; resuming\n`);
        const final = await waitForAsk(services, runId, { onProgress: askProgress({ resumed: true }), decidedCallKey: pending.callKey });
        await finishAsk(services, final, o);
      } finally {
        await ctx.shutdown();
      }
    });
}
