/**
 * Producer: bulk-summarize the calls of an account, by window or by ids. Validates everything
 * and makes the plan before anything is enqueued.
 */
import { assertAccount, callRefFrom, discoverCalls, makePlan, type RunPlan } from '../shared/domain/index.ts';
import { BadInputError } from '../shared/platform/index.ts';
import { loadCapabilities } from '../shared/upstream/index.ts';
import type { ProducerServices } from './services.ts';

export interface SummarizeRequest {
  accountId: string;
  /** Window start; with `callIds`, where to look the ids up when no tool reads calls by id. */
  from?: Date;
  to?: Date;
  callIds?: string[];
}

export async function planSummarize(services: Pick<ProducerServices, 'truto' | 'transcripts' | 'governor' | 'planLimits' | 'llm'>, req: SummarizeRequest): Promise<RunPlan> {
  const byIds = req.callIds !== undefined;
  const windowGiven = req.from !== undefined || req.to !== undefined;
  if (!byIds && !windowGiven) throw new BadInputError('give either --from and --to, or --call-ids');
  if (windowGiven) checkWindow(req.from, req.to);
  if (byIds && (req.callIds ?? []).length === 0) throw new BadInputError('--call-ids lists no call ids');
  if (byIds && (req.callIds ?? []).length > 100) throw new BadInputError('--call-ids takes at most 100 ids; use --from/--to for more');
  await assertAccount(services, req.accountId);
  // Every call needs its transcript: no way to read one means no run (nothing enqueued, one line).
  const transcripts = (await loadCapabilities(services.truto, req.accountId)).problem('transcripts');
  if (transcripts) throw new BadInputError(`summarize cannot read transcripts: ${transcripts.message}`);
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
