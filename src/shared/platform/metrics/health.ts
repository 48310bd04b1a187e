/**
 * Health of a worker process for orchestrators: healthy while it is taking jobs and Redis answers.
 * A stopping worker reports 503 so a load balancer or supervisor stops counting on it.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Health } from './http-server.ts';

export interface WorkerHealthSources {
  redis: Redis;
  workers: readonly Worker[];
  /** True once SIGTERM/SIGINT arrived. */
  stopping: () => boolean;
  /** Longest a Redis PING may take. Default 1000 ms. */
  pingTimeoutMs?: number;
}

export async function workerHealth(src: WorkerHealthSources): Promise<Health> {
  const problems: string[] = [];
  if (src.stopping()) problems.push('stopping');
  const notRunning = src.workers.filter((w) => !w.isRunning()).map((w) => w.name);
  if (notRunning.length > 0) problems.push(`not running: ${notRunning.join(',')}`);
  const started = Date.now();
  try {
    await withTimeout(src.redis.ping(), src.pingTimeoutMs ?? 1_000);
  } catch (err) {
    problems.push(`redis: ${(err as Error).message}`);
  }
  return {
    ok: problems.length === 0,
    problems,
    queues: src.workers.map((w) => w.name),
    redisPingMs: Date.now() - started,
  };
}

/** GETs a /healthz URL: resolves with the health report, or a synthetic one when unreachable. */
export async function probeHealth(url: string, timeoutMs = 3_000): Promise<Health> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as Health;
    return { ...body, ok: res.ok && body.ok === true };
  } catch (err) {
    return { ok: false, problems: [`unreachable ${url}: ${(err as Error).message}`] };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
