/**
 * The Redis side of fair-share priorities: one hash per queue (`<prefix>:fair:clock:<queue>`) holding the
 * queue's virtual time `v`, each flow's finish tag (`f:<lane>:<account>`), each run's head start
 * (`r:<runId>` = `base:used`) and a version `ver`. A read takes the fields it needs and a view of
 * the queue (frontier, idle) in one MULTI; the write is a compare-and-set on `ver`, so two
 * producers enqueueing into one queue at once never hand out the same tags twice: the loser
 * re-reads and recomputes. The computation itself is `planTags` (tags.ts), pure.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { clockKey, pendingKey, queueStateKeys } from './keys.ts';
import type { ClockState, QueueView, RunHeadStart, TagPlan } from './tags.ts';

/** The state of a queue that saw no enqueue for two days is forgotten (it drained long ago). */
const STATE_TTL_MS = 2 * 24 * 3600_000;

/**
 * KEYS[1] clock hash, KEYS[2] the queue's pending counts (reset with the clock when a busy period
 * ends). ARGV: expected ver ('' = none), reset 0|1, ttl ms, v, then field/value pairs.
 */
const COMMIT_LUA = `
local ver = redis.call('HGET', KEYS[1], 'ver') or ''
if ver ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
redis.call('HSET', KEYS[1], 'ver', (tonumber(ver) or 0) + 1, 'v', ARGV[4], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;
const COMMIT_SHA = createHash('sha1').update(COMMIT_LUA).digest('hex');

export interface ClockRead {
  version: string;
  state: ClockState;
  view: QueueView;
}

export const flowField = (lane: string, accountId: string): string => `f:${lane}:${accountId}`;
export const runField = (runId: string): string => `r:${runId}`;

export class ClockStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}


  /** The stored state of one flow (and run) and the queue's frontier, in one round trip. */
  async read(queue: Queue, flow: string, run: string | undefined): Promise<ClockRead> {
    const k = queueStateKeys(queue);
    const res = await this.redis
      .multi()
      .hmget(clockKey(this.prefix, queue.name), 'ver', 'v', flow, run ?? 'r:')
      .zrange(k.prioritized, 0, 0, 'WITHSCORES')
      .llen(k.wait)
      .zcard(k.prioritized)
      .zcard(k.delayed)
      .llen(k.active)
      .zcard(k.waitingChildren)
      .exec();
    if (!res) throw new Error('fair-share clock read was aborted');
    for (const [err] of res) if (err) throw err;
    const [ver, v, f, r] = res[0]![1] as (string | null)[];
    const first = res[1]![1] as string[];
    const busy = res.slice(2).reduce((n, [, count]) => n + Number(count), 0);
    const state: ClockState = { virtualTime: Number(v ?? 0) || 0 };
    if (f) state.flowFinish = Number(f);
    const runState = r && run ? parseRun(r) : undefined;
    if (runState) state.run = runState;
    // Score = priority · 2^32 + counter (BullMQ's getPriorityScore); exact in a double up to 2^53.
    const frontier = first.length === 2 ? Math.floor(Number(first[1]) / 2 ** 32) : null;
    return { version: ver ?? '', state, view: { frontier, idle: busy === 0 } };
  }

  /** Stores a plan if nobody else stored one since `read`; false means: read again. */
  async commit(queueName: string, version: string, plan: TagPlan, flow: string, run: string | undefined): Promise<boolean> {
    const fields: (string | number)[] = [];
    if (plan.flowFinish !== undefined) fields.push(flow, plan.flowFinish);
    if (run && plan.run) fields.push(run, `${plan.run.base}:${plan.run.used}`);
    const args = [version, plan.reset ? 1 : 0, STATE_TTL_MS, plan.virtualTime, ...fields];
    const keys = [clockKey(this.prefix, queueName), pendingKey(this.prefix, queueName)];
    let stored: unknown;
    try {
      stored = await this.redis.evalsha(COMMIT_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      stored = await this.redis.eval(COMMIT_LUA, keys.length, ...keys, ...args);
    }
    return stored === 1;
  }
}

function parseRun(value: string): RunHeadStart | undefined {
  const [base, used] = value.split(':').map(Number);
  return Number.isFinite(base) && Number.isFinite(used) ? { base: base!, used: used! } : undefined;
}
