/**
 * `task-update` (writes): sets one Engage task's status through `update_a_gong_task_by_id`, only
 * if it differs (the task is re-read first), and records the write with who/what/when.
 */
import { catalog } from '../queues/catalog.ts';
import { applyTaskStatus } from '../shared/domain/index.ts';
import { implement } from './define-job.ts';

export const taskUpdate = implement(catalog['task-update'], async (p, { services, logger, signal }) => {
  const r = await applyTaskStatus({ truto: services.truto, redis: services.redis, prefix: services.prefix, logger }, p, signal);
  return { taskId: r.taskId, from: r.from, to: r.to, written: r.written };
});
