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
import type { CallSummary, DealContext } from '../shared/domain/index.ts';
import { ignoredChildFailures } from './child-failures.ts';
import { implement } from './define-job.ts';
import type { WorkerServices } from './services.ts';

export const runReport = implement(catalog['run-report'], async (p, { job, services }) => {
  const { summaries, missing, context } = await collectChildren(job, services);
  const report: RunReport = await buildReport(services, {
    ...p,
    ...(p.deal ? { deal: p.deal } : {}),
    summaries,
    missing,
    ...(context ? { context } : {}),
  });
  await services.redis.set(reportKey(services.prefix, p.runId), JSON.stringify(report), 'EX', REPORT_TTL_SECONDS);
  return { runId: p.runId, calls: report.stats.callsConsidered, missing: report.stats.missing };
});

type Summary = CallSummary & { cached?: boolean };
type ContextValue = { kind: 'deal-context' } & Pick<DealContext, 'tasks' | 'brief' | 'deal' | 'degradations'>;

async function collectChildren(job: Job, services: Pick<WorkerServices, 'queues'>) {
  const summaries = new Map<string, Summary>();
  const missing = new Map<string, string>();
  let context: Pick<DealContext, 'tasks' | 'brief' | 'deal' | 'degradations'> | { error: string } | undefined;
  for (const value of Object.values(await job.getChildrenValues())) {
    const v = value as Partial<Summary> & Partial<ContextValue> & { missing?: { callId: string; reason: string }[] };
    if (v.kind === 'deal-context' && v.tasks && v.brief) context = { tasks: v.tasks, brief: v.brief, ...(v.deal ? { deal: v.deal } : {}), degradations: v.degradations ?? [] };
    else if (typeof v.callId === 'string' && Array.isArray(v.findings)) summaries.set(v.callId, v as Summary);
    else if (Array.isArray(v.missing)) for (const m of v.missing) missing.set(m.callId, m.reason);
  }
  for (const { child, reason } of await ignoredChildFailures(job, services.queues)) {
    const data = (child?.data ?? {}) as { call?: { callId: string }; calls?: { callId: string }[] };
    const why = `${child?.name ?? 'job'} failed after ${child?.attemptsMade ?? '?'} attempts: ${reason}`;
    if (child?.name === 'deal-context') context = { error: reason };
    if (data.call) missing.set(data.call.callId, why);
    for (const c of data.calls ?? []) if (!missing.has(c.callId)) missing.set(c.callId, why);
  }
  return { summaries, missing, context };
}
