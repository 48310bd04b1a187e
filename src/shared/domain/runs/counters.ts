/**
 * Live progress of one run (a summarize or autopsy request), as counters in a Redis hash that
 * jobs bump and the CLI's progress bar polls. Counters only: no payloads, no transcripts.
 */
import type { Redis } from 'ioredis';

export const RUN_COUNTERS = [
  'transcriptsFetched',
  'transcriptsCached',
  'summarized',
  'summariesCached',
  'failed',
  'rateLimitWaits',
  'upstreamRequests',
  'promptTokens',
  'completionTokens',
] as const;
export type RunCounter = (typeof RUN_COUNTERS)[number];

export type RunProgress = Record<RunCounter, number> & {
  total: number;
  startedAtMs: number;
  /** Set when a job found the run cannot succeed (e.g. no transcript can be read): why. */
  stopped?: string;
};

/** Field of the run's hash that holds why it was stopped. */
const STOPPED_FIELD = 'stopped';

/** Runs' counters expire after a day. */
const RUN_TTL_SECONDS = 24 * 3600;

export function runKey(prefix: string, runId: string): string {
  return `${prefix}:run:${runId}`;
}

/** Creates a run's counters (once: a repeated launch keeps the first), with any already known. */
export async function startRun(
  redis: Redis,
  prefix: string,
  runId: string,
  total: number,
  known: Partial<Record<RunCounter, number>> = {},
): Promise<void> {
  const key = runKey(prefix, runId);
  const m = redis.multi().hsetnx(key, 'total', total).hsetnx(key, 'startedAtMs', Date.now());
  for (const [field, n] of Object.entries(known)) if (n) m.hsetnx(key, field, n);
  await m.expire(key, RUN_TTL_SECONDS).exec();
}

export async function bumpRun(redis: Redis, prefix: string, runId: string, counts: Partial<Record<RunCounter, number>>): Promise<void> {
  const entries = Object.entries(counts).filter(([, n]) => n);
  if (entries.length === 0) return;
  const m = redis.multi();
  for (const [field, n] of entries) m.hincrby(runKey(prefix, runId), field, n as number);
  await m.exec();
}

export async function readRun(redis: Redis, prefix: string, runId: string): Promise<RunProgress> {
  const raw = await redis.hgetall(runKey(prefix, runId));
  const out = { total: Number(raw.total ?? 0), startedAtMs: Number(raw.startedAtMs ?? 0) } as RunProgress;
  for (const c of RUN_COUNTERS) out[c] = Number(raw[c] ?? 0);
  if (raw[STOPPED_FIELD]) out.stopped = raw[STOPPED_FIELD];
  return out;
}

/**
 * Marks the run as unable to succeed, with the reason (the first one wins). The run's other jobs
 * check it before spending requests or tokens, and the CLI stops waiting and exits with it.
 */
export async function stopRun(redis: Redis, prefix: string, runId: string, reason: string): Promise<void> {
  await redis.hsetnx(runKey(prefix, runId), STOPPED_FIELD, reason);
}

/** Why the run was stopped, or undefined while it may go on. */
export async function runStopped(redis: Redis, prefix: string, runId: string): Promise<string | undefined> {
  return (await redis.hget(runKey(prefix, runId), STOPPED_FIELD)) ?? undefined;
}
