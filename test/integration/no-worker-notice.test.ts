/**
 * No worker, no silent wait (issue 10 item 9): a run whose queues no worker serves says so on
 * stderr within seconds, naming `gong-fleet worker` and --local-worker, and keeps waiting; once a
 * worker process starts, the run completes. Workers are found as BullMQ lists them (CLIENT LIST),
 * so only a worker on the same Redis and prefix counts. Real Redis, real sandbox, the real CLI and
 * a real worker process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuesWithoutWorkers, watchWorkers, workerNotice } from '../../src/producers/worker-watch.ts';
import type { QueueName } from '../../src/queues/names.ts';
import { callRefFrom, discoverCalls } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

const BIN = resolve(import.meta.dirname, '../../bin/gong-fleet.mjs');
const DAY_MS = 86_400_000;

describe('a run with no worker', () => {
  let fleet: TestFleet;
  let worker: WorkerProcess | undefined;
  let out: string;
  let callIds: string[];

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'noworker', sandbox: { callsPerAccount: 12 } });
    out = mkdtempSync(join(tmpdir(), 'gf-noworker-'));
    const to = new Date();
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * DAY_MS), to });
    callIds = found.calls.slice(0, 3).map((c) => callRefFrom(c).callId);
  });

  afterAll(async () => {
    await worker?.stop();
    await fleet?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('lists exactly the queues no worker of this prefix serves', async () => {
    const needed = ['upstream', 'llm', 'flows'] as const;
    expect(await queuesWithoutWorkers(fleet.services.queues, needed)).toEqual(['upstream', 'llm', 'flows']);
    const flowsOnly = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, queues: ['flows'] });
    try {
      await flowsOnly.workers[0]!.waitUntilReady();
      await expect.poll(() => queuesWithoutWorkers(fleet.services.queues, needed), { timeout: 5_000 }).toEqual(['upstream', 'llm']);
    } finally {
      await flowsOnly.close(2_000);
    }
    await expect.poll(() => queuesWithoutWorkers(fleet.services.queues, needed), { timeout: 5_000 }).toEqual(['upstream', 'llm', 'flows']);
  });

  it('a watch reports each change once: unserved, then served again', async () => {
    const seen: QueueName[][] = [];
    const watch = watchWorkers({ queues: fleet.services.queues, needed: ['flows'], onChange: (m) => seen.push(m), graceMs: 0, everyMs: 100 });
    try {
      await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(1);
      expect(seen[0]).toEqual(['flows']);
      const flows = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, queues: ['flows'] });
      try {
        await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(2);
        expect(seen[1]).toEqual([]);
        await new Promise((r) => setTimeout(r, 400));
        expect(seen).toHaveLength(2); // no repeats while nothing changes
      } finally {
        await flows.close(2_000);
      }
    } finally {
      watch.stop();
    }
  });

  it('says so within seconds on stderr, keeps waiting, and completes once a worker starts', async () => {
    const child = spawn(process.execPath, [BIN, 'summarize', '--account', fleet.accountId, '--call-ids', callIds.join(','), '--json', '--out', out], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...fleet.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let planAtMs = 0;
    let noticeAtMs = 0;
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => {
      stderr += String(b);
      if (!planAtMs && stderr.includes('plan r-')) planAtMs = Date.now();
      if (!noticeAtMs && stderr.includes('no worker is serving')) noticeAtMs = Date.now();
    });
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    try {
      await expect.poll(() => noticeAtMs, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
      expect(noticeAtMs - planAtMs).toBeLessThan(6_000);
      expect(stderr).toContain(workerNotice(['upstream', 'llm', 'flows']));
      expect(stderr).toMatch(/`gong-fleet worker`.*--local-worker/);

      // Still waiting: nothing can have finished without a worker.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(child.exitCode).toBeNull();

      worker = await startWorkerProcess(fleet.env);
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
      expect(code, stderr).toBe(0);
      expect(stderr.split('no worker is serving').length - 1).toBe(1);
      const printed = JSON.parse(stdout) as { plan: { calls: number }; stats: { summarized: number } };
      expect(printed.stats.summarized).toBe(callIds.length);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 100_000);
});
