/**
 * `task-update` (writes): sets one Engage task's status through `update_a_gong_task_by_id`, only
 * if it differs (the task is re-read first), and records the write with who/what/when.
 */
import { z } from 'zod';
import { applyTaskStatus, TASK_STATUSES } from '../shared/domain/index.ts';
import { defineJob } from './define-job.ts';

export const TaskUpdatePayload = z.object({
  accountId: z.string().min(1),
  userId: z.string().regex(/^\d{1,20}$/),
  taskId: z.string().regex(/^\d{1,20}$/),
  status: z.enum(TASK_STATUSES),
  /** Who asked (user@host), for the write audit. */
  requestedBy: z.string().min(1).max(200),
});

export const taskUpdate = defineJob({
  name: 'task-update',
  queue: 'writes',
  schema: TaskUpdatePayload,
  writes: true,
  attempts: 4,
  backoffMs: 2_000,
  timeoutMs: 60_000,
  async process(p, { services, logger, signal }) {
    const r = await applyTaskStatus({ truto: services.truto, redis: services.redis, prefix: services.prefix, logger }, p, signal);
    return { taskId: r.taskId, from: r.from, to: r.to, written: r.written };
  },
});
