/**
 * Metrics on a real Redis: a worker process's /metrics and /healthz (and `worker --health`), and
 * the process metrics fed from worker events: outcomes, durations, LLM tokens and cache hits.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger, createRegistry, instrumentWorkers, registerProcessMetrics } from '../../src/shared/platform/index.ts';
import { defineJob } from '../../src/workers/define-job.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli, startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

function metricsUrl(worker: WorkerProcess): string {
  const m = /metrics on (http:\/\/\S+)\/metrics/.exec(worker.output());
  if (!m?.[1]) throw new Error(`no metrics URL in worker output: ${worker.output()}`);
  return m[1];
}

describe('worker metrics endpoint', () => {
  let fleet: TestFleet;
  let worker: WorkerProcess;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'metrics' });
    worker = await startWorkerProcess(fleet.env, ['--metrics-port', '0', '--queues', 'upstream']);
  });

  afterAll(async () => {
    await worker?.stop();
    await fleet?.close();
  });

  it('counts a finished job with its duration, and reports healthy', async () => {
    const base = metricsUrl(worker);
    const job = await fleet.services.queues.enqueue('truto-tool', { accountId: fleet.accountId, tool: 'list_all_gong_users' });
    await expect.poll(async () => (await job.getState()), { timeout: 20_000 }).toBe('completed');
    await expect
      .poll(async () => (await fetch(`${base}/metrics`)).text(), { timeout: 5_000 })
      .toMatch(/gong_fleet_jobs_finished_total\{queue="upstream",job="truto-tool",outcome="completed",proc="worker"\} 1/);
    const body = await (await fetch(`${base}/metrics`)).text();
    expect(body).toMatch(/gong_fleet_job_duration_seconds_count\{[^}]*job="truto-tool"[^}]*outcome="completed"[^}]*\} 1\n/);
    expect(body).toMatch(/gong_fleet_process_resident_memory_bytes/);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, problems: [] });
    const port = new URL(base).port;
    const probe = await runCli(['worker', '--health', '--metrics-port', port], fleet.env, 20_000);
    expect(probe.code).toBe(0);
    expect(probe.stdout).toContain('healthy');
  });

  it('`worker --health` exits 1 when nothing answers', async () => {
    const probe = await runCli(['worker', '--health', '--metrics-port', '1'], fleet.env, 20_000);
    expect(probe.code).toBe(1);
    expect(probe.stdout).toMatch(/unhealthy: unreachable/);
  });
});

describe('process metrics from worker events', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'pmetrics' });
  });
  afterAll(async () => fleet?.close());

  it('records LLM tokens for model answers and cache hits, and final failures', async () => {
    const fake = defineJob({
      name: 'fake-summary',
      queue: 'llm',
      schema: z.object({ cached: z.boolean(), fail: z.boolean().default(false) }),
      attempts: 1,
      backoffMs: 10,
      timeoutMs: 5_000,
      async process(p) {
        if (p.fail) throw new Error('boom');
        return { cached: p.cached, promptTokens: 100, completionTokens: 7 };
      },
    });
    const registry = createRegistry();
    const metrics = registerProcessMetrics(registry, { defaultMetrics: false });
    const fleetWorkers = startWorkers({
      connection: fleet.redis,
      prefix: fleet.prefix,
      jobs: { 'fake-summary': fake },
      services: fleet.services,
      logger: silentLogger,
      queues: ['llm'],
      concurrency: 2,
    });
    const detach = instrumentWorkers(fleetWorkers.workers, metrics);
    const queue = new Queue('llm', { connection: fleet.redis, prefix: fleet.prefix });
    try {
      await queue.addBulk([
        { name: 'fake-summary', data: { cached: false } },
        { name: 'fake-summary', data: { cached: false } },
        { name: 'fake-summary', data: { cached: true } },
        { name: 'fake-summary', data: { cached: true, fail: true }, opts: { attempts: 1 } },
      ]);
      await expect.poll(async () => (await metrics.jobsFinished.get()).values.reduce((n, v) => n + v.value, 0), { timeout: 15_000 }).toBe(4);
      const tokens = Object.fromEntries((await metrics.llmTokens.get()).values.map((v) => [v.labels.kind, v.value]));
      expect(tokens).toEqual({ prompt: 200, completion: 14 });
      const cache = Object.fromEntries((await metrics.llmCache.get()).values.map((v) => [v.labels.result, v.value]));
      expect(cache).toEqual({ hit: 1, miss: 2 });
      const outcomes = (await metrics.jobsFinished.get()).values.map((v) => `${v.labels.outcome}:${v.value}`).sort();
      expect(outcomes).toEqual(['completed:3', 'failed:1']);
    } finally {
      detach();
      await fleetWorkers.close(5_000);
      await queue.close();
    }
  });
});
