/**
 * `run-report`: the aggregator of a summarize or autopsy run. It runs once every child (transcript
 * batches, the per-call summaries they add, the deal context) has finished or failed for good,
 * then reduces the findings into the report and stores it for the CLI to write out.
 */
import type { Job } from 'bullmq';
import { catalog } from '../queues/catalog.ts';
import { REPORT_TTL_SECONDS, reportKey } from '../queues/keys.ts';
import { buildReport } from '../reports/build.ts';
import type { RunReport } from '../reports/model.ts';
import { runStopped, type CallSummary, type DealContext } from '../shared/domain/index.ts';
import { NonRetryableError } from '../shared/platform/index.ts';
import { ignoredChildFailures } from './child-failures.ts';
import { implement } from './define-job.ts';
import type { WorkerServices } from './services.ts';

export const runReport = implement(catalog['run-report'], async (p, { job, services }) => {
  // A stopped run has no report to write; the CLI has already said why.
  const stopped = await runStopped(services.redis, services.prefix, p.runId);
  if (stopped) throw new NonRetryableError(`run stopped: ${stopped}`);
  const { summaries, missing, notReady, noTranscript, context } = await collectChildren(job, services);
  const report: RunReport = await buildReport(services, {
    ...p,
    ...(p.deal ? { deal: p.deal } : {}),
    summaries,
    missing,
    notReady,
    noTranscript,
    ...(context ? { context } : {}),
  });
  await services.redis.set(reportKey(services.prefix, p.runId), JSON.stringify(report), 'EX', REPORT_TTL_SECONDS);
  return { runId: p.runId, calls: report.stats.callsConsidered, missing: report.stats.missing };
});

type Summary = CallSummary & { cached?: boolean };
type ContextValue = { kind: 'deal-context' } & Pick<DealContext, 'tasks' | 'brief' | 'deal' | 'degradations'>;
type CallReason = { callId: string; reason: string };
/** A transcript batch's value: calls it could not hand to a summary job, and why. */
type BatchValue = { missing?: CallReason[]; notReady?: CallReason[] };

async function collectChildren(job: Job, services: Pick<WorkerServices, 'queues'>) {
  const summaries = new Map<string, Summary>();
  const missing = new Map<string, string>();
  const notReady = new Map<string, string>();
  const noTranscript = new Set<string>();
  let context: Pick<DealContext, 'tasks' | 'brief' | 'deal' | 'degradations'> | { error: string } | undefined;
  for (const value of Object.values(await job.getChildrenValues())) {
    // A batch lists calls without transcript (string[]); a summary job flags its own call (true).
    const v = value as Partial<Summary> & Partial<ContextValue> & BatchValue & { noTranscript?: string[] | true };
    if (v.kind === 'deal-context' && v.tasks && v.brief) context = { tasks: v.tasks, brief: v.brief, ...(v.deal ? { deal: v.deal } : {}), degradations: v.degradations ?? [] };
    else if (typeof v.callId === 'string' && Array.isArray(v.findings)) summaries.set(v.callId, v as Summary);
    else if (typeof v.callId === 'string' && v.noTranscript === true) noTranscript.add(v.callId);
    else {
      for (const m of v.missing ?? []) missing.set(m.callId, m.reason);
      for (const m of v.notReady ?? []) notReady.set(m.callId, m.reason);
      for (const id of Array.isArray(v.noTranscript) ? v.noTranscript : []) noTranscript.add(id);
    }
  }
  for (const { child, reason } of await ignoredChildFailures(job, services.queues)) {
    const data = (child?.data ?? {}) as { call?: { callId: string }; calls?: { callId: string }[] };
    const why = `${child?.name ?? 'job'} failed after ${child?.attemptsMade ?? '?'} attempts: ${reason}`;
    if (child?.name === 'deal-context') context = { error: reason };
    if (data.call) missing.set(data.call.callId, why);
    for (const c of data.calls ?? []) if (!missing.has(c.callId)) missing.set(c.callId, why);
  }
  return { summaries, missing, notReady, noTranscript, context };
}
