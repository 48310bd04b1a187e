/**
 * `gong-fleet` entry point. Each command lives in its own file under commands/ and registers
 * itself on the program; this file only wires them up and turns errors into exit codes:
 * 0 success, 2 bad input (one clear line naming what is wrong), 1 any other failure.
 */
import { Command, CommanderError } from 'commander';
import { BadInputError } from '../shared/platform/index.ts';
import { registerCommands } from './commands/index.ts';

const program = new Command();
program
  .name('gong-fleet')
  .description('Bulk AI work over Gong through Truto: BullMQ workers under a fleet-wide rate governor.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
  if (!(err instanceof CommanderError)) {
    const message = err instanceof Error ? err.message : String(err);
    for (const line of message.split('\n')) process.stderr.write(`gong-fleet: ${line}\n`);
    if (!(err instanceof BadInputError) && process.env.LOG_LEVEL === 'debug' && err instanceof Error) {
      process.stderr.write(`${err.stack}\n`);
    }
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version exit 0; usage errors are bad input.
    return err.exitCode === 0 ? 0 : 2;
  }
  return err instanceof BadInputError ? 2 : 1;
}
