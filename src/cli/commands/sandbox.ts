/**
 * `gong-fleet sandbox`: the local Truto + Gong + OpenAI-compatible world, until SIGINT. Prints the
 * environment that points the fleet at it, and its integrated accounts.
 */
import type { Command } from 'commander';
import { startSandbox, type SandboxOptions } from '../../sandbox/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseNonNegativeNumber, parsePositiveInt, parseRate } from '../parse.ts';

interface SandboxFlags {
  port: string;
  host: string;
  seed: string;
  accounts: string;
  calls: string;
  contextTokens: string;
  gongPerSecond: string;
  gongPerDay: string;
  fault5xx?: string;
  faultTimeouts?: string;
  latencyMs?: string;
  llmObeyInjections?: boolean;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the local Truto + Gong + OpenAI-compatible sandbox until SIGINT')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <addr>', 'interface to bind (0.0.0.0 in a container)', '127.0.0.1')
    .option('--seed <n>', 'seed of the generated world', '42')
    .option('--accounts <n>', 'extra small integrated accounts beyond the three standard ones', '0')
    .option('--calls <n>', 'calls in the last 30 days of the deals account', '64')
    .option('--context-tokens <n>', "the sandbox model's context window", '16384')
    .option('--gong-per-second <n>', "Gong's per-company rate limit", '3')
    .option('--gong-per-day <n>', "Gong's per-company daily limit", '10000')
    .option('--fault-5xx <rate>', 'fraction of proxy and LLM calls answered with a 5xx')
    .option('--fault-timeouts <rate>', 'fraction of proxy and LLM calls that never answer')
    .option('--latency-ms <n>', 'added latency per call')
    .option('--llm-obey-injections', 'the model acts on instructions planted in tool results (tests the approval gate)')
    .action(async (flags: SandboxFlags) => {
      const logger = createLogger({ level: 'info', base: { proc: 'sandbox' } });
      const opts: SandboxOptions = {
        port: Number(flags.port) === 0 ? 0 : parsePositiveInt(flags.port, '--port'),
        host: flags.host,
        seed: parsePositiveInt(flags.seed, '--seed'),
        extraAccounts: Number(flags.accounts) === 0 ? 0 : parsePositiveInt(flags.accounts, '--accounts'),
        callsPerAccount: parsePositiveInt(flags.calls, '--calls'),
        gongPerSecond: parseNonNegativeNumber(flags.gongPerSecond, '--gong-per-second'),
        gongPerDay: parsePositiveInt(flags.gongPerDay, '--gong-per-day'),
        llm: {
          contextWindowTokens: parsePositiveInt(flags.contextTokens, '--context-tokens'),
          ...(flags.llmObeyInjections ? { obeyInjections: true } : {}),
        },
        faults: {
          ...(flags.fault5xx ? { errorRate5xx: parseRate(flags.fault5xx, '--fault-5xx') } : {}),
          ...(flags.faultTimeouts ? { timeoutRate: parseRate(flags.faultTimeouts, '--fault-timeouts') } : {}),
          ...(flags.latencyMs ? { latencyMs: parseNonNegativeNumber(flags.latencyMs, '--latency-ms') } : {}),
        },
        logger,
      };
      const sandbox = await startSandbox(opts);
      const out = process.stdout;
      out.write(`gong-fleet sandbox listening on ${sandbox.url}\n\n# point the fleet at it:\n`);
      for (const [k, v] of Object.entries(sandbox.env)) out.write(`export ${k}=${v}\n`);
      out.write('\n# integrated accounts:\n');
      for (const a of sandbox.world.accounts) out.write(`#   ${a.id}  ${a.companyName}\n`);
      const stop = () => {
        void sandbox.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise(() => {});
    });
}
