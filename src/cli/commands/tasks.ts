/**
 * `gong-fleet tasks list|set`: a rep's Engage tasks, and an idempotent status change through the
 * `task-update` write job (a task that already has the status gets no write; --dry-run writes nothing).
 */
import type { Command } from 'commander';
import { listUserTasks, planTaskUpdate, runTaskUpdate } from '../../producers/tasks.ts';
import { printWorkerNotice, queuesFor, withWorkerWatch } from '../../producers/worker-watch.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { currentActor, parseTaskStatus, TASK_STATUSES, type TaskStatus } from '../../shared/domain/index.ts';
import { createCliContext } from '../context.ts';
import { openWriteSession } from './crm-sync.ts';

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks').description("a rep's Engage tasks: list them, set one's status");

  tasks
    .command('list')
    .description("list a rep's call tasks (Gong lists them with a POST filter)")
    .requiredOption('--account <id>', 'Truto integrated account id')
    .requiredOption('--user <email|id>', 'Gong user id or email address')
    .option('--status <list>', `comma-separated statuses (default: ${TASK_STATUSES.join(',')})`)
    .option('--json', 'print the tasks as JSON on stdout')
    .action(async (o: { account: string; user: string; status?: string; json?: boolean }) => {
      const statuses = o.status === undefined ? undefined : o.status.split(',').filter(Boolean).map((s) => parseTaskStatus(s, '--status'));
      if (statuses && statuses.length === 0) throw new BadInputError(`--status must list at least one of ${TASK_STATUSES.join(', ')}`);
      const ctx = createCliContext({}, { proc: 'cli' });
      try {
        const services = await openWriteSession(ctx, false);
        const { userId, tasks: found } = await listUserTasks(services, o.account, o.user, statuses);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ userId, tasks: found })}\n`);
          return;
        }
        process.stderr.write(`${found.length} task${found.length === 1 ? '' : 's'} of user ${userId}\n`);
        for (const t of found) {
          const what = t.title ?? t.flow?.name ?? '(untitled)';
          const about = t.opportunity?.name ?? t.account?.name ?? '';
          process.stdout.write(`${t.id}\t${t.status}\t${t.dueDate ?? ''}\t${what}${about ? `\t${about}` : ''}\n`);
        }
      } finally {
        await ctx.shutdown();
      }
    });

  tasks
    .command('set')
    .description("set a task's status (no write if it already has it)")
    .requiredOption('--account <id>', 'Truto integrated account id')
    .requiredOption('--task <id>', 'Engage task id')
    .requiredOption('--status <status>', TASK_STATUSES.join(' | '))
    .requiredOption('--user <id|email>', 'Gong user who owns the task')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--json', 'print the result as JSON on stdout')
    .option('--local-worker', 'run the writes worker in this process')
    .action(async (o: { account: string; task: string; status: string; user: string; dryRun?: boolean; json?: boolean; localWorker?: boolean }) => {
      const status: TaskStatus = parseTaskStatus(o.status, '--status');
      if (!/^\d{1,20}$/.test(o.task.trim())) throw new BadInputError(`--task must be a numeric Engage task id, got "${o.task}"`);
      const ctx = createCliContext({}, { proc: 'cli' });
      try {
        const services = await openWriteSession(ctx, !!o.localWorker && !o.dryRun);
        const change = await planTaskUpdate(services, { accountId: o.account, user: o.user, taskId: o.task.trim(), status });
        const print = (r: { from: string; to: string; written: boolean; dryRun?: boolean }) => {
          if (o.json) process.stdout.write(`${JSON.stringify({ taskId: change.taskId, ...r })}\n`);
        };
        if (!change.needed) {
          process.stderr.write(`task ${change.taskId} "${change.title}" is already ${change.from}; nothing written\n`);
          print({ from: change.from, to: status, written: false });
          return;
        }
        if (o.dryRun) {
          process.stderr.write(`dry run: would set task ${change.taskId} "${change.title}" ${change.from} → ${status}; nothing written\n`);
          print({ from: change.from, to: status, written: false, dryRun: true });
          return;
        }
        const actor = await currentActor();
        const r = await withWorkerWatch(
          { queues: services.queues, needed: queuesFor(['task-update']), onChange: (m) => printWorkerNotice(m) },
          () => runTaskUpdate(services, o.account, change, actor),
        );
        process.stderr.write(r.written ? `task ${r.taskId} ${r.from} → ${r.to}\n` : `task ${r.taskId} was already ${r.to}; nothing written\n`);
        print(r);
      } finally {
        await ctx.shutdown();
      }
    });
}
