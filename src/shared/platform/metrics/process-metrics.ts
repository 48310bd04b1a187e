/**
 * Metrics of this process: what its workers did (jobs finished by queue, kind and outcome, their
 * durations, rate-limit delays) and the LLM tokens and cache hits of the jobs it ran. Fed from
 * BullMQ worker events, so processors and run-job stay free of metric calls.
 */
import type { Job, Worker } from 'bullmq';
import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

/** Buckets from a cached summary (ms) to a long multi-chunk map or report (minutes). */
const DURATION_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface ProcessMetrics {
  jobsFinished: Counter<'queue' | 'job' | 'outcome'>;
  jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  llmTokens: Counter<'kind'>;
  llmCache: Counter<'result'>;
}

export function registerProcessMetrics(registry: Registry, opts: { defaultMetrics?: boolean } = {}): ProcessMetrics {
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'gong_fleet_' });
  return {
    jobsFinished: new Counter({
      name: 'gong_fleet_jobs_finished_total',
      help: 'Jobs this process finished, by queue, job kind and outcome (completed, failed, retried).',
      labelNames: ['queue', 'job', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'gong_fleet_job_duration_seconds',
      help: 'Wall time of job attempts in this process, from start to completion or failure.',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: DURATION_BUCKETS_S,
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'gong_fleet_llm_tokens_total',
      help: 'LLM tokens spent by jobs of this process (prompt, completion); cached answers cost none.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    llmCache: new Counter({
      name: 'gong_fleet_llm_cache_total',
      help: 'LLM-backed jobs answered from the summary cache (hit) or by the model (miss).',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}

/** What an LLM-backed job returns (summarize-call): tokens spent, and whether the cache answered. */
interface LlmResult {
  cached?: unknown;
  promptTokens?: unknown;
  completionTokens?: unknown;
}

/** Records every job the given workers finish. Returns a function that detaches the listeners. */
export function instrumentWorkers(workers: readonly Worker[], m: ProcessMetrics): () => void {
  const detach: (() => void)[] = [];
  for (const worker of workers) {
    const queue = worker.name;
    const onCompleted = (job: Job, result: unknown) => {
      observe(m, queue, job, 'completed');
      countLlm(m, result);
    };
    const onFailed = (job: Job | undefined, _err: Error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || job.finishedOn !== undefined;
      observe(m, queue, job, final ? 'failed' : 'retried');
    };
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
    detach.push(() => {
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
    });
  }
  return () => detach.forEach((fn) => fn());
}

function observe(m: ProcessMetrics, queue: string, job: Job, outcome: string): void {
  const labels = { queue, job: job.name, outcome };
  m.jobsFinished.inc(labels);
  const endMs = job.finishedOn ?? Date.now();
  if (job.processedOn) m.jobDuration.observe(labels, Math.max(0, endMs - job.processedOn) / 1000);
}

function countLlm(m: ProcessMetrics, result: unknown): void {
  if (!result || typeof result !== 'object') return;
  const r = result as LlmResult;
  if (typeof r.cached !== 'boolean') return;
  m.llmCache.inc({ result: r.cached ? 'hit' : 'miss' });
  if (r.cached) return;
  if (typeof r.promptTokens === 'number') m.llmTokens.inc({ kind: 'prompt' }, r.promptTokens);
  if (typeof r.completionTokens === 'number') m.llmTokens.inc({ kind: 'completion' }, r.completionTokens);
}
