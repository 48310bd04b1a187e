/**
 * Turns a plan into a BullMQ flow: a `run-report` parent whose children are the transcript
 * batches (which add per-call summary jobs as they finish), summary jobs for calls whose
 * transcripts are already stored, and, for an autopsy, the deal context. Children that fail for
 * good don't block the report (`ignoreDependencyOnFailure`); the report lists their calls as missing.
 */
import type { FleetServices } from '../app/services.ts';
import { startRun, type RunPlan } from '../shared/domain/index.ts';
import { summarizeJobId } from '../workers/summarize-call.ts';

export async function launchRun(services: Pick<FleetServices, 'queues' | 'redis' | 'prefix'>, plan: RunPlan): Promise<string> {
  const q = services.queues;
  const child = { ignoreDependencyOnFailure: true };
  const stored = new Set(plan.storedCallIds);
  const children = [
    ...plan.batches.map((calls, i) =>
      q.jobSpec('transcript-batch', { runId: plan.runId, accountId: plan.accountId, calls }, { ...child, jobId: `${plan.runId}.tb.${i}` }),
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
              crmId: plan.deal.crmId,
              ...(plan.deal.accountCrmId ? { accountCrmId: plan.deal.accountCrmId } : {}),
              ...(plan.deal.accountName ? { accountName: plan.deal.accountName } : {}),
              ...(plan.deal.workspaceId ? { workspaceId: plan.deal.workspaceId } : {}),
            },
            userIds: plan.userIds,
          }, { ...child, jobId: `${plan.runId}.ctx` }),
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
            crmId: plan.deal.crmId,
            ...(plan.deal.accountName ? { accountName: plan.deal.accountName } : {}),
            ...(plan.deal.stage ? { stage: plan.deal.stage } : {}),
            ...(plan.deal.amount ? { amount: plan.deal.amount } : {}),
          },
        }
      : {}),
  }, { jobId: plan.runId });
  // Transcripts stored before the run are done already; batches count only the ones they fetch.
  await startRun(services.redis, services.prefix, plan.runId, plan.calls.length, { transcriptsCached: plan.storedCallIds.length });
  await q.flows().add({
    ...parent,
    children: children.map((c) => ({ name: c.name, queueName: c.queueName, data: c.data, opts: c.opts })),
  });
  return plan.runId;
}
