/**
 * `summarize-call`: one call's stored transcript → cited findings (map step), cached by
 * (account, call, transcript hash, prompt version, model). Read-only: it has no Truto access at
 * all, so nothing a transcript says can trigger a write.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import { CallRef, summarizeCallCached, bumpRun } from '../shared/domain/index.ts';
import type { FleetServices } from '../app/services.ts';
import { defineJob } from './define-job.ts';

export const SummarizeCallPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  call: CallRef,
});

export const summarizeCall = defineJob({
  name: 'summarize-call',
  queue: 'llm',
  schema: SummarizeCallPayload,
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 300_000,
  async process(p, { services, logger }) {
    const out = await summarizeCallCached(services, p.accountId, p.call, logger);
    await bumpRun(services.redis, services.prefix, p.runId, out.cached
      ? { summariesCached: 1 }
      : { summarized: 1, promptTokens: out.summary.promptTokens, completionTokens: out.summary.completionTokens });
    return { ...out.summary, cached: out.cached };
  },
});

/**
 * Job id of a call's summary job within a run: idempotent per (run, account, call), so re-adding
 * a run's children never duplicates them. Not per (account, call) alone: BullMQ refuses to attach
 * an existing job to a second live parent (flow add fails with -7), so two runs over the same call
 * get two jobs, and the transcript store, the summary cache and its lock make the second one free.
 */
export function summarizeJobId(runId: string, accountId: string, callId: string): string {
  return `${runId}.sum.${accountId}.${callId}`;
}

/** Adds summarize-call jobs as children of `job`'s parent (the run's report), so the report waits for them. */
export async function addSummarizeChildren(services: FleetServices, job: Job, runId: string, accountId: string, calls: CallRef[]): Promise<void> {
  if (calls.length === 0) return;
  const parent = job.parent?.id ? { id: job.parent.id, queue: job.parent.queueKey } : undefined;
  const jobs = calls.map((call) => {
    const spec = services.queues.jobSpec('summarize-call', { runId, accountId, call }, {
      jobId: summarizeJobId(runId, accountId, call.callId),
      ...(parent ? { parent, ignoreDependencyOnFailure: true } : {}),
    });
    return { name: spec.name, data: spec.data, opts: spec.opts };
  });
  await services.queues.queue('llm').addBulk(jobs);
}
