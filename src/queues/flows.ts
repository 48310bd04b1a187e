/**
 * Flow builders: turn a plan into BullMQ jobs under the catalog's contracts.
 * - `launchRun`: a `run-report` parent whose children are the transcript batches (which add
 *   per-call summary jobs as they finish, `addSummarizeChildren`), summary jobs for calls whose
 *   transcripts are already stored, and, for an autopsy, the deal context.
 * - `launchSweep`: a `sweep-report` parent with one `sweep-manager` child per manager.
 * Children that fail for good don't block the report (`ignoreDependencyOnFailure`); the report
 * lists what they covered as missing, with the reason. Every job of a flow carries the run's lane
 * (`{ lane }`, default bulk; the CLI passes interactive) and gets its fair-share priority when
 * added; summaries added at run time inherit the lane of the batch that adds them.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { startRun, type CallRef, type RunPlan, type SweepPlan } from '../shared/domain/index.ts';
import { laneOf, type Lane } from './fair/index.ts';
import type { FleetQueues } from './fleet-queues.ts';
import { dealContextJobId, summarizeJobId, sweepManagerJobId, transcriptBatchJobId } from './keys.ts';

/** What launching a flow needs: the queues, and Redis for the run's progress counters. */
export interface FlowDeps {
  queues: FleetQueues;
  redis: Redis;
  /** The fleet's hash-tagged key prefix. */
  prefix: string;
}

export interface LaunchOptions {
  /** Who waits for the run: `interactive` (a person), `bulk` or `scheduled`. Default bulk. */
  lane?: Lane;
}

export interface LaunchRunOptions extends LaunchOptions {
  /**
   * Make the run's report job a child of this job (an agent step waiting for its built-in), so the
   * parent resumes when the report exists. A run that fails for good doesn't block the parent.
   */
  parent?: { id: string; queue: string };
}

export async function launchRun(services: FlowDeps, plan: RunPlan, opts: LaunchRunOptions = {}): Promise<string> {
  const q = services.queues;
  const lane = opts.lane ? { lane: opts.lane } : {};
  const child = { ignoreDependencyOnFailure: true, ...lane };
  const stored = new Set(plan.storedCallIds);
  const children = [
    ...plan.batches.map((calls, i) =>
      q.jobSpec('transcript-batch', { runId: plan.runId, accountId: plan.accountId, calls }, { ...child, jobId: transcriptBatchJobId(plan.runId, i) }),
    ),
    ...plan.calls
      .filter((c) => stored.has(c.callId))
      .map((call) =>
        q.jobSpec('summarize-call', { runId: plan.runId, accountId: plan.accountId, call }, {
          ...child,
          jobId: summarizeJobId(plan.runId, plan.accountId, call.callId),
        }),
      ),
    ...(plan.kind === 'autopsy' && plan.deal
      ? [
          q.jobSpec('deal-context', {
            runId: plan.runId,
            accountId: plan.accountId,
            deal: {
              name: plan.deal.name,
              ...(plan.deal.crmId ? { crmId: plan.deal.crmId } : {}),
              ...(plan.deal.accountCrmId ? { accountCrmId: plan.deal.accountCrmId } : {}),
              ...(plan.deal.accountName ? { accountName: plan.deal.accountName } : {}),
              ...(plan.deal.workspaceId ? { workspaceId: plan.deal.workspaceId } : {}),
            },
            userIds: plan.userIds,
          }, { ...child, jobId: dealContextJobId(plan.runId) }),
        ]
      : []),
  ];
  const parent = q.jobSpec('run-report', {
    runId: plan.runId,
    kind: plan.kind,
    accountId: plan.accountId,
    subject: plan.subject,
    window: plan.window,
    calls: plan.calls.map(({ callId, title, started, url, speakers, primaryUserId }) => ({
      callId, title, started, url, speakers, ...(primaryUserId ? { primaryUserId } : {}),
    })),
    ...(plan.deal
      ? {
          deal: {
            name: plan.deal.name,
            ...(plan.deal.crmId ? { crmId: plan.deal.crmId } : {}),
            ...(plan.deal.accountName ? { accountName: plan.deal.accountName } : {}),
            ...(plan.deal.stage ? { stage: plan.deal.stage } : {}),
            ...(plan.deal.amount ? { amount: plan.deal.amount } : {}),
            tiedBy: plan.deal.tiedBy,
          },
        }
      : {}),
    ...(plan.degradations.length ? { degradations: plan.degradations } : {}),
  }, { jobId: plan.runId, ...lane, ...(opts.parent ? { parent: opts.parent, ignoreDependencyOnFailure: true } : {}) });
  // Transcripts stored before the run are done already; batches count only the ones they fetch.
  await startRun(services.redis, services.prefix, plan.runId, plan.calls.length, { transcriptsCached: plan.storedCallIds.length });
  await q.addFlow(parent, children);
  return plan.runId;
}

export interface LaunchSweepOptions extends LaunchOptions {
  /** Have the report job write the files itself (scheduled runs): directory and base name. Default: the caller writes. */
  output?: { dir: string; base: string };
}

export async function launchSweep(services: FlowDeps, plan: SweepPlan, opts: LaunchSweepOptions = {}): Promise<string> {
  const q = services.queues;
  const lane = opts.lane ? { lane: opts.lane } : {};
  const children = plan.teams.map((t, i) =>
    q.jobSpec('sweep-manager', {
      runId: plan.runId,
      accountId: plan.accountId,
      ...(plan.workspaceId ? { workspaceId: plan.workspaceId } : {}),
      window: plan.window,
      thresholds: plan.thresholds,
      manager: t.manager,
      reps: t.reps.map((r) => ({ ...r, callsHosted: t.hosted[r.id] ?? 0, scorecardsReceived: t.scorecards[r.id] ?? 0 })),
    }, { ignoreDependencyOnFailure: true, jobId: sweepManagerJobId(plan.runId, i), ...lane }),
  );
  const parent = q.jobSpec('sweep-report', {
    runId: plan.runId,
    accountId: plan.accountId,
    window: { from: new Date(plan.window.fromMs).toISOString(), to: new Date(plan.window.toMs).toISOString() },
    thresholds: plan.thresholds,
    upstreamRequests: plan.requests,
    ...(opts.output ? { output: opts.output } : {}),
    ...(plan.degradations.length ? { degradations: plan.degradations } : {}),
  }, { jobId: plan.runId, ...lane });
  await startRun(services.redis, services.prefix, plan.runId, plan.teams.length);
  await q.addFlow(parent, children);
  return plan.runId;
}

/**
 * Adds summarize-call jobs as children of `job`'s parent (the run's report), so the report waits
 * for them: what a transcript batch does with each transcript it stored. They inherit the batch's
 * lane and share the run's head start in the llm queue.
 */
export async function addSummarizeChildren(queues: FleetQueues, job: Job, runId: string, accountId: string, calls: CallRef[]): Promise<void> {
  if (calls.length === 0) return;
  const parent = job.parent?.id ? { id: job.parent.id, queue: job.parent.queueKey } : undefined;
  const lane = laneOf(job.data);
  await queues.addBulk(calls.map((call) =>
    queues.jobSpec('summarize-call', { runId, accountId, call }, {
      jobId: summarizeJobId(runId, accountId, call.callId),
      lane,
      ...(parent ? { parent, ignoreDependencyOnFailure: true } : {}),
    })));
}
