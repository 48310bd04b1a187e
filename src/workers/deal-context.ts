/** `deal-context`: the autopsy's tasks and AI brief, fetched once under the governor. Read-only. */
import { z } from 'zod';
import { fetchDealContext, bumpRun } from '../shared/domain/index.ts';
import { defineJob } from './define-job.ts';

export const DealContextPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  deal: z.object({
    name: z.string(),
    crmId: z.string(),
    accountCrmId: z.string().optional(),
    accountName: z.string().optional(),
    workspaceId: z.string().optional(),
  }),
  /** Reps whose tasks to check (the hosts of the deal's calls). */
  userIds: z.array(z.string()).max(50),
});

export const dealContext = defineJob({
  name: 'deal-context',
  queue: 'upstream',
  schema: DealContextPayload,
  attempts: 4,
  backoffMs: 2_000,
  timeoutMs: 120_000,
  async process(p, { services, signal }) {
    const ctx = await fetchDealContext(services, p.accountId, p.deal, p.userIds, signal);
    await bumpRun(services.redis, services.prefix, p.runId, { upstreamRequests: ctx.requests });
    return { kind: 'deal-context' as const, tasks: ctx.tasks, brief: ctx.brief };
  },
});
