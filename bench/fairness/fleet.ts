/**
 * One measured phase of the fairness benchmark: a fresh key prefix (so no transcript or summary
 * cached by an earlier phase helps), producer-side services in this process, and real
 * `gong-fleet worker` processes with the same environment, fair sharing on or off. Runs are timed
 * the way a person at a terminal sees them: from planning to the report.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { createServices, type FleetServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport, waitForSweep } from '../../src/producers/wait.ts';
import type { Lane } from '../../src/queues/fair/index.ts';
import { launchRun, launchSweep } from '../../src/queues/flows.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { planSweep } from '../../src/shared/domain/index.ts';
import { deleteKeysUnder, silentLogger } from '../../src/shared/platform/index.ts';
import { FACTS_TTL_MS, factsKey } from '../../src/shared/upstream/index.ts';
import { startWorkerProcess, type WorkerProcess } from '../../test/helpers/processes.ts';

export interface PhaseOptions {
  sandbox: Sandbox;
  redis: Redis;
  redisUrl: string;
  fairShare: boolean;
  workers: number;
  concurrency: number;
  /** Extra environment (LLM limits the governor keeps). */
  env: Record<string, string>;
  /**
   * What the fleet already knows about the model (its Redis facts hash: window, token-count
   * factors, largest prompt answered), copied into the phase before its workers start.
   */
  modelFacts?: Record<string, string>;
}

export interface Phase {
  services: FleetServices;
  prefix: string;
  slots: number;
  /** The fleet's facts about the model as this phase left them. */
  modelFacts(): Promise<Record<string, string>>;
}

/** Where a run's time went: wall from plan to report, and its summaries' time in llm slots. */
export interface TimedRun {
  label: string;
  runId: string;
  calls: number;
  wallMs: number;
  startedAtMs: number;
  /** Sum over its summarize-call jobs of (finished − started): llm-slot time it used. */
  llmSlotMs: number;
  /** Seconds from the run's start: last transcript fetched, first and last summary done, report job started. */
  timeline?: { fetchedS: number; firstSummaryS: number; lastSummaryS: number; reportStartS: number };
  /** 1-minute load average when it finished. */
  load1: number;
}

/** Worker processes alive right now, stopped if the benchmark is interrupted. */
const live = new Set<WorkerProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([...live].map((w) => w.kill())).finally(() => process.exit(130));
  });
}

export async function withPhase<T>(opts: PhaseOptions, body: (p: Phase) => Promise<T>): Promise<T> {
  const prefix = `{gf-bench-fair-${randomBytes(4).toString('hex')}}`;
  const env: Record<string, string> = {
    ...opts.sandbox.env,
    ...opts.env,
    REDIS_URL: opts.redisUrl,
    GONG_FLEET_PREFIX: prefix,
    FAIR_SHARE: opts.fairShare ? 'on' : 'off',
  };
  const config = loadConfig({}, env);
  const services = createServices(config, opts.redis, silentLogger);
  const facts = factsKey(prefix, config.OPENAI_BASE_URL, config.OPENAI_MODEL);
  if (opts.modelFacts && Object.keys(opts.modelFacts).length > 0) {
    await opts.redis.multi().hset(facts, opts.modelFacts).pexpire(facts, FACTS_TTL_MS).exec();
  }
  opts.sandbox.resetLimits();
  let workers: WorkerProcess[] = [];
  try {
    workers = await Promise.all(Array.from({ length: opts.workers }, () => startWorkerProcess(env, ['--concurrency', String(opts.concurrency)])));
    for (const w of workers) live.add(w);
    return await body({ services, prefix, slots: opts.workers * opts.concurrency, modelFacts: () => opts.redis.hgetall(facts) });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    for (const w of workers) live.delete(w);
    await services.queues.close();
    await deleteKeysUnder(opts.redis, prefix);
  }
}

export interface SummarizeSpec {
  label: string;
  accountId: string;
  /** A subset of the account's calls; default the whole 30-day window. */
  callIds?: string[];
  lane: Lane;
}

const WINDOW_DAYS = 30;

export async function timedSummarize(p: Phase, s: SummarizeSpec): Promise<TimedRun> {
  const startedAtMs = Date.now();
  const to = new Date();
  const plan = await planSummarize(p.services, s.callIds
    ? { accountId: s.accountId, callIds: s.callIds }
    : { accountId: s.accountId, from: new Date(to.getTime() - WINDOW_DAYS * 86_400_000), to });
  const runId = await launchRun(p.services, plan, { lane: s.lane });
  await waitForReport(p.services, runId, { pollMs: 50, timeoutMs: 20 * 60_000 });
  const wallMs = Date.now() - startedAtMs;
  const { slotMs, timeline } = await runTimes(p, runId, startedAtMs);
  return { label: s.label, runId, calls: plan.calls.length, wallMs, startedAtMs, llmSlotMs: slotMs, timeline, load1: loadavg()[0]! };
}

/** A coaching sweep as its schedule fires it: planned, then launched in the `scheduled` lane. */
export async function timedSweep(p: Phase, label: string, accountId: string, onLaunched?: () => void): Promise<TimedRun> {
  const startedAtMs = Date.now();
  const plan = await planSweep(p.services, { accountId });
  const runId = await launchSweep(p.services, plan, { lane: 'scheduled' });
  onLaunched?.();
  await waitForSweep(p.services, runId, { pollMs: 50, timeoutMs: 20 * 60_000 });
  return { label, runId, calls: plan.teams.length, wallMs: Date.now() - startedAtMs, startedAtMs, llmSlotMs: 0, load1: loadavg()[0]! };
}

/** From BullMQ's records of the run's jobs: llm-slot time and when each phase ended. */
async function runTimes(p: Phase, runId: string, startedAtMs: number) {
  const q = p.services.queues;
  const [summaries, batches, report] = await Promise.all([
    q.queue('llm').getJobs(['completed'], 0, -1).then((js) => js.filter((j) => j.id?.startsWith(`${runId}.sum.`))),
    q.queue('upstream').getJobs(['completed'], 0, -1).then((js) => js.filter((j) => j.id?.startsWith(`${runId}.tb.`))),
    q.queue('flows').getJob(runId),
  ]);
  const s = (ms: number) => Math.round((ms - startedAtMs) / 100) / 10;
  const ends = summaries.map((j) => j.finishedOn ?? 0).sort((a, b) => a - b);
  return {
    slotMs: summaries.reduce((ms, j) => ms + ((j.finishedOn ?? 0) - (j.processedOn ?? 0)), 0),
    timeline: {
      fetchedS: s(Math.max(...batches.map((j) => j.finishedOn ?? 0))),
      firstSummaryS: s(ends[0] ?? 0),
      lastSummaryS: s(ends.at(-1) ?? 0),
      reportStartS: s(report?.processedOn ?? 0),
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
