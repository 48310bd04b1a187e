/**
 * Producer: the deal autopsy (seed scenario 1). Ties the account's recent calls to the deal (by
 * CRM context, else by their titles, see locate-deal.ts), then plans transcripts, summaries, the
 * reps' Engage tasks and Gong's AI brief, all before anything is enqueued.
 */
import { assertAccount, callRefFrom, locateDeal, makePlan, type RunPlan } from '../shared/domain/index.ts';
import { BadInputError } from '../shared/platform/index.ts';
import { loadCapabilities } from '../shared/upstream/index.ts';
import type { ProducerServices } from './services.ts';

export interface AutopsyRequest {
  accountId: string;
  deal: string;
  /** Look-back window in days. Default 30. */
  days?: number;
  /** End of the window. Default now. */
  now?: Date;
  /** CRM integration for reading `deal` as a CRM id on an account without a CRM-integrations tool. */
  integrationId?: string;
}

export async function planAutopsy(services: Pick<ProducerServices, 'truto' | 'transcripts' | 'governor' | 'planLimits' | 'llm'>, req: AutopsyRequest): Promise<RunPlan> {
  const days = req.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new BadInputError(`--days must be a whole number from 1 to 365, got ${days}`);
  if (!req.deal.trim()) throw new BadInputError('--deal is empty');
  await assertAccount(services, req.accountId);
  // Every call needs its transcript: no way to read one means no run (nothing enqueued, one line).
  const transcripts = (await loadCapabilities(services.truto, req.accountId)).problem('transcripts');
  if (transcripts) throw new BadInputError(`autopsy cannot read transcripts: ${transcripts.message}`);
  const to = req.now ?? new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const located = await locateDeal(services, {
    accountId: req.accountId,
    deal: req.deal,
    from,
    to,
    ...(req.integrationId ? { integrationId: req.integrationId } : {}),
  });
  const { calls: dealCalls, ...deal } = located.deal;
  const calls = dealCalls.map(callRefFrom);
  const userIds = [...new Set(calls.map((c) => c.primaryUserId).filter((u): u is string => !!u))];
  return makePlan(services, {
    kind: 'autopsy',
    accountId: req.accountId,
    subject: deal.accountName ?? deal.name,
    window: { from: from.toISOString(), to: to.toISOString() },
    calls,
    deal,
    userIds,
    discoveryRequests: located.requests,
    degradations: located.degradations,
  });
}
