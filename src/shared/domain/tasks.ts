/**
 * Engage tasks: list a rep's tasks (Gong lists them with a POST filter, the seed's
 * `create_a_gong_task`, a read) and set a task's status (`update_a_gong_task_by_id`), through the
 * account's `tasks` and `task-update` capabilities, whatever their argument keys.
 * Setting a status is idempotent: the task is read first, and a task that already has the status
 * gets no PATCH at all, so a retried job or a repeated command never writes twice.
 */
import type { Redis } from 'ioredis';
import { BadInputError, NonRetryableError, type Logger } from '../platform/index.ts';
import { loadCapabilities, type CapabilityTruto, type GongTask } from '../upstream/index.ts';
import { recordWrite } from './audit.ts';

export const TASK_STATUSES = ['OPEN', 'DONE', 'DISMISSED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** The seed's names of the tasks tools (an account may name them otherwise; capabilities resolve them). */
export const LIST_TOOL = 'create_a_gong_task';
export const UPDATE_TOOL = 'update_a_gong_task_by_id';

type Truto = CapabilityTruto;

export function parseTaskStatus(value: string, option: string): TaskStatus {
  const v = value.trim().toUpperCase();
  if (!(TASK_STATUSES as readonly string[]).includes(v)) throw new BadInputError(`${option} must be one of ${TASK_STATUSES.join(', ')}, got "${value}"`);
  return v as TaskStatus;
}

/** A Gong user id from an id or an email address (looked up among the company's users). */
export async function resolveUserId(truto: Truto, accountId: string, user: string): Promise<string> {
  const u = user.trim();
  if (/^\d{1,20}$/.test(u)) return u;
  if (!u.includes('@')) throw new BadInputError(`--user must be a Gong user id or an email address, got "${user}"`);
  const caps = await loadCapabilities(truto, accountId);
  const problem = caps.problem('users');
  if (problem) throw new BadInputError(`--user ${u}: an email can't be looked up (${problem.message}); give the Gong user id instead`);
  // Not retried here: the producer retries the whole lookup (retryRead), a job has BullMQ.
  const users = await caps.collect('users', {});
  const needle = u.toLowerCase();
  const found = users.find((x) => x.emailAddress?.toLowerCase() === needle || x.emailAliases?.some((a) => a.toLowerCase() === needle));
  if (!found) throw new BadInputError(`no Gong user with email ${u} on account ${accountId}`);
  return found.id;
}

/** A user's call tasks with the given statuses (Gong's list is not paginated). */
export async function listTasks(truto: Truto, accountId: string, userId: string, statuses: readonly TaskStatus[] = TASK_STATUSES, signal?: AbortSignal): Promise<GongTask[]> {
  const caps = await loadCapabilities(truto, accountId);
  return caps.collect('tasks', {
    filter: { userId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: [...statuses] },
  }, signal ? { signal } : {});
}

export interface TaskChange {
  taskId: string;
  userId: string;
  from: string;
  to: TaskStatus;
  /** False when the task already has the status: nothing to write. */
  needed: boolean;
  title: string;
}

/** What setting the status would change; BadInputError for a task the user does not have. */
export async function planTaskStatus(truto: Truto, accountId: string, userId: string, taskId: string, to: TaskStatus, signal?: AbortSignal): Promise<TaskChange> {
  const tasks = await listTasks(truto, accountId, userId, TASK_STATUSES, signal);
  const task = tasks.find((t) => t.id === taskId);
  if (!task) throw new BadInputError(`unknown task ${taskId} for user ${userId} on account ${accountId}`);
  return { taskId, userId, from: task.status, to, needed: task.status !== to, title: task.title ?? task.flow?.name ?? '(untitled task)' };
}

export interface ApplyTaskDeps {
  truto: Truto;
  redis: Redis;
  prefix: string;
  logger: Logger;
}

/**
 * Re-reads the task and PATCHes it only if its status differs. Run from the `task-update` write
 * job; the re-read makes a retry after a crash (PATCH done, job not acknowledged) a no-op.
 */
export async function applyTaskStatus(
  deps: ApplyTaskDeps,
  req: { accountId: string; userId: string; taskId: string; status: TaskStatus; requestedBy: string },
  signal?: AbortSignal,
): Promise<TaskChange & { written: boolean }> {
  let change: TaskChange;
  try {
    change = await planTaskStatus(deps.truto, req.accountId, req.userId, req.taskId, req.status, signal);
  } catch (err) {
    // In a job the task may have vanished since the command checked: fail, do not retry.
    if (err instanceof BadInputError) throw new NonRetryableError(err.message);
    throw err;
  }
  if (!change.needed) return { ...change, written: false };
  const caps = await loadCapabilities(deps.truto, req.accountId);
  const tool = caps.tool('task-update').name;
  await caps.call('task-update', { id: req.taskId, userId: req.userId, status: req.status }, signal ? { signal } : {});
  await recordWrite(deps.redis, deps.prefix, deps.logger, {
    who: req.requestedBy,
    tool,
    accountId: req.accountId,
    target: `task ${req.taskId} of user ${req.userId}`,
    outcome: `status ${change.from} → ${req.status}`,
  });
  return { ...change, written: true };
}
