/**
 * The non-call context of a deal autopsy: the reps' Engage tasks for the deal's account (OPEN vs
 * DONE), and Gong's own AI brief for the deal when the company has one. Both are optional: a
 * missing tool, a 402, 403, 404 or 405 is noted in the report, never fatal. When the calls were
 * tied by title (no CRM context), the tasks are also where the deal's CRM id, stage and amount
 * come from: Gong puts the opportunity on each task.
 */
import {
  TrutoApiError,
  TrutoNotFoundError,
  TrutoPaymentRequiredError,
  TrutoScopeError,
  loadCapabilities,
  type AccountCapabilities,
  type CapabilityTruto,
  type GongTask,
} from '../../upstream/index.ts';
import { addDegradation, type Degradation } from '../runs/degradations.ts';

/** The Agent Studio brief the fleet asks for. Gong's default deal brief is named like this. */
export const DEFAULT_BRIEF_NAME = 'Deal Brief';

export interface DealRef {
  name: string;
  /** Undefined when the calls were tied by title and nothing named the deal's CRM id yet. */
  crmId?: string;
  accountCrmId?: string;
  accountName?: string;
  workspaceId?: string;
}

/** One Engage task as the autopsy report lists it. */
export interface TaskLine {
  id: string;
  title: string;
  status: string;
  dueDate?: string;
  userId: string;
  accountName?: string;
}

/** What fetching a deal's context needs: a (read-only) Truto client. */
export interface DealContextDeps {
  truto: CapabilityTruto;
}

/** The deal as the tasks name it, when the plan could not (calls tied by title). */
export interface DealFromTasks {
  name: string;
  crmId: string;
  accountName?: string;
  stage?: string;
  amount?: string;
}

export interface DealContext {
  tasks: { open: TaskLine[]; done: TaskLine[]; dismissed: TaskLine[]; note?: string };
  brief: { status: 'available' | 'unavailable'; note?: string; sections: { title: string; summary: string[] }[] };
  requests: number;
  /** Set when the deal's CRM id came from the tasks. */
  deal?: DealFromTasks;
  degradations: Degradation[];
}

export async function fetchDealContext(
  services: DealContextDeps,
  accountId: string,
  dealIn: DealRef,
  userIds: string[],
  signal?: AbortSignal,
): Promise<DealContext> {
  const caps = await loadCapabilities(services.truto, accountId);
  const ctx: DealContext = { tasks: { open: [], done: [], dismissed: [] }, brief: { status: 'unavailable', sections: [] }, requests: 0, degradations: [] };
  const all: GongTask[] = [];
  if (!caps.has('tasks')) {
    ctx.tasks.note = `no Engage tasks: ${describeMissing(caps, 'tasks')}`;
    addDegradation(ctx.degradations, 'no-tasks-tool', `the reps' Engage tasks were not read: ${describeMissing(caps, 'tasks')}`);
  } else {
    for (const userId of userIds) {
      const tasks = await caps.collect('tasks', {
        filter: { userId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN', 'DONE', 'DISMISSED'] },
      }, signal ? { signal } : {});
      ctx.requests += 1;
      all.push(...tasks);
    }
    if (userIds.length === 0) ctx.tasks.note = 'no rep hosted a call of this deal in the window';
  }
  let deal = dealIn;
  if (!deal.crmId) {
    const fromTasks = dealFromTasks(all, deal);
    if (fromTasks) {
      ctx.deal = fromTasks;
      deal = { ...deal, name: fromTasks.name, crmId: fromTasks.crmId, ...(fromTasks.accountName ? { accountName: fromTasks.accountName } : {}) };
      addDegradation(ctx.degradations, 'deal-from-tasks', `the deal's name, CRM id, stage and amount were read from the reps' Engage tasks (opportunity ${fromTasks.crmId}), not from CRM context on the calls`);
    } else {
      addDegradation(ctx.degradations, 'deal-crm-unknown', "the deal's CRM id, stage and amount are unknown: no CRM context on the calls and no Engage task names the opportunity");
    }
  }
  for (const t of all) {
    if (!belongsToDeal(t, deal)) continue;
    const line: TaskLine = {
      id: t.id,
      title: t.title ?? t.flow?.name ?? '(untitled task)',
      status: t.status,
      userId: t.userId,
      ...(t.dueDate ? { dueDate: t.dueDate } : {}),
      ...(t.account?.name ? { accountName: t.account.name } : {}),
    };
    if (t.status === 'OPEN') ctx.tasks.open.push(line);
    else if (t.status === 'DONE') ctx.tasks.done.push(line);
    else ctx.tasks.dismissed.push(line);
  }
  const brief = await fetchBrief(caps, deal, signal);
  ctx.brief = brief.brief;
  ctx.requests += brief.requests;
  if (brief.degradation) addDegradation(ctx.degradations, 'no-brief-tool', brief.degradation);
  return ctx;
}

function describeMissing(caps: AccountCapabilities, id: 'tasks' | 'brief'): string {
  return caps.problem(id)?.message ?? 'present';
}

const same = (a: string | null | undefined, b: string | undefined): boolean => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

function belongsToDeal(t: GongTask, deal: DealRef): boolean {
  if (deal.crmId && t.opportunity?.crmId === deal.crmId) return true;
  if (deal.accountCrmId && t.account?.crmId === deal.accountCrmId) return true;
  return same(t.account?.name, deal.accountName ?? deal.name);
}

/** The opportunity most of the deal account's tasks name. */
function dealFromTasks(tasks: GongTask[], deal: DealRef): DealFromTasks | undefined {
  const counts = new Map<string, { n: number; t: GongTask }>();
  for (const t of tasks) {
    const opp = t.opportunity;
    if (!opp?.crmId) continue;
    const ofAccount = same(t.account?.name, deal.accountName ?? deal.name) || same(opp.name, deal.name);
    if (!ofAccount) continue;
    const c = counts.get(opp.crmId);
    counts.set(opp.crmId, { n: (c?.n ?? 0) + 1, t: c?.t ?? t });
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0]?.t;
  const opp = best?.opportunity;
  if (!best || !opp?.crmId) return undefined;
  return {
    name: opp.name ?? deal.name,
    crmId: opp.crmId,
    ...(best.account?.name ? { accountName: best.account.name } : {}),
    ...(opp.stage ? { stage: opp.stage } : {}),
    ...(opp.amount ? { amount: opp.amount } : {}),
  };
}

type BriefResult = { brief: DealContext['brief']; requests: number; degradation?: string };

async function fetchBrief(caps: AccountCapabilities, deal: DealRef, signal?: AbortSignal): Promise<BriefResult> {
  const unavailable = (note: string, requests = 0): BriefResult => ({ brief: { status: 'unavailable', note, sections: [] }, requests });
  if (!caps.has('brief')) {
    const why = describeMissing(caps, 'brief');
    return { ...unavailable(`no AI-brief tool: ${why}`), degradation: `Gong's AI brief was not read: ${why}` };
  }
  if (!deal.crmId) return unavailable("the deal's CRM id is unknown, and Gong's brief is asked for by CRM id");
  if (!deal.workspaceId) return unavailable("the deal's workspace id is unknown, and Gong's brief needs it");
  try {
    const brief = await caps.one('brief', {
      workspaceId: deal.workspaceId,
      briefName: DEFAULT_BRIEF_NAME,
      crmEntityType: 'DEAL',
      crmEntityId: deal.crmId,
      timePeriod: 'LAST_30DAYS',
    }, signal ? { signal } : {});
    if (!brief) return unavailable('Gong answered no brief', 1);
    return { brief: { status: 'available', sections: brief.briefSections.map((s) => ({ title: s.title ?? 'Brief', summary: s.sectionSummary ?? [] })) }, requests: 1 };
  } catch (err) {
    if (err instanceof TrutoPaymentRequiredError) return unavailable('Gong answered 402 Payment Required (no AI Briefer credits)', 1);
    if (err instanceof TrutoNotFoundError) return unavailable(`Gong has no "${DEFAULT_BRIEF_NAME}" for this deal (404)`, 1);
    if (err instanceof TrutoScopeError) return unavailable(`Gong answered 403: ${err.missingScopes.length ? `missing scope ${err.missingScopes.join(', ')}` : 'forbidden'}`, 1);
    if (err instanceof TrutoApiError && err.status === 405) return unavailable('Truto answered 405 Method Not Allowed (e.g. a sandbox integrated account)', 1);
    throw err;
  }
}
