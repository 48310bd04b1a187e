/**
 * The two run requests a person (or an agent run's built-in tool) can make: bulk-summarize calls
 * by window or by ids, and a deal autopsy. Each validates its input, discovers the calls and makes
 * the plan before anything is enqueued. Producers call these for the CLI; the agent's
 * `summarize_calls` and `deal_autopsy` call them from a worker, so they live here, not in producers.
 */
import { BadInputError } from '../../platform/index.ts';
import { callRefFrom } from '../calls/calls.ts';
import { assertAccount, discoverCalls, type DiscoverDeps } from '../calls/discover.ts';
import { findDeal } from '../deals/find-deal.ts';
import { makePlan, type PlanDeps, type RunPlan } from './plan.ts';

/** What planning a run reads: the account's calls (Truto) and what a plan needs. */
export type RunRequestDeps = DiscoverDeps & PlanDeps;

export interface SummarizeRequest {
  accountId: string;
  from?: Date;
  to?: Date;
  callIds?: string[];
}

export interface AutopsyRequest {
  accountId: string;
  deal: string;
  /** Look-back window in days. Default 30. */
  days?: number;
  /** End of the window. Default now. */
  now?: Date;
}

export async function planSummarizeRun(services: RunRequestDeps, req: SummarizeRequest): Promise<RunPlan> {
  const byIds = req.callIds !== undefined;
  if (byIds === (req.from !== undefined || req.to !== undefined)) {
    throw new BadInputError('give either --from and --to, or --call-ids');
  }
  if (!byIds) checkWindow(req.from, req.to);
  if (byIds && (req.callIds ?? []).length === 0) throw new BadInputError('--call-ids lists no call ids');
  if (byIds && (req.callIds ?? []).length > 100) throw new BadInputError('--call-ids takes at most 100 ids; use --from/--to for more');
  await assertAccount(services, req.accountId);
  const found = await discoverCalls(services, req);
  if (byIds) {
    const got = new Set(found.calls.map((c) => c.metaData.id));
    const unknown = (req.callIds ?? []).filter((id) => !got.has(id));
    if (unknown.length > 0) throw new BadInputError(`--call-ids: not calls of account ${req.accountId}: ${unknown.join(', ')}`);
  } else if (found.calls.length === 0) {
    throw new BadInputError(`no calls between ${req.from?.toISOString()} and ${req.to?.toISOString()} (Gong: "No calls found corresponding to the provided filters")`);
  }
  const calls = found.calls.map(callRefFrom);
  const starts = calls.map((c) => c.started).sort();
  const window = byIds
    ? { from: starts[0] ?? '', to: starts[starts.length - 1] ?? '' }
    : { from: req.from!.toISOString(), to: req.to!.toISOString() };
  return makePlan(services, {
    kind: 'summarize',
    accountId: req.accountId,
    subject: byIds ? `${calls.length} selected calls` : `calls ${window.from.slice(0, 10)} to ${window.to.slice(0, 10)}`,
    window,
    calls,
    userIds: [],
    discoveryRequests: found.requests,
  });
}

export function checkWindow(from: Date | undefined, to: Date | undefined): void {
  if (!from || !to) throw new BadInputError('give both --from and --to');
  if (from.getTime() >= to.getTime()) throw new BadInputError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  if (to.getTime() > Date.now() + 60_000) throw new BadInputError(`--to (${to.toISOString()}) is in the future; Gong rejects future dates`);
}

export async function planAutopsyRun(services: RunRequestDeps, req: AutopsyRequest): Promise<RunPlan> {
  const days = req.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new BadInputError(`--days must be a whole number from 1 to 365, got ${days}`);
  if (!req.deal.trim()) throw new BadInputError('--deal is empty');
  await assertAccount(services, req.accountId);
  const to = req.now ?? new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const found = await discoverCalls(services, { accountId: req.accountId, from, to, crmContext: true });
  if (found.calls.length === 0) throw new BadInputError(`no calls in the last ${days} days on account ${req.accountId}`);
  const { calls: dealCalls, ...deal } = findDeal(found.calls, req.deal);
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
    discoveryRequests: found.requests,
  });
}
