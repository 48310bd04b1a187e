/**
 * The plan of a coaching sweep (seed scenario 2), made before anything is enqueued, by the CLI's
 * producer and by a scheduled run alike: everything that can be bad input is checked and the
 * account-wide numbers are read (the roster of managers and their reps, activity for every rep in
 * as few requests as Gong allows, answered scorecards). Launching it is the flow builder's job
 * (queues/flows.ts): a `sweep-report` parent with one `sweep-manager` child per manager.
 */
import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../platform/index.ts';
import { retryRead, type TrutoClient } from '../../upstream/index.ts';
import { assertAccount } from '../calls/discover.ts';
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
  workspaceId: string;
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
  const roster = await retryRead('sweep roster', () => fetchRoster(deps.truto, req.accountId));
  const teams = req.manager !== undefined ? [findTeam(roster, req.manager)] : roster.teams;
  if (teams.length === 0) throw new BadInputError(`account ${req.accountId} has no managers with direct reports`);
  const workspaceId = await retryRead('sweep workspace lookup', () => fetchWorkspaceId(deps.truto, req.accountId));
  if (!workspaceId) throw new BadInputError(`account ${req.accountId} has no Gong workspace (needed by /v2/coaching)`);
  const userIds = [...new Set(teams.flatMap((t) => t.reps.map((r) => r.id)))];
  const activity = await retryRead('sweep activity', () => fetchActivity(deps.truto, req.accountId, userIds, window));
  const scorecards = await retryRead('sweep scorecards', () => fetchScorecards(deps.truto, req.accountId, window));
  const pick = (t: Team, m: ReadonlyMap<string, number>) => Object.fromEntries(t.reps.map((r) => [r.id, m.get(r.id) ?? 0]));
  const hostedMap = new Map([...activity.byUser].map(([id, a]) => [id, a.callsAsHost]));
  return {
    runId: `sweep-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    accountId: req.accountId,
    window,
    workspaceId,
    thresholds: thresholdsFrom(deps.sweep),
    teams: teams.map((t) => ({ ...t, hosted: pick(t, hostedMap), scorecards: pick(t, scorecards.byUser) })),
    requests: roster.requests + 1 + activity.requests + scorecards.requests,
  };
}
