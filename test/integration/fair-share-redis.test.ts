/**
 * Fair-share priorities on a real Redis with real BullMQ queues and workers: the order a worker
 * actually serves jobs in, tags handed out by concurrent producers, a job parked by a rate-limit
 * wait keeping its place when it comes back (BullMQ re-reads the priority when it promotes a
 * delayed job), the counters of who got the work, and a fresh start once the queue drains.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FairAccounting, sharesByAccount } from '../../src/queues/fair/index.ts';
import { FleetQueues } from '../../src/queues/fleet-queues.ts';
import { RetryAfterError, silentLogger } from '../../src/shared/platform/index.ts';
import { defineJob } from '../../src/workers/define-job.ts';
import type { WorkerServices } from '../../src/workers/services.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.ts';

const served: string[] = [];
const parkedOnce = new Set<string>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Short, so the test of a fresh busy period need not wait the default 10 s.
const IDLE_GRACE_MS = 1_000;
const FAIR = { enabled: true, headStart: 8, weights: { interactive: 1, bulk: 4, scheduled: 4 }, idleGraceMs: IDLE_GRACE_MS };

const Work = z.object({ accountId: z.string(), runId: z.string().optional(), tag: z.string(), parkMs: z.number().default(0) });
const catalog = {
  work: defineJob({
    name: 'work', queue: 'upstream', schema: Work, attempts: 1, backoffMs: 10, timeoutMs: 10_000,
    async process(p) {
      if (p.parkMs > 0 && !parkedOnce.has(p.tag)) {
        parkedOnce.add(p.tag);
        throw new RetryAfterError('governor says later', p.parkMs);
      }
      served.push(p.tag);
      await sleep(15);
      return p.tag;
    },
  }),
};

describe('fair share on real BullMQ queues', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('fairq');
  let queues: FleetQueues<typeof catalog>;
  let workers: WorkerFleet | undefined;

  const services = {
    redis,
    prefix,
    waits: { add: async (_job: unknown, ms: number) => ms },
  } as unknown as WorkerServices;
  const startServing = () => {
    workers = startWorkers({ connection: redis, prefix, jobs: catalog, services, logger: silentLogger, queues: ['upstream'], concurrency: 1 });
  };
  const stopServing = async () => {
    await workers?.close(2_000);
    workers = undefined;
  };
  const drained = async () => {
    const q = queues.queue('upstream');
    await expect.poll(async () => {
      const c = await q.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
      return Object.values(c).reduce((n, x) => n + (x ?? 0), 0);
    }, { timeout: 20_000, interval: 50 }).toBe(0);
  };
  const specs = (accountId: string, runId: string | undefined, n: number, extra: { parkMs?: number; lane?: 'interactive' | 'bulk' } = {}) =>
    Array.from({ length: n }, (_, i) =>
      queues.jobSpec('work', { accountId, ...(runId ? { runId } : {}), tag: `${runId ?? accountId}-${i}`, parkMs: i === 0 ? (extra.parkMs ?? 0) : 0 }, extra.lane ? { lane: extra.lane } : {}));

  beforeAll(() => {
    queues = new FleetQueues({ connection: redis, prefix, catalog, fairShare: FAIR });
  });

  afterAll(async () => {
    await stopServing();
    await queues.close();
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('two runs enqueued together are served alternately', async () => {
    served.length = 0;
    await queues.addBulk(specs('A', 'big', 30));
    await queues.addBulk(specs('B', 'small', 12));
    startServing();
    await drained();
    await stopServing();
    const expected = Array.from({ length: 12 }, (_, i) => [`big-${i}`, `small-${i}`]).flat();
    expect(served.slice(0, 24)).toEqual(expected);
    expect(served.slice(24)).toEqual(Array.from({ length: 18 }, (_, i) => `big-${i + 12}`));
  });

  it('a small run arriving behind a big backlog overtakes it by its head start, then shares', async () => {
    served.length = 0;
    await queues.addBulk(specs('A', 'big2', 60, { lane: 'interactive' }));
    startServing();
    await expect.poll(() => served.length, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(15);
    const before = served.length;
    await queues.addBulk(specs('B', 'small2', 12, { lane: 'interactive' }));
    await drained();
    await stopServing();
    // The small run's 8 head-start jobs (8 interactive jobs' worth) run back to back, as soon as
    // the job in flight is done.
    const firstSmall = served.indexOf('small2-0');
    expect(firstSmall).toBeLessThanOrEqual(before + 2);
    expect(served.slice(firstSmall, firstSmall + 8)).toEqual(Array.from({ length: 8 }, (_, i) => `small2-${i}`));
    // Its last 4 alternate with the big run's jobs, long before the big run's end (FIFO: after all 60).
    const lastSmall = served.indexOf('small2-11');
    expect(lastSmall).toBeLessThanOrEqual(firstSmall + 8 + 2 * 4);
    expect(lastSmall).toBeLessThan(served.indexOf('big2-59'));
  });

  it('concurrent producers on separate connections never hand one flow the same tag twice', async () => {
    const extra = [new Redis(testRedisUrl()), new Redis(testRedisUrl()), new Redis(testRedisUrl())];
    const producers = extra.map((connection) => new FleetQueues({ connection, prefix, catalog, fairShare: FAIR }));
    await sleep(IDLE_GRACE_MS); // the queue is empty: all 30 start a new busy period at once, the hardest case
    try {
      const jobs = (await Promise.all(producers.flatMap((p, k) =>
        Array.from({ length: 10 }, (_, i) => p.enqueue('work', { accountId: 'C', tag: `c-${k}-${i}` }))))).flat();
      const priorities = jobs.map((j) => j.opts.priority!);
      expect(new Set(priorities).size).toBe(30);
      // One bulk flow: start times 4 apart (its lane weight), from wherever the queue's clock stood.
      const sorted = [...priorities].sort((a, b) => a - b);
      expect(sorted.every((p, i) => i === 0 || p - sorted[i - 1]! === 4)).toBe(true);
    } finally {
      await Promise.all(producers.map((p) => p.close()));
      for (const c of extra) c.disconnect();
      await queues.queue('upstream').drain();
    }
  });

  it('a job parked by a rate-limit wait comes back ahead of work queued after it', async () => {
    served.length = 0;
    await queues.addBulk(specs('D', 'parked', 1, { parkMs: 150 }));
    await queues.addBulk(specs('E', 'later', 40));
    startServing();
    await drained();
    await stopServing();
    // BullMQ re-reads the priority when it promotes a delayed job: 150 ms is ~8 jobs of 15 ms, so
    // it runs long before the 40 queued behind it. Without a priority it would go to the back.
    const at = served.indexOf('parked-0');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(20);
  });

  it('counts who got the work, and resets the pending counts when the queue drains', async () => {
    const accounting = new FairAccounting(redis, prefix);
    const snap = await accounting.snapshot([queues.queue('upstream')], 60);
    const shares = sharesByAccount(snap);
    const finished = (id: string) => shares.find((s) => s.accountId === id)?.finished ?? 0;
    expect(finished('A')).toBe(90);
    expect(finished('B')).toBe(24);
    expect(finished('E')).toBe(40);
    expect(shares.reduce((n, s) => n + s.share, 0)).toBeCloseTo(1, 6);
    expect(snap.pending).toEqual([]); // every enqueued job finished
    const totalsOfA = snap.finishedTotal.filter((r) => r.accountId === 'A').sort((x, y) => x.lane.localeCompare(y.lane));
    expect(totalsOfA).toEqual([
      { queue: 'upstream', lane: 'bulk', accountId: 'A', count: 30 },
      { queue: 'upstream', lane: 'interactive', accountId: 'A', count: 60 },
    ]);
  });

  it('starts a new busy period from scratch once the queue has drained', async () => {
    await drained();
    await sleep(IDLE_GRACE_MS + 100);
    const [first] = await queues.addBulk(specs('F', 'fresh', 1, { lane: 'interactive' }));
    // Tags grew into the hundreds above; a drained queue hands out the lowest head-start tag again.
    expect(first!.opts.priority).toBe(1);
    await queues.queue('upstream').drain();
  });
});
