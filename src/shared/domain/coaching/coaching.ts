/**
 * A manager's coaching metrics per direct report from `GET /v2/coaching`. Its parameters are
 * hyphenated (`workspace-id`, `manager-id`) and all required; it answers one manager at a time,
 * so a sweep makes one request per manager, the floor the API allows.
 */
import { type TrutoClient, CoachingData } from '../../upstream/index.ts';
import type { SweepWindow } from './window.ts';

export interface CoachingMetrics {
  /** Distinct calls of the rep (started in the window) the manager listened to. */
  callsListenedTo: number;
  callsManagerAttended: number;
  callsWithFeedback: number;
  callsWithScorecardFilled: number;
}

export async function fetchWorkspaceId(truto: TrutoClient, accountId: string, signal?: AbortSignal): Promise<string | undefined> {
  const res = await truto.collectAll<{ id?: unknown }>(accountId, 'list_all_gong_workspaces', {}, signal ? { signal } : {});
  const id = res[0]?.id;
  return id === undefined || id === null ? undefined : String(id);
}

export async function fetchCoaching(
  truto: TrutoClient,
  accountId: string,
  q: { workspaceId: string; managerId: string; window: SweepWindow },
  signal?: AbortSignal,
): Promise<Map<string, CoachingMetrics>> {
  const args = {
    'workspace-id': q.workspaceId,
    'manager-id': q.managerId,
    from: new Date(q.window.fromMs).toISOString(),
    to: new Date(q.window.toMs).toISOString(),
  };
  const items = await truto.collectAll(accountId, 'list_all_gong_coachings', args, { itemSchema: CoachingData, ...(signal ? { signal } : {}) });
  const out = new Map<string, CoachingMetrics>();
  for (const data of items) {
    for (const r of data.directReportsMetrics) {
      const m = r.metrics ?? {};
      out.set(r.report.id, {
        callsListenedTo: m['callsListenedTo']?.length ?? 0,
        callsManagerAttended: m['callsManagerAttended']?.length ?? 0,
        callsWithFeedback: m['callsWithFeedback']?.length ?? 0,
        callsWithScorecardFilled: m['callsWithScorecardFilled']?.length ?? 0,
      });
    }
  }
  return out;
}
