/**
 * Producer of the coaching sweep (seed scenario 2). Everything that can be bad input is checked,
 * and the account-wide numbers are read, before anything is enqueued: the roster (managers and
 * their reps), activity for every rep in as few requests as Gong allows, answered scorecards.
 * Then one flow: a `sweep-report` parent with one `sweep-manager` child per manager (coaching
 * metrics + narrative); children that fail for good don't block the report.
 */
import { rateRetry } from '../../upstream/truto/rate-retry.ts';
import { waitForFlowResult, type FlowWaitOptions } from '../../../producers/wait.ts';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../../config/index.ts';
import type { SweepReport } from '../../../reports/sweep-model.ts';
import {
  checkSweepWindow, fetchActivity, fetchRoster, fetchScorecards, fetchWorkspaceId, findTeam, lastDays,
  type FlagThresholds, type SweepWindow, type Team,
} from '../index.ts';
import { BadInputError } from '../../platform/errors.ts';
import { startRun } from '../runs/counters.ts';
import type { FleetServices } from '../../../app/services.ts';
import { assertAccount } from '../calls/discover.ts';

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

export function thresholdsFrom(config: Config): FlagThresholds {
  return {
    newHireDays: config.SWEEP_NEW_HIRE_DAYS,
    minManagerListens: config.SWEEP_MIN_MANAGER_LISTENS,
    maxCallsWithoutScorecard: config.SWEEP_MAX_CALLS_WITHOUT_SCORECARD,
  };
}

/** The window a request asks for, checked (future `--to` is bad input: Gong rejects it). */
export function sweepWindow(config: Config, req: Pick<SweepRequest, 'from' | 'to' | 'nowMs'>): SweepWindow {
  const nowMs = req.nowMs ?? Date.now();
  if (req.to && req.to.getTime() > nowMs + 60_000) {
    throw new BadInputError(`--to (${req.to.toISOString()}) is in the future; Gong rejects dates after today`);
  }
  const toMs = req.to?.getTime() ?? nowMs;
  const fromMs = req.from?.getTime() ?? lastDays(config.SWEEP_WINDOW_DAYS, toMs).fromMs;
  return checkSweepWindow({ fromMs, toMs }, nowMs);
}

export async function planSweep(services: FleetServices, req: SweepRequest): Promise<SweepPlan> {
  const window = sweepWindow(services.config, req);
  await assertAccount(services, req.accountId);
  const roster = await rateRetry(() => fetchRoster(services.truto, req.accountId));
  const teams = req.manager !== undefined ? [findTeam(roster, req.manager)] : roster.teams;
  if (teams.length === 0) throw new BadInputError(`account ${req.accountId} has no managers with direct reports`);
  const workspaceId = await rateRetry(() => fetchWorkspaceId(services.truto, req.accountId));
  if (!workspaceId) throw new BadInputError(`account ${req.accountId} has no Gong workspace (needed by /v2/coaching)`);
  const userIds = [...new Set(teams.flatMap((t) => t.reps.map((r) => r.id)))];
  const activity = await rateRetry(() => fetchActivity(services.truto, req.accountId, userIds, window));
  const scorecards = await rateRetry(() => fetchScorecards(services.truto, req.accountId, window));
  const pick = (t: Team, m: ReadonlyMap<string, number>) => Object.fromEntries(t.reps.map((r) => [r.id, m.get(r.id) ?? 0]));
  const hostedMap = new Map([...activity.byUser].map(([id, a]) => [id, a.callsAsHost]));
  return {
    runId: `sweep-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    accountId: req.accountId,
    window,
    workspaceId,
    thresholds: thresholdsFrom(services.config),
    teams: teams.map((t) => ({ ...t, hosted: pick(t, hostedMap), scorecards: pick(t, scorecards.byUser) })),
    requests: roster.requests + 1 + activity.requests + scorecards.requests,
  };
}

export function describeSweepPlan(p: SweepPlan): string[] {
  const reps = p.teams.reduce((n, t) => n + t.reps.length, 0);
  return [
    `plan ${p.runId}: coaching sweep of ${p.teams.length} manager(s), ${reps} reps, ${new Date(p.window.fromMs).toISOString()} to ${new Date(p.window.toMs).toISOString()}`,
    `upstream: ${p.requests} requests made for roster, activity and scorecards; ${p.teams.length} more for coaching (one per manager)`,
  ];
}

export interface LaunchSweepOptions {
  /** Have the report job write the files itself (scheduled runs): directory and base name. Default: the caller writes. */
  output?: { dir: string; base: string };
}

export async function launchSweep(services: Pick<FleetServices, 'queues' | 'redis' | 'prefix'>, plan: SweepPlan, opts: LaunchSweepOptions = {}): Promise<string> {
  const q = services.queues;
  const children = plan.teams.map((t, i) =>
    q.jobSpec('sweep-manager', {
      runId: plan.runId,
      accountId: plan.accountId,
      workspaceId: plan.workspaceId,
      window: plan.window,
      thresholds: plan.thresholds,
      manager: t.manager,
      reps: t.reps.map((r) => ({ ...r, callsHosted: t.hosted[r.id] ?? 0, scorecardsReceived: t.scorecards[r.id] ?? 0 })),
    }, { ignoreDependencyOnFailure: true, jobId: `${plan.runId}.m.${i}` }),
  );
  const parent = q.jobSpec('sweep-report', {
    runId: plan.runId,
    accountId: plan.accountId,
    window: { from: new Date(plan.window.fromMs).toISOString(), to: new Date(plan.window.toMs).toISOString() },
    thresholds: plan.thresholds,
    upstreamRequests: plan.requests,
    ...(opts.output ? { output: opts.output } : {}),
  }, { jobId: plan.runId });
  await startRun(services.redis, services.prefix, plan.runId, plan.teams.length);
  await q.flows().add({ ...parent, children: children.map((c) => ({ name: c.name, queueName: c.queueName, data: c.data, opts: c.opts })) });
  return plan.runId;
}

export interface SweepWaitOptions extends Omit<FlowWaitOptions, 'onPoll' | 'label'> {
  /** Called on every poll with how many manager jobs have finished (done or failed for good). */
  onProgress?: (p: { managersDone: number; managers: number }) => void;
}

export function waitForSweep(services: Pick<FleetServices, 'queues' | 'redis' | 'prefix'>, runId: string, opts: SweepWaitOptions = {}): Promise<SweepReport> {
  const { onProgress, ...rest } = opts;
  return waitForFlowResult<SweepReport>(services, runId, {
    ...rest,
    label: 'sweep',
    ...(onProgress
      ? {
          onPoll: async (job) => {
            if (!job) return;
            const c = await job.getDependenciesCount();
            const done = (c.processed ?? 0) + (c.failed ?? 0) + (c.ignored ?? 0);
            onProgress({ managersDone: done, managers: done + (c.unprocessed ?? 0) });
          },
        }
      : {}),
  });
}
