/**
 * The fleet's side of the autopsy benchmark: plan, launch and wait for a `summarize` of the
 * account's window with in-process workers (the same code `--local-worker` runs), measuring wall
 * time, upstream requests, 429s and LLM tokens from the sandbox's own counters; then 5 new calls
 * and a re-run, which must fetch only those 5 transcripts and spend a fraction of the tokens.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/index.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import type { RunReport } from '../../src/reports/model.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import { createServices, type FleetServices } from '../../src/app/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { sandboxCounters, type RunMeasure } from './measure.ts';

export interface FleetRunOptions {
  sandbox: Sandbox;
  redis: Redis;
  redisUrl: string;
  prefix: string;
  accountId: string;
  /** Jobs per queue in the one in-process worker set (so also the LLM concurrency). Default 8. */
  concurrency?: number;
  /** Calls added before the re-run. Default 5. */
  newCalls?: number;
}

export interface FleetResult {
  first: RunMeasure;
  rerun: RunMeasure & { newCalls: number; transcriptsFetched: number; transcriptRequests: number };
  concurrency: number;
  ratePerSecond: number;
}

/** Runs `fn` with producer services and in-process workers pointed at the sandbox (told nothing about its model). */
export async function withFleet<T>(opts: FleetRunOptions, fn: (services: FleetServices) => Promise<T>): Promise<T> {
  const env = { ...opts.sandbox.env, REDIS_URL: opts.redisUrl, GONG_FLEET_PREFIX: opts.prefix };
  const services = createServices(loadConfig({}, env), opts.redis, silentLogger);
  const workers = startWorkers({ connection: opts.redis, prefix: opts.prefix, jobs, services, logger: silentLogger, concurrency: opts.concurrency ?? 8 });
  try {
    return await fn(services);
  } finally {
    await workers.close(10_000);
    await services.queues.close();
  }
}

export async function runFleet(opts: FleetRunOptions): Promise<FleetResult> {
  const concurrency = opts.concurrency ?? 8;
  return withFleet(opts, async (services) => {
    const windowDays = 30;
    const first = await measuredRun(services, opts, windowDays);
    const added = opts.sandbox.world.addCalls(opts.accountId, opts.newCalls ?? 5);
    const rerun = await measuredRun(services, opts, windowDays);
    const progress = await readRun(opts.redis, opts.prefix, rerun.runId);
    return {
      first: first.measure,
      rerun: {
        ...rerun.measure,
        newCalls: added.length,
        transcriptsFetched: progress.transcriptsFetched,
        transcriptRequests: rerun.transcriptRequests,
      },
      concurrency,
      ratePerSecond: first.ratePerSecond,
    };
  });
}

/** One `summarize` of the account's window, measured from the sandbox's counters (reset first). */
export async function measuredRun(services: FleetServices, opts: Pick<FleetRunOptions, 'sandbox' | 'accountId'>, windowDays: number) {
  opts.sandbox.resetStats();
  const startedMs = Date.now();
  const to = new Date();
  const plan = await planSummarize(services, { accountId: opts.accountId, from: new Date(to.getTime() - windowDays * 86_400_000), to });
  const runId = await launchRun(services, plan);
  const report: RunReport = await waitForReport(services, runId, { pollMs: 50, timeoutMs: 15 * 60_000 });
  const wallMs = Date.now() - startedMs;
  const counters = sandboxCounters(opts.sandbox);
  const measure: RunMeasure = {
    runId,
    wallMs,
    calls: plan.calls.length,
    summarized: report.stats.summarized + report.stats.fromCache,
    summarizedNow: report.stats.summarized,
    missing: report.stats.missing,
    ...counters,
    mapLlmRequests: counters.llmRequests - report.stats.reduceLlmCalls,
    mapCompletionTokens: report.stats.mapCompletionTokens,
    reduceLlmCalls: report.stats.reduceLlmCalls,
    reduceCompletionTokens: report.stats.reduceCompletionTokens,
    chunkedCalls: report.calls.filter((c) => (c.chunks ?? 1) > 1).length,
    outcome: `report: ${report.stats.summarized} summarized, ${report.stats.fromCache} cached, ${report.stats.missing} missing`,
  };
  const transcriptRequests = opts.sandbox.stats().requestsByPath['/proxy/calls_transcript'] ?? 0;
  return { measure, runId, transcriptRequests, ratePerSecond: plan.ratePerSecond };
}
