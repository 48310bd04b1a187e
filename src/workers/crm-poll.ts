/**
 * `crm-poll` (writes queue, read-only tools): one request-status read per job. While Gong says
 * PENDING or IN_PROGRESS it enqueues the next poll with a growing delay (a chain of delayed jobs
 * that survives worker crashes and Redis restarts), until DONE, FAILED or the bounded total wait.
 * It sits on `writes` with its upload so one queue shows a sync end to end; it never writes.
 */
import { z } from 'zod';
import { crmStepDeps, pollLimits } from './crm-deps.ts';
import { pollCrmSync } from '../shared/domain/index.ts';
import { defineJob } from './define-job.ts';

export const CrmPollPayload = z.object({
  accountId: z.string().min(1),
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  /** Position in the chain; a job whose seq is not the sync's expected one is stale and stops. */
  seq: z.number().int().min(0),
});

export const crmPoll = defineJob({
  name: 'crm-poll',
  queue: 'writes',
  schema: CrmPollPayload,
  attempts: 6,
  backoffMs: 2_000,
  timeoutMs: 60_000,
  async process(p, { services, logger, signal }) {
    const deps = crmStepDeps(services, logger, p.accountId, p.clientRequestId);
    const { outcome, state } = await pollCrmSync(deps, pollLimits(services), p.clientRequestId, p.seq, signal);
    return { outcome, phase: state?.phase, gongStatus: state?.gongStatus };
  },
});
