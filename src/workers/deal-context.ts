/** `deal-context`: the autopsy's tasks and AI brief, fetched once under the governor. Read-only. */
import { catalog } from '../queues/catalog.ts';
import { bumpRun, fetchDealContext } from '../shared/domain/index.ts';
import { implement } from './define-job.ts';

export const dealContext = implement(catalog['deal-context'], async (p, { services, signal }) => {
  const ctx = await fetchDealContext(services, p.accountId, p.deal, p.userIds, signal);
  await bumpRun(services.redis, services.prefix, p.runId, { upstreamRequests: ctx.requests });
  return { kind: 'deal-context' as const, tasks: ctx.tasks, brief: ctx.brief, ...(ctx.deal ? { deal: ctx.deal } : {}), degradations: ctx.degradations };
});
