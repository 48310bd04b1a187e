/**
 * Fair-share tags (src/queues/fair/tags.ts) against a model of how BullMQ serves a prioritized
 * queue: lowest priority first, FIFO among equal priorities (BullMQ's insertion counter). The model
 * stores the clock the way ClockStore does (virtual time, finish tag per flow, head start per run)
 * and serves one job at a time, so each test reads the order in which work would run.
 */
import { describe, expect, it } from 'vitest';
import { planTags, PRIORITY_MAX, type RunHeadStart } from '../../src/queues/fair/tags.ts';

const WEIGHTS = { interactive: 1, bulk: 4, scheduled: 4 } as const;
type LaneName = keyof typeof WEIGHTS;

interface Waiting {
  priority: number;
  seq: number;
  run: string;
}

class ModelQueue {
  private waiting: Waiting[] = [];
  private seq = 0;
  private v = 0;
  private flows = new Map<string, number>();
  private runs = new Map<string, RunHeadStart>();
  constructor(private readonly headStart = 32) {}

  enqueue(run: string, account: string, lane: LaneName, count: number, opts: { isRun?: boolean } = {}): number[] {
    const flow = `${lane}:${account}`;
    const isRun = opts.isRun ?? true;
    const frontier = this.waiting.length ? Math.min(...this.waiting.map((w) => w.priority)) : null;
    const plan = planTags(
      { virtualTime: this.v, flowFinish: this.flows.get(flow), run: isRun ? this.runs.get(run) : undefined },
      { frontier, idle: this.waiting.length === 0 },
      { count, weight: WEIGHTS[lane], headStart: this.headStart, isRun },
    );
    if (plan.reset) {
      this.flows.clear();
      this.runs.clear();
    }
    this.v = plan.virtualTime;
    if (plan.flowFinish !== undefined) this.flows.set(flow, plan.flowFinish);
    if (plan.run) this.runs.set(run, plan.run);
    for (const priority of plan.priorities) this.waiting.push({ priority, seq: this.seq++, run });
    return plan.priorities;
  }

  /** Serves `n` jobs (fewer if the queue empties) and returns whose they were, in order. */
  serve(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n && this.waiting.length > 0; i++) {
      this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      out.push(this.waiting.shift()!.run);
    }
    return out;
  }

  /** Serves until `run` has no job left; returns how many jobs were served in all. */
  serveUntilDone(run: string): number {
    let served = 0;
    while (this.waiting.some((w) => w.run === run)) served += this.serve(1).length;
    return served;
  }

  left(run: string): number {
    return this.waiting.filter((w) => w.run === run).length;
  }
}

const count = (served: string[], run: string) => served.filter((r) => r === run).length;

describe('fair-share tags', () => {
  it('a small run arriving behind a big one finishes within its own size (plus nothing), not behind the backlog', () => {
    const q = new ModelQueue();
    q.enqueue('big', 'A', 'interactive', 120);
    q.serve(30);
    q.enqueue('small', 'B', 'interactive', 20);
    // FIFO would serve the big run's 90 remaining jobs first; the head start (32 ≥ 20) puts all 20 ahead.
    expect(q.serveUntilDone('small')).toBe(20);
    expect(q.left('big')).toBe(90);
  });

  it('beyond its head start a newcomer shares round-robin with the backlog, not behind it', () => {
    const q = new ModelQueue(8);
    q.enqueue('big', 'A', 'interactive', 200);
    q.serve(50);
    q.enqueue('second', 'B', 'interactive', 40);
    const first = q.serve(8);
    expect(count(first, 'second')).toBe(8); // the head start
    const next = q.serve(40);
    expect(count(next, 'second')).toBe(20); // then one of every two
    expect(count(next, 'big')).toBe(20);
  });

  it('runs of one account share that account\'s flow: ten runs of A do not get ten times the share of B', () => {
    const q = new ModelQueue(0); // no head start: the steady share only
    for (let i = 0; i < 10; i++) q.enqueue(`a${i}`, 'A', 'bulk', 20);
    q.enqueue('b', 'B', 'bulk', 20);
    const served = q.serve(40);
    const fromA = served.filter((r) => r.startsWith('a')).length;
    expect(count(served, 'b')).toBe(20);
    expect(fromA).toBe(20);
  });

  it('interactive work gets four of every five jobs while bulk is backlogged, and bulk still advances', () => {
    const q = new ModelQueue(0);
    q.enqueue('nightly', 'A', 'bulk', 200);
    q.enqueue('person', 'B', 'interactive', 200);
    const served = q.serve(100);
    expect(count(served, 'person')).toBe(80);
    expect(count(served, 'nightly')).toBe(20);
  });

  it('an interactive run behind a scheduled sweep overtakes it even on the same account', () => {
    const q = new ModelQueue();
    q.enqueue('sweep', 'C', 'scheduled', 40);
    q.serve(10); // past the sweep's own head start (8 bulk-weight jobs)
    q.enqueue('person', 'C', 'interactive', 10);
    expect(q.serveUntilDone('person')).toBe(10);
    expect(q.left('sweep')).toBe(30);
  });

  it('a stream of newcomers delays a big run by at most the head start each', () => {
    const headStart = 16;
    const q = new ModelQueue(headStart);
    q.enqueue('big', 'A', 'interactive', 100);
    let servedBig = 0;
    let served = 0;
    for (let i = 0; i < 20; i++) {
      // A new tiny account arrives after every five jobs served, each with more work than its head start.
      q.enqueue(`n${i}`, `N${i}`, 'interactive', 40);
      const s = q.serve(5);
      served += s.length;
      servedBig += count(s, 'big');
    }
    // Each newcomer overtakes with at most 16 jobs; the big run keeps a share of the rest.
    expect(servedBig).toBeGreaterThan(0);
    expect(served - servedBig).toBeLessThanOrEqual(20 * headStart);
  });

  it('jobs added later by the same run use what is left of its head start, once', () => {
    const q = new ModelQueue(32);
    q.enqueue('big', 'A', 'interactive', 100);
    q.serve(40);
    const firstBatch = q.enqueue('small', 'B', 'interactive', 10);
    const secondBatch = q.enqueue('small', 'B', 'interactive', 10);
    const thirdBatch = q.enqueue('small', 'B', 'interactive', 20);
    const all = [...firstBatch, ...secondBatch, ...thirdBatch];
    // 32 head-start tags in order, then the flow's: strictly increasing, no tag handed out twice.
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(q.serveUntilDone('small')).toBeLessThan(40 + 8 * 2 + 1);
  });

  it('starts over when the queue is idle and never leaves BullMQ\'s priority range', () => {
    const plan = planTags({ virtualTime: PRIORITY_MAX - 3, flowFinish: PRIORITY_MAX - 1 }, { frontier: PRIORITY_MAX - 2, idle: false }, { count: 5, weight: 4, headStart: 32, isRun: false });
    expect(plan.priorities).toEqual([PRIORITY_MAX - 1, PRIORITY_MAX, PRIORITY_MAX, PRIORITY_MAX, PRIORITY_MAX]);
    const fresh = planTags({ virtualTime: 900_000, flowFinish: 900_010 }, { frontier: null, idle: true }, { count: 3, weight: 1, headStart: 32, isRun: true });
    expect(fresh.reset).toBe(true);
    expect(fresh.priorities).toEqual([1, 2, 3]); // the previous busy period's 900,000s are forgotten
    expect(Math.min(...fresh.priorities)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a weight that would not advance virtual time', () => {
    expect(() => planTags({ virtualTime: 0 }, { frontier: null, idle: true }, { count: 1, weight: 0, headStart: 32, isRun: false })).toThrow(/weight/);
  });
});
