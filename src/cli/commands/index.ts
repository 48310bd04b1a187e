import type { Command } from 'commander';
import { registerSandbox } from './sandbox.ts';
import { registerWorker } from './worker.ts';

export function registerCommands(program: Command): void {
  registerSandbox(program);
  registerWorker(program);
}
