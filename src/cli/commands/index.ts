import type { Command } from 'commander';
import { registerAutopsy } from './autopsy.ts';
import { registerDemo } from './demo.ts';
import { registerSandbox } from './sandbox.ts';
import { registerSummarize } from './summarize.ts';
import { registerWorker } from './worker.ts';

export function registerCommands(program: Command): void {
  registerSandbox(program);
  registerWorker(program);
  registerSummarize(program);
  registerAutopsy(program);
  registerDemo(program);
}
