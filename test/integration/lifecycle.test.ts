/**
 * Worker lifecycle with real processes: SIGTERM lets an active job finish (and /healthz says
 * "stopping" meanwhile); past the shutdown deadline the job is handed back and another worker
 * finishes it; a worker killed with SIGKILL has its job recovered as stalled by another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

/** Every sandbox request takes this long, so a one-request job is reliably active for a while. */
const LATENCY_MS = 3_000;

describe('worker lifecycle', () => {
  let fleet: TestFleet;
  const started: WorkerProcess[] = [];
  const worker = async (env: Record<string, string> = {}, args: string[] = []) => {
    const w = await startWorkerProcess({ ...fleet.env, ...env }, ['--queues', 'upstream', ...args]);
    started.push(w);
    return w;
  };
  const slowJob = () => fleet.services.queues.enqueue('truto-tool', { accountId: fleet.accountId, tool: 'list_all_gong_users' });

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'life', sandbox: { faults: { latencyMs: LATENCY_MS } } });
  });

  afterAll(async () => {
    await Promise.all(started.map((w) => (w.child.exitCode === null && w.child.signalCode === null ? w.kill() : undefined)));
    await fleet?.close();
  });

  it('SIGTERM: stops taking jobs, finishes the active one, reports stopping, exits 0', async () => {
    const w = await worker({}, ['--metrics-port', '0']);
    const base = /metrics on (http:\/\/\S+)\/metrics/.exec(w.output())?.[1];
    expect(base).toBeDefined();
    const job = await slowJob();
    await expect.poll(() => job.getState(), { timeout: 10_000, interval: 100 }).toBe('active');
    const exited = w.stop();
    await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status, { timeout: 2_000, interval: 50 }).toBe(503);
    const waiting = await fleet.services.queues.enqueue('truto-tool', { accountId: fleet.accountId, tool: 'list_all_gong_users' });
    expect(await exited).toBe(0);
    expect(await job.getState()).toBe('completed');
    expect(await waiting.getState()).toBe('waiting'); // a stopping worker takes no new job
    await waiting.remove();
  });

  it('past the shutdown deadline the active job is handed back, and another worker finishes it', async () => {
    const env = { WORKER_SHUTDOWN_DEADLINE_MS: '500', WORKER_LOCK_DURATION_MS: '2000' };
    const first = await worker(env);
    const job = await slowJob();
    await expect.poll(() => job.getState(), { timeout: 10_000, interval: 100 }).toBe('active');
    await first.stop();
    // It exited without waiting for the job: had it waited, the job would be completed by now.
    expect(await job.getState()).not.toBe('completed');
    await worker(env);
    await expect.poll(() => job.getState(), { timeout: 20_000, interval: 200 }).toBe('completed');
  });

  it('SIGKILL: the dead worker\'s job is recovered as stalled by another worker', async () => {
    const env = { WORKER_LOCK_DURATION_MS: '2000' };
    const victim = await worker(env);
    const job = await slowJob();
    await expect.poll(() => job.getState(), { timeout: 10_000, interval: 100 }).toBe('active');
    await victim.kill();
    await worker(env);
    await expect.poll(() => job.getState(), { timeout: 20_000, interval: 200 }).toBe('completed');
    const fresh = await fleet.services.queues.queue('upstream').getJob(job.id!);
    expect(fresh?.returnvalue).toBeDefined();
  });
});
