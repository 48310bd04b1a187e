/**
 * `crm-poll` (writes queue, read-only tools): one request-status read per job. While Gong says
 * PENDING or IN_PROGRESS it enqueues the next poll with a growing delay (a chain of delayed jobs
 * that survives worker crashes and Redis restarts), until DONE, FAILED or the bounded total wait.
 * It sits on `writes` with its upload so one queue shows a sync end to end; it never writes.
 */
import { catalog } from '../queues/catalog.ts';
import { laneOf } from '../queues/fair/index.ts';
import { pollCrmSync } from '../shared/domain/index.ts';
import { crmStepDeps } from './crm-deps.ts';
import { implement } from './define-job.ts';

export const crmPoll = implement(catalog['crm-poll'], async (p, { job, services, logger, signal }) => {
  const deps = crmStepDeps(services, logger, p.accountId, p.clientRequestId, laneOf(job.data));
  const { outcome, state } = await pollCrmSync(deps, services.crmPollLimits, p.clientRequestId, p.seq, signal);
  return { outcome, phase: state?.phase, gongStatus: state?.gongStatus };
});
