/**
 * `run-report`: the aggregator of a summarize or autopsy run. It runs once every child (transcript
 * batches, the per-call summaries they add, the deal context) has finished or failed for good,
 * then reduces the findings into the report and stores it for the CLI to write out.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import { buildReport } from '../reports/build.ts';
import type { RunReport } from '../reports/model.ts';
import { CallRef, type CallSummary } from '../shared/domain/index.ts';
import type { FleetServices } from '../app/services.ts';
import { defineJob } from './define-job.ts';

export const RunReportPayload = z.object({
  runId: z.string().min(1),
  kind: z.enum(['summarize', 'autopsy']),
  accountId: z.string().min(1),
  subject: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  calls: z.array(CallRef),
  deal: z
    .object({ name: z.string(), crmId: z.string(), accountName: z.string().optional(), stage: z.string().optional(), amount: z.string().optional() })
    .optional(),
});

/** Finished reports stay in Redis for a day, for the CLI, the dashboard and re-downloads. */
const REPORT_TTL_SECONDS = 24 * 3600;

export function reportKey(prefix: string, runId: string): string {
  return `${prefix}:report:${runId}`;
}

export const runReport = defineJob({
  name: 'run-report',
  queue: 'flows',
  schema: RunReportPayload,
  // The fan-in: losing it loses the whole run, and a retry is cheap (reduce groups are cached), so
  // it outlasts a flaky model longer than a child does (the faults drill failed runs at 3).
  attempts: 5,
  backoffMs: 5_000,
  timeoutMs: 600_000,
  async process(p, { job, services }) {
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
  },
});

type Summary = CallSummary & { cached?: boolean };
type ContextValue = { kind: 'deal-context'; tasks: never; brief: never };

async function collectChildren(job: Job, services: FleetServices) {
  const summaries = new Map<string, Summary>();
  const missing = new Map<string, string>();
  let context: { tasks: never; brief: never } | { error: string } | undefined;
  for (const value of Object.values(await job.getChildrenValues())) {
    const v = value as Partial<Summary> & Partial<ContextValue> & { missing?: { callId: string; reason: string }[] };
    if (v.kind === 'deal-context') context = { tasks: v.tasks as never, brief: v.brief as never };
    else if (typeof v.callId === 'string' && Array.isArray(v.findings)) summaries.set(v.callId, v as Summary);
    else if (Array.isArray(v.missing)) for (const m of v.missing) missing.set(m.callId, m.reason);
  }
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    const [, queueName, id] = key.split(':');
    if (!queueName || !id) continue;
    const child = await services.queues.queue(queueName as never).getJob(id);
    const data = (child?.data ?? {}) as { call?: { callId: string }; calls?: { callId: string }[] };
    const why = `${child?.name ?? 'job'} failed after ${child?.attemptsMade ?? '?'} attempts: ${reason}`;
    if (child?.name === 'deal-context') context = { error: reason };
    if (data.call) missing.set(data.call.callId, why);
    for (const c of data.calls ?? []) if (!missing.has(c.callId)) missing.set(c.callId, why);
  }
  return { summaries, missing, context };
}
