/**
 * Who got the fleet's work: cheap counters in Redis, per queue, lane and account.
 * - `<prefix>:fair:pending:<queue>`: jobs enqueued and not finished yet (waiting, delayed, active),
 *   +n when added (FleetQueues), −1 when a job completes or fails for good (the worker runtime).
 * - `<prefix>:fair:done:<minute>`: jobs finished in that minute (worker clock), kept 70 minutes;
 *   `<prefix>:fair:done`: the same, cumulative, for Prometheus counters.
 *
 * Approximate by design, and self-healing: a crash between finishing a job and counting it, or a
 * duplicate job id re-added after a crash, leaves a pending count off by one until the queue next
 * drains, when it is reset (by the next enqueue or the next read, whichever sees it idle).
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { finishedMinuteKey, finishedTotalKey, pendingKey, queueStateKeys } from './keys.ts';
import { NO_ACCOUNT } from './lanes.ts';

const MINUTE_MS = 60_000;
/** Minute buckets outlive the longest window the dashboard shows (60 minutes). */
const BUCKET_TTL_MS = 70 * MINUTE_MS;
/** Cumulative totals of accounts idle for a month are dropped with the hash. */
const TOTALS_TTL_MS = 30 * 24 * 3600_000;
/** Longest window a snapshot may cover, in minutes. */
export const MAX_WINDOW_MINUTES = 60;

/** KEYS[1] pending, [2] minute bucket, [3] totals. ARGV: pending field, done field, bucket ttl, totals ttl. */
const FINISHED_LUA = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return left
`;

/** KEYS[1] pending, then BullMQ's wait, prioritized, delayed, active, waiting-children. Resets an idle queue's counts. */
const PENDING_LUA = `
local busy = redis.call('LLEN', KEYS[2]) + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
  + redis.call('LLEN', KEYS[5]) + redis.call('ZCARD', KEYS[6])
if busy == 0 then redis.call('DEL', KEYS[1]) return {} end
return redis.call('HGETALL', KEYS[1])
`;

export interface ShareCount {
  queue: string;
  lane: string;
  accountId: string;
  count: number;
}

export interface FairShareSnapshot {
  /** Epoch ms (reader's clock). */
  atMs: number;
  windowMinutes: number;
  /** Jobs enqueued and not finished, per queue, lane and account (zeros omitted). */
  pending: ShareCount[];
  /** Jobs finished in the window. */
  finished: ShareCount[];
  /** Jobs finished since the counters began (for Prometheus). */
  finishedTotal: ShareCount[];
}

export interface AccountShare {
  accountId: string;
  /** Jobs enqueued and not finished, all queues. */
  pending: number;
  /** Per queue. */
  pendingByQueue: Record<string, number>;
  /** Per lane. */
  pendingByLane: Record<string, number>;
  /** Jobs finished in the window, all queues. */
  finished: number;
  /** finished / all jobs finished in the window (0 when nothing finished). */
  share: number;
}

const field = (...parts: string[]): string => parts.join('|');

export class FairAccounting {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private pendingKey(queue: string): string {
    return pendingKey(this.prefix, queue);
  }

  private bucketKey(minute: number): string {
    return finishedMinuteKey(this.prefix, minute);
  }

  private totalsKey(): string {
    return finishedTotalKey(this.prefix);
  }

  /** Counts jobs just added. */
  async enqueued(counts: ShareCount[]): Promise<void> {
    if (counts.length === 0) return;
    const m = this.redis.multi();
    for (const c of counts) m.hincrby(this.pendingKey(c.queue), field(c.lane, c.accountId), c.count);
    await m.exec();
  }

  /** Counts one job that completed or failed for good. */
  async finished(queue: string, lane: string, accountId: string = NO_ACCOUNT): Promise<void> {
    const keys = [this.pendingKey(queue), this.bucketKey(Math.floor(this.now() / MINUTE_MS)), this.totalsKey()];
    const args = [field(lane, accountId), field(queue, lane, accountId), BUCKET_TTL_MS, TOTALS_TTL_MS];
    try {
      await this.redis.evalsha(FINISHED_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      await this.redis.eval(FINISHED_LUA, keys.length, ...keys, ...args);
    }
  }

  /** Pending per queue (idle queues reset to zero), finished in the last `windowMinutes` and in total. */
  async snapshot(queues: readonly Queue[], windowMinutes = 5): Promise<FairShareSnapshot> {
    const atMs = this.now();
    const minutes = Math.min(MAX_WINDOW_MINUTES, Math.max(1, Math.round(windowMinutes)));
    const current = Math.floor(atMs / MINUTE_MS);
    const m = this.redis.multi();
    for (const q of queues) {
      const k = queueStateKeys(q);
      m.eval(PENDING_LUA, 6, this.pendingKey(q.name), k.wait, k.prioritized, k.delayed, k.active, k.waitingChildren);
    }
    // The current minute is partial: a window of N minutes reads the N − 1 whole ones before it too.
    for (let i = 0; i < minutes; i++) m.hgetall(this.bucketKey(current - i));
    m.hgetall(this.totalsKey());
    const res = (await m.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    const pending = queues.flatMap((q, i) => pairs(res[i]![1] as string[]).map(([f, n]) => ({ queue: q.name, ...splitLaneAccount(f), count: n })));
    const finished = sumRows(res.slice(queues.length, queues.length + minutes).map(([, h]) => h as Record<string, string>));
    const finishedTotal = sumRows([res[queues.length + minutes]![1] as Record<string, string>]);
    return { atMs, windowMinutes: minutes, pending: pending.filter((p) => p.count > 0), finished, finishedTotal };
  }
}

const FINISHED_SHA = createHash('sha1').update(FINISHED_LUA).digest('hex');

/** Per account: pending (by queue and lane), finished in the window and its share of all finished. */
export function sharesByAccount(s: FairShareSnapshot): AccountShare[] {
  const by = new Map<string, AccountShare>();
  const get = (accountId: string): AccountShare => {
    let a = by.get(accountId);
    if (!a) by.set(accountId, (a = { accountId, pending: 0, pendingByQueue: {}, pendingByLane: {}, finished: 0, share: 0 }));
    return a;
  };
  for (const p of s.pending) {
    const a = get(p.accountId);
    a.pending += p.count;
    a.pendingByQueue[p.queue] = (a.pendingByQueue[p.queue] ?? 0) + p.count;
    a.pendingByLane[p.lane] = (a.pendingByLane[p.lane] ?? 0) + p.count;
  }
  for (const f of s.finished) get(f.accountId).finished += f.count;
  const total = s.finished.reduce((n, f) => n + f.count, 0);
  for (const a of by.values()) a.share = total > 0 ? a.finished / total : 0;
  return [...by.values()].sort((x, y) => y.pending + y.finished - (x.pending + x.finished) || x.accountId.localeCompare(y.accountId));
}

function pairs(flat: string[]): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
}

function splitLaneAccount(f: string): { lane: string; accountId: string } {
  const i = f.indexOf('|');
  return i < 0 ? { lane: f, accountId: NO_ACCOUNT } : { lane: f.slice(0, i), accountId: f.slice(i + 1) };
}

function sumRows(hashes: Record<string, string>[]): ShareCount[] {
  const sums = new Map<string, number>();
  for (const h of hashes) for (const [f, n] of Object.entries(h ?? {})) sums.set(f, (sums.get(f) ?? 0) + Number(n));
  return [...sums.entries()].map(([f, count]) => {
    const i = f.indexOf('|');
    const queue = i < 0 ? f : f.slice(0, i);
    return { queue, ...splitLaneAccount(i < 0 ? '' : f.slice(i + 1)), count };
  });
}
