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

export type RunProgress = Record<RunCounter, number> & { total: number; startedAtMs: number };

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
  return out;
}
