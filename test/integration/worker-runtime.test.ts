/**
 * The worker runtime on a real Redis with real BullMQ queues: payload validation fails a job as
 * unrecoverable with the zod message; a rate-limit wait delays the job without consuming an
 * attempt; a NonRetryableError fails at once; ordinary errors retry.
 */
import { QueueEvents, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetQueues } from '../../src/queues/fleet-queues.ts';
import { NonRetryableError, RetryAfterError, silentLogger } from '../../src/shared/platform/index.ts';
import type { WorkerServices } from '../../src/workers/services.ts';
import { defineJob } from '../../src/workers/define-job.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const calls = new Map<string, number>();
const bump = (k: string) => {
  const n = (calls.get(k) ?? 0) + 1;
  calls.set(k, n);
  return n;
};

const testCatalog = {
  echo: defineJob({
    name: 'echo', queue: 'upstream', schema: z.object({ accountId: z.string(), n: z.number() }),
    attempts: 3, backoffMs: 10, timeoutMs: 5_000,
    async process(p) { return { doubled: p.n * 2 }; },
  }),
  limited: defineJob({
    name: 'limited', queue: 'upstream', schema: z.object({ key: z.string() }),
    attempts: 1, backoffMs: 10, timeoutMs: 5_000,
    async process(p) {
      // Rate-limited twice, then succeeds: with attempts=1 this only works if waits don't count.
      if (bump(p.key) <= 2) throw new RetryAfterError('rate limited', 150);
      return 'ok';
    },
  }),
  fatal: defineJob({
    name: 'fatal', queue: 'upstream', schema: z.object({ key: z.string() }),
    attempts: 5, backoffMs: 10, timeoutMs: 5_000,
    async process(p) { bump(p.key); throw new NonRetryableError('missing scope api:calls:read:transcript'); },
  }),
  flaky: defineJob({
    name: 'flaky', queue: 'upstream', schema: z.object({ key: z.string() }),
    attempts: 3, backoffMs: 10, timeoutMs: 5_000,
    async process(p) { if (bump(p.key) < 3) throw new Error('boom'); return 'third time'; },
  }),
  slow: defineJob({
    name: 'slow', queue: 'upstream', schema: z.object({}),
    attempts: 1, backoffMs: 10, timeoutMs: 100,
    async process(_p, { signal }) {
      await new Promise((r) => setTimeout(r, 2_000));
      return signal.aborted ? 'aborted' : 'late';
    },
  }),
};

describe('worker runtime', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('rt');
  let fleet: WorkerFleet;
  let queues: FleetQueues<typeof testCatalog>;
  let events: QueueEvents;

  beforeAll(async () => {
    const services = {
      waits: { add: async (job: Job, ms: number) => redis.hincrby(`${prefix}:waits`, String(job.id), ms) },
    } as unknown as WorkerServices;
    fleet = startWorkers({ connection: redis, prefix, jobs: testCatalog, services, logger: silentLogger, queues: ['upstream'], concurrency: 4 });
    queues = new FleetQueues({ connection: redis, prefix, catalog: testCatalog });
    events = new QueueEvents('upstream', { connection: redis.duplicate(), prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await fleet.close(2_000);
    await queues.close();
    await events.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('runs a valid job and returns its result', async () => {
    const job = await queues.enqueue('echo', { accountId: 'a', n: 21 });
    expect(await job.waitUntilFinished(events, 5_000)).toEqual({ doubled: 42 });
  });

  it('refuses an invalid payload at the producer, and fails one that reaches the worker as unrecoverable', async () => {
    await expect(queues.enqueue('echo', { accountId: 'a', n: 'x' } as never)).rejects.toThrow(/invalid echo payload/);
    // Bypass the producer check, as an old producer or a hand-made job would.
    const job = await queues.queue('upstream').add('echo', { accountId: 'a' }, { attempts: 3 });
    await expect(job.waitUntilFinished(events, 5_000)).rejects.toThrow(/invalid payload for echo.*n/);
    const failed = await queues.queue('upstream').getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1); // unrecoverable: no retries
  });

  it('delays a rate-limited job without consuming an attempt', async () => {
    const started = Date.now();
    const job = await queues.enqueue('limited', { key: 'lim-1' });
    expect(await job.waitUntilFinished(events, 5_000)).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280); // two 150 ms waits
    expect(calls.get('lim-1')).toBe(3);
    expect(Number(await redis.hget(`${prefix}:waits`, String(job.id)))).toBe(300);
  });

  it('fails a NonRetryableError at once, naming the cause', async () => {
    const job = await queues.enqueue('fatal', { key: 'fatal-1' });
    await expect(job.waitUntilFinished(events, 5_000)).rejects.toThrow(/missing scope api:calls:read:transcript/);
    expect(calls.get('fatal-1')).toBe(1);
  });

  it('retries ordinary errors with backoff until an attempt succeeds', async () => {
    const job = await queues.enqueue('flaky', { key: 'flaky-1' });
    expect(await job.waitUntilFinished(events, 15_000)).toBe('third time');
    expect(calls.get('flaky-1')).toBe(3);
  });

  it('times out a job that runs past its timeout', async () => {
    const job = await queues.enqueue('slow', {});
    await expect(job.waitUntilFinished(events, 5_000)).rejects.toThrow(/timed out after 100 ms/);
  });
});
