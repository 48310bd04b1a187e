/**
 * The non-call context of a deal autopsy: the reps' Engage tasks for the deal's account (OPEN vs
 * DONE), and Gong's own AI brief for the deal when the company has one (a 402 or 404 from the
 * brief is noted in the report, never fatal).
 */
import { type TrutoClient, GetBriefResponse, TasksResponse, type GongTask, TrutoNotFoundError, TrutoPaymentRequiredError } from '../../upstream/index.ts';

/** The Agent Studio brief the fleet asks for. Gong's default deal brief is named like this. */
export const DEFAULT_BRIEF_NAME = 'Deal Brief';

export interface DealRef {
  name: string;
  crmId: string;
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
  truto: Pick<TrutoClient, 'callTool'>;
}

export interface DealContext {
  tasks: { open: TaskLine[]; done: TaskLine[]; dismissed: TaskLine[]; note?: string };
  brief: { status: 'available' | 'unavailable'; note?: string; sections: { title: string; summary: string[] }[] };
  requests: number;
}

export async function fetchDealContext(
  services: DealContextDeps,
  accountId: string,
  deal: DealRef,
  userIds: string[],
  signal?: AbortSignal,
): Promise<DealContext> {
  const ctx: DealContext = { tasks: { open: [], done: [], dismissed: [] }, brief: { status: 'unavailable', sections: [] }, requests: 0 };
  for (const userId of userIds) {
    const res = await services.truto.callTool(accountId, 'create_a_gong_task', {
      filter: { userId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN', 'DONE', 'DISMISSED'] },
    }, signal ? { signal } : {});
    ctx.requests += 1;
    for (const t of TasksResponse.parse(res.body).tasks) {
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
  }
  if (userIds.length === 0) ctx.tasks.note = 'no rep hosted a call of this deal in the window';
  ctx.brief = await fetchBrief(services, accountId, deal, signal);
  ctx.requests += 1;
  return ctx;
}

function belongsToDeal(t: GongTask, deal: DealRef): boolean {
  if (t.opportunity?.crmId && t.opportunity.crmId === deal.crmId) return true;
  if (deal.accountCrmId && t.account?.crmId === deal.accountCrmId) return true;
  const name = (deal.accountName ?? deal.name).toLowerCase();
  return !!t.account?.name && t.account.name.toLowerCase() === name;
}

async function fetchBrief(
  services: DealContextDeps,
  accountId: string,
  deal: DealRef,
  signal?: AbortSignal,
): Promise<DealContext['brief']> {
  try {
    const res = await services.truto.callTool(accountId, 'list_all_gong_entities_get_briefs', {
      ...(deal.workspaceId ? { workspaceId: deal.workspaceId } : {}),
      briefName: DEFAULT_BRIEF_NAME,
      crmEntityType: 'DEAL',
      crmEntityId: deal.crmId,
      timePeriod: 'LAST_30DAYS',
    }, signal ? { signal } : {});
    // As a Truto list, Gong's single brief object arrives as a one-item `result` (or, depending on
    // Truto's mapping, its sections do); as Gong's raw body it is the object itself.
    const body = res.body as { result?: unknown[]; briefSections?: unknown[] };
    const first = Array.isArray(body.result) ? (body.result[0] as { briefSections?: unknown } | undefined) : undefined;
    const raw = !Array.isArray(body.result) ? body : first && Array.isArray(first.briefSections) ? first : { briefSections: body.result };
    const brief = GetBriefResponse.parse(raw);
    return {
      status: 'available',
      sections: brief.briefSections.map((s) => ({ title: s.title ?? 'Brief', summary: s.sectionSummary ?? [] })),
    };
  } catch (err) {
    if (err instanceof TrutoPaymentRequiredError) {
      return { status: 'unavailable', note: 'Gong answered 402 Payment Required (no AI Briefer credits)', sections: [] };
    }
    if (err instanceof TrutoNotFoundError) {
      return { status: 'unavailable', note: `Gong has no "${DEFAULT_BRIEF_NAME}" for this deal (404)`, sections: [] };
    }
    throw err;
  }
}
