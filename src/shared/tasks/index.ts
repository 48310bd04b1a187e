/** Engage task services: list a rep's tasks, plan and apply an idempotent status change. */
export { TASK_STATUSES, LIST_TOOL, UPDATE_TOOL, parseTaskStatus, resolveUserId, listTasks, planTaskStatus, applyTaskStatus } from './tasks.ts';
export type { TaskStatus, TaskChange, ApplyTaskDeps } from './tasks.ts';
