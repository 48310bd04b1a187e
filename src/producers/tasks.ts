/**
 * Producer side of `tasks`: list a rep's Engage tasks (a read, done right here), and plan a status
 * change (unknown task → bad input; same status → nothing to do) before enqueueing the
 * `task-update` write job and waiting for its result.
 */
import { catalog } from '../queues/catalog.ts';
import type { Lane } from '../queues/fair/index.ts';
import { assertAccount, listTasks, planTaskStatus, resolveUserId, type TaskChange, type TaskStatus } from '../shared/domain/index.ts';
import { BadInputError, FleetError } from '../shared/platform/index.ts';
import { loadCapabilitiesRetried, retryRead, type GongTask } from '../shared/upstream/index.ts';
import type { ProducerServices } from './services.ts';

export async function listUserTasks(services: Pick<ProducerServices, 'truto'>, accountId: string, user: string, statuses?: TaskStatus[]): Promise<{ userId: string; tasks: GongTask[] }> {
  await assertAccount(services, accountId);
  const userId = await retryRead('user lookup', () => resolveUserId(services.truto, accountId, user));
  return { userId, tasks: await retryRead('tasks read', () => listTasks(services.truto, accountId, userId, statuses)) };
}

export async function planTaskUpdate(services: Pick<ProducerServices, 'truto'>, req: { accountId: string; user: string; taskId: string; status: TaskStatus }): Promise<TaskChange> {
  await assertAccount(services, req.accountId);
  // Refuse before enqueueing a write job that could never write.
  const problem = (await loadCapabilitiesRetried(services.truto, req.accountId)).problem('task-update');
  if (problem) throw new BadInputError(`tasks set cannot update a task: ${problem.message}`);
  const userId = await retryRead('user lookup', () => resolveUserId(services.truto, req.accountId, req.user));
  return retryRead('tasks read', () => planTaskStatus(services.truto, req.accountId, userId, req.taskId, req.status));
}

export interface TaskUpdateResult {
  taskId: string;
  from: string;
  to: string;
  written: boolean;
}

/** Enqueues the write job and waits for it (the job re-checks the status, so a race stays safe). */
export async function runTaskUpdate(
  services: Pick<ProducerServices, 'queues'>,
  accountId: string,
  change: TaskChange,
  requestedBy: string,
  opts: { timeoutMs?: number; checkMs?: number; lane?: Lane } = {},
): Promise<TaskUpdateResult> {
  // A person waits for the answer unless the caller says otherwise.
  const lane = opts.lane ?? 'interactive';
  const job = await services.queues.enqueue('task-update', { accountId, userId: change.userId, taskId: change.taskId, status: change.to, requestedBy }, { lane });
  const queue = services.queues.queue(catalog['task-update'].queue);
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  for (;;) {
    const current = job.id ? await queue.getJob(job.id) : undefined;
    const state = current ? await current.getState() : 'unknown';
    if (state === 'completed') return current!.returnvalue as TaskUpdateResult;
    if (state === 'failed') throw new FleetError(`task update failed: ${current?.failedReason ?? 'unknown reason'}`, false);
    if (Date.now() > deadline) throw new FleetError(`gave up waiting for the task-update job ${job.id} (state ${state}); is a worker serving the writes queue?`, false);
    await new Promise((r) => setTimeout(r, opts.checkMs ?? 200));
  }
}
