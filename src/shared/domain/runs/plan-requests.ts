/**
 * The two run requests a person (or an agent run's built-in tool) can make: bulk-summarize calls
 * by window or by ids, and a deal autopsy. Each validates its input, discovers the calls and makes
 * the plan before anything is enqueued. Producers call these for the CLI; the agent's
 * `summarize_calls` and `deal_autopsy` call them from a worker, so they live here, not in producers.
 */
import { BadInputError } from '../../platform/index.ts';
import { loadCapabilitiesRetried } from '../../upstream/index.ts';
import { callRefFrom } from '../calls/calls.ts';
import { assertAccount, discoverCalls, type DiscoverDeps } from '../calls/discover.ts';
import { locateDeal } from '../deals/locate-deal.ts';
import { makePlan, type PlanDeps, type RunPlan } from './plan.ts';

/** What planning a run reads: the account's calls (Truto) and what a plan needs. */
export type RunRequestDeps = DiscoverDeps & PlanDeps;

export interface SummarizeRequest {
  accountId: string;
  /** Window start; with `callIds`, where to look the ids up when no tool reads calls by id. */
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
  /** CRM integration for reading `deal` as a CRM id on an account without a CRM-integrations tool. */
  integrationId?: string;
}

/** Every call of a run needs its transcript: no way to read one means no run (nothing enqueued, one line). */
async function assertTranscriptsReadable(services: RunRequestDeps, accountId: string, kind: string): Promise<void> {
  const problem = (await loadCapabilitiesRetried(services.truto, accountId)).problem('transcripts');
  if (problem) throw new BadInputError(`${kind} cannot read transcripts: ${problem.message}`);
}

export async function planSummarizeRun(services: RunRequestDeps, req: SummarizeRequest): Promise<RunPlan> {
  const byIds = req.callIds !== undefined;
  const windowGiven = req.from !== undefined || req.to !== undefined;
  if (!byIds && !windowGiven) throw new BadInputError('give either --from and --to, or --call-ids');
  if (windowGiven) checkWindow(req.from, req.to);
  if (byIds && (req.callIds ?? []).length === 0) throw new BadInputError('--call-ids lists no call ids');
  if (byIds && (req.callIds ?? []).length > 100) throw new BadInputError('--call-ids takes at most 100 ids; use --from/--to for more');
  await assertAccount(services, req.accountId);
  await assertTranscriptsReadable(services, req.accountId, 'summarize');
  const found = await discoverCalls(services, req);
  if (byIds && found.source !== 'given') {
    const got = new Set(found.calls.map((c) => c.metaData.id));
    const unknown = (req.callIds ?? []).filter((id) => !got.has(id));
    if (unknown.length > 0) {
      const where = found.idLookupWindow
        ? ` between ${found.idLookupWindow.from.slice(0, 10)} and ${found.idLookupWindow.to.slice(0, 10)} (its calls list takes no ids; give --from/--to to look elsewhere)`
        : '';
      throw new BadInputError(`--call-ids: not calls of account ${req.accountId}${where}: ${unknown.join(', ')}`);
    }
  } else if (!byIds && found.calls.length === 0) {
    throw new BadInputError(`no calls between ${req.from?.toISOString()} and ${req.to?.toISOString()} (Gong: "No calls found corresponding to the provided filters")`);
  }
  const calls = found.calls.map(callRefFrom);
  // Ids taken as given (no tool lists calls) have no start time.
  const starts = calls.map((c) => c.started).filter(Boolean).sort();
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
    degradations: found.degradations,
  });
}

export function checkWindow(from: Date | undefined, to: Date | undefined): void {
  if (!from || !to) throw new BadInputError('give both --from and --to');
  if (from.getTime() >= to.getTime()) throw new BadInputError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  if (to.getTime() > Date.now() + 60_000) throw new BadInputError(`--to (${to.toISOString()}) is in the future; Gong rejects future dates`);
}

/**
 * Ties the account's recent calls to the deal (by CRM context, else by their titles, see
 * locate-deal.ts), then plans transcripts, summaries, the reps' Engage tasks and Gong's AI brief.
 */
export async function planAutopsyRun(services: RunRequestDeps, req: AutopsyRequest): Promise<RunPlan> {
  const days = req.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new BadInputError(`--days must be a whole number from 1 to 365, got ${days}`);
  if (!req.deal.trim()) throw new BadInputError('--deal is empty');
  await assertAccount(services, req.accountId);
  await assertTranscriptsReadable(services, req.accountId, 'autopsy');
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
