/**
 * A manager's coaching metrics per direct report from `GET /v2/coaching`. Gong names its
 * parameters with hyphens (`workspace-id`, `manager-id`) and marks them all required; a Truto tool
 * may name them otherwise (arg-map.ts finds them) and may not require the workspace, in which case
 * the sweep never looks one up. One manager at a time: one request per manager, the API's floor.
 */
import { type AccountCapabilities, type CallBasicData, type UserMetadata } from '../../upstream/index.ts';
import type { SweepWindow } from './window.ts';

export interface CoachingMetrics {
  /** Distinct calls of the rep (started in the window) the manager listened to. */
  callsListenedTo: number;
  callsManagerAttended: number;
  callsWithFeedback: number;
  callsWithScorecardFilled: number;
}

/** Where the workspace id came from: the workspaces tool, or the calls' or users' metadata. */
export interface WorkspaceLookup {
  workspaceId: string | undefined;
  source: 'workspaces' | 'calls' | 'users' | 'none';
  requests: number;
}

/**
 * The company's workspace: from a workspaces tool, else from metadata already read (Gong's calls
 * list carries `workspaceId`; users are checked for one too, in case an integration adds it).
 */
export async function fetchWorkspaceId(
  caps: AccountCapabilities,
  known: { calls?: readonly Pick<CallBasicData, 'workspaceId'>[]; users?: readonly UserMetadata[] } = {},
  signal?: AbortSignal,
): Promise<WorkspaceLookup> {
  if (caps.has('workspaces')) {
    const res = await caps.collect('workspaces', {}, signal ? { signal } : {});
    return { workspaceId: res[0]?.id, source: 'workspaces', requests: 1 };
  }
  const fromCalls = known.calls?.find((c) => c.workspaceId)?.workspaceId;
  if (fromCalls) return { workspaceId: fromCalls, source: 'calls', requests: 0 };
  const fromUsers = known.users?.map((u) => u.workspaceId ?? (u.settings as { workspaceId?: unknown } | null | undefined)?.workspaceId).find((w) => typeof w === 'string' || typeof w === 'number');
  if (fromUsers !== undefined) return { workspaceId: String(fromUsers), source: 'users', requests: 0 };
  return { workspaceId: undefined, source: 'none', requests: 0 };
}

export async function fetchCoaching(
  caps: AccountCapabilities,
  q: { workspaceId?: string | undefined; managerId: string; window: SweepWindow },
  signal?: AbortSignal,
): Promise<Map<string, CoachingMetrics>> {
  const args = {
    ...(q.workspaceId ? { 'workspace-id': q.workspaceId } : {}),
    'manager-id': q.managerId,
    from: new Date(q.window.fromMs).toISOString(),
    to: new Date(q.window.toMs).toISOString(),
  };
  const items = await caps.collect('coaching', args, signal ? { signal } : {});
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
