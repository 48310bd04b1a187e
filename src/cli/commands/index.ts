import type { Command } from 'commander';
import { registerAsk } from './ask.ts';
import { registerAutopsy } from './autopsy.ts';
import { registerCrmSync } from './crm-sync.ts';
import { registerDashboard } from './dashboard.ts';
import { registerDemo } from './demo.ts';
import { registerDoctor } from './doctor.ts';
import { registerSandbox } from './sandbox.ts';
import { registerSchedule } from './schedule.ts';
import { registerSummarize } from './summarize.ts';
import { registerSweep } from './sweep.ts';
import { registerTasks } from './tasks.ts';
import { registerWorker } from './worker.ts';

export function registerCommands(program: Command): void {
  registerSandbox(program);
  registerWorker(program);
  registerDashboard(program);
  registerSummarize(program);
  registerAutopsy(program);
  registerSweep(program);
  registerSchedule(program);
  registerCrmSync(program);
  registerTasks(program);
  registerDoctor(program);
  registerAsk(program);
  registerDemo(program);
}
