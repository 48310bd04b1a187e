/**
 * The plan of a coaching sweep (seed scenario 2), made before anything is enqueued, by the CLI's
 * producer and by a scheduled run alike: everything that can be bad input is checked and the
 * account-wide numbers are read (the roster of managers and their reps, activity for every rep in
 * as few requests as Gong allows, answered scorecards). Launching it is the flow builder's job
 * (queues/flows.ts): a `sweep-report` parent with one `sweep-manager` child per manager.
 */
import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../platform/index.ts';
import { loadCapabilitiesRetried, retryRead, type AccountCapabilities, type CallBasicData, type TrutoClient, type UserMetadata } from '../../upstream/index.ts';
import { assertAccount } from '../calls/discover.ts';
import { addDegradation, type Degradation } from '../runs/degradations.ts';
import { fetchActivity } from './activity.ts';
import { fetchWorkspaceId } from './coaching.ts';
import type { FlagThresholds } from './flags.ts';
import { fetchRoster, findTeam, type Team } from './roster.ts';
import { fetchScorecards } from './scorecards.ts';
import { checkSweepWindow, lastDays, type SweepWindow } from './window.ts';

/** The sweep's knobs (config SWEEP_WINDOW_DAYS, SWEEP_NEW_HIRE_DAYS, SWEEP_MIN_MANAGER_LISTENS, SWEEP_MAX_CALLS_WITHOUT_SCORECARD). */
export interface SweepSettings {
  /** Look-back window when a request names no `from`, in days. */
  windowDays: number;
  newHireDays: number;
  minManagerListens: number;
  maxCallsWithoutScorecard: number;
}

/** What planning a sweep needs: a Truto client (reads only) and the sweep's settings. */
export interface PlanSweepDeps {
  truto: TrutoClient;
  sweep: SweepSettings;
}

export interface SweepRequest {
  accountId: string;
  /** Manager by email, Gong user id or full name. Default: every front-line manager. */
  manager?: string;
  /** Window start. Default: SWEEP_WINDOW_DAYS before `to`. */
  from?: Date;
  /** Window end (exclusive). Default now. */
  to?: Date;
  /** Clock for the default window, in ms. Default Date.now(). */
  nowMs?: number;
}

export interface SweepPlan {
  runId: string;
  accountId: string;
  window: SweepWindow;
  /** Undefined when the coaching tool does not require one (it is then left out). */
  workspaceId: string | undefined;
  /** What the account's tools could not give this sweep. */
  degradations: Degradation[];
  thresholds: FlagThresholds;
  teams: Array<Team & { hosted: Record<string, number>; scorecards: Record<string, number> }>;
  /** Upstream requests the plan itself made (roster, workspace, activity, scorecards). */
  requests: number;
}

export function thresholdsFrom(settings: SweepSettings): FlagThresholds {
  return {
    newHireDays: settings.newHireDays,
    minManagerListens: settings.minManagerListens,
    maxCallsWithoutScorecard: settings.maxCallsWithoutScorecard,
  };
}

/** The window a request asks for, checked (future `--to` is bad input: Gong rejects it). */
export function sweepWindow(settings: Pick<SweepSettings, 'windowDays'>, req: Pick<SweepRequest, 'from' | 'to' | 'nowMs'>): SweepWindow {
  const nowMs = req.nowMs ?? Date.now();
  if (req.to && req.to.getTime() > nowMs + 60_000) {
    throw new BadInputError(`--to (${req.to.toISOString()}) is in the future; Gong rejects dates after today`);
  }
  const toMs = req.to?.getTime() ?? nowMs;
  const fromMs = req.from?.getTime() ?? lastDays(settings.windowDays, toMs).fromMs;
  return checkSweepWindow({ fromMs, toMs }, nowMs);
}

export async function planSweep(deps: PlanSweepDeps, req: SweepRequest): Promise<SweepPlan> {
  const window = sweepWindow(deps.sweep, req);
  await assertAccount(deps, req.accountId);
  const caps = await loadCapabilitiesRetried(deps.truto, req.accountId);
  for (const id of ['users', 'coaching', 'scorecards'] as const) {
    const problem = caps.problem(id);
    if (problem) throw new BadInputError(`a coaching sweep needs ${id === 'users' ? 'the roster' : id === 'coaching' ? "each manager's coaching metrics" : 'answered scorecards'}: ${problem.message}`);
  }
  const degradations: Degradation[] = [];
  const roster = await retryRead('sweep roster', () => fetchRoster(caps));
  const teams = req.manager !== undefined ? [findTeam(roster, req.manager)] : roster.teams;
  if (teams.length === 0) throw new BadInputError(`account ${req.accountId} has no managers with direct reports`);
  const userIds = [...new Set(teams.flatMap((t) => t.reps.map((r) => r.id)))];
  const activity = await retryRead('sweep activity', () => fetchActivity(caps, userIds, window));
  if (activity.fromCalls) {
    addDegradation(degradations, 'activity-from-calls', `calls hosted were counted from the calls list (${caps.problem('activity')?.message ?? 'no activity tool'})`);
  }
  const workspace = await workspaceFor(caps, window, activity.calls, roster.users, degradations);
  const scorecards = await retryRead('sweep scorecards', () => fetchScorecards(caps, window));
  const pick = (t: Team, m: ReadonlyMap<string, number>) => Object.fromEntries(t.reps.map((r) => [r.id, m.get(r.id) ?? 0]));
  const hostedMap = new Map([...activity.byUser].map(([id, a]) => [id, a.callsAsHost]));
  return {
    runId: `sweep-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    accountId: req.accountId,
    window,
    workspaceId: workspace.workspaceId,
    degradations,
    thresholds: thresholdsFrom(deps.sweep),
    teams: teams.map((t) => ({ ...t, hosted: pick(t, hostedMap), scorecards: pick(t, scorecards.byUser) })),
    requests: roster.requests + workspace.requests + activity.requests + scorecards.requests,
  };
}

/**
 * The workspace id the coaching tool needs, if it requires one: a workspaces tool, else the
 * metadata already read (calls, users), else one page of the calls list. Left out when the
 * coaching tool does not require it.
 */
async function workspaceFor(
  caps: AccountCapabilities,
  window: SweepWindow,
  calls: CallBasicData[],
  users: readonly UserMetadata[],
  degradations: Degradation[],
): Promise<{ workspaceId: string | undefined; requests: number }> {
  if (!caps.requires('coaching', 'workspace-id')) return { workspaceId: undefined, requests: 0 };
  let lookup = await retryRead('sweep workspace lookup', () => fetchWorkspaceId(caps, { calls, users }));
  let requests = lookup.requests;
  if (lookup.source === 'none' && caps.has('calls')) {
    const range = { fromDateTime: new Date(window.fromMs).toISOString(), toDateTime: new Date(window.toMs).toISOString() };
    const first = await retryRead('sweep workspace lookup (calls list)', async () => {
      for await (const page of caps.pages('calls', range, { notFoundAsEmpty: true })) return page.records;
      return [];
    });
    requests += 1;
    lookup = await fetchWorkspaceId(caps, { calls: first });
  }
  if (!lookup.workspaceId) {
    throw new BadInputError(
      `${caps.tool('coaching').name} requires a workspace id and none was found: ${caps.problem('workspaces')?.message ?? 'the workspaces tool listed none'}, and no call in the window carries one`,
    );
  }
  if (lookup.source !== 'workspaces') {
    addDegradation(degradations, 'workspace-from-calls', `the workspace id (${lookup.workspaceId}) came from the ${lookup.source}' metadata: the account has no workspaces tool`);
  }
  return { workspaceId: lookup.workspaceId, requests };
}
