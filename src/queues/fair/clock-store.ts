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
 * A queue counts as idle (its busy period over, the clock restarted) only if nothing was tagged
 * for it this long: jobs are added just after their tags are stored, so an empty queue right after
 * a commit is one whose jobs are on their way, not a drained one. Default 10 s.
 */
export const DEFAULT_IDLE_GRACE_MS = 10_000;

/**
 * KEYS[1] clock hash, KEYS[2] the queue's pending counts (reset with the clock when a busy period
 * ends). ARGV: reset 0|1, ver read (checked on reset only), ttl ms, v, n checks, then n × (field,
 * value read, '' = absent), then field/value pairs to store. Only the fields a plan was computed
 * from are checked, so producers enqueueing for different flows never make each other retry; the
 * queue's virtual time only moves forward.
 */
const COMMIT_LUA = `
local i = 6
for _ = 1, tonumber(ARGV[5]) do
  if (redis.call('HGET', KEYS[1], ARGV[i]) or '') ~= ARGV[i + 1] then return 0 end
  i = i + 2
end
if ARGV[1] == '1' then
  if (redis.call('HGET', KEYS[1], 'ver') or '') ~= ARGV[2] then return 0 end
  redis.call('DEL', KEYS[1], KEYS[2])
end
local v = math.max(tonumber(redis.call('HGET', KEYS[1], 'v') or '0'), tonumber(ARGV[4]))
local t = redis.call('TIME')
redis.call('HINCRBY', KEYS[1], 'ver', 1)
redis.call('HSET', KEYS[1], 'v', v, 'at', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), unpack(ARGV, i))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;
const COMMIT_SHA = createHash('sha1').update(COMMIT_LUA).digest('hex');

export interface ClockRead {
  /** The hash's version: a reset commits only if nothing else was stored since. */
  version: string;
  /** The flow's and run's fields as read ('' = absent): a commit checks them unchanged. */
  flowRaw: string;
  runRaw: string;
  state: ClockState;
  view: QueueView;
}

export const flowField = (lane: string, accountId: string): string => `f:${lane}:${accountId}`;
export const runField = (runId: string): string => `r:${runId}`;

export class ClockStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleGraceMs = DEFAULT_IDLE_GRACE_MS,
  ) {}


  /** The stored state of one flow (and run) and the queue's frontier, in one round trip. */
  async read(queue: Queue, flow: string, run: string | undefined): Promise<ClockRead> {
    const k = queueStateKeys(queue);
    const res = await this.redis
      .multi()
      .time()
      .hmget(clockKey(this.prefix, queue.name), 'ver', 'v', 'at', flow, run ?? 'r:')
      .zrange(k.prioritized, 0, 0, 'WITHSCORES')
      .llen(k.wait)
      .zcard(k.prioritized)
      .zcard(k.delayed)
      .llen(k.active)
      .zcard(k.waitingChildren)
      .exec();
    if (!res) throw new Error('fair-share clock read was aborted');
    for (const [err] of res) if (err) throw err;
    const [seconds, micros] = res[0]![1] as [string, string];
    const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const [ver, v, at, f, r] = res[1]![1] as (string | null)[];
    const first = res[2]![1] as string[];
    const busy = res.slice(3).reduce((n, [, count]) => n + Number(count), 0);
    const recentlyTagged = at !== null && nowMs - Number(at) < this.idleGraceMs;
    const state: ClockState = { virtualTime: Number(v ?? 0) || 0 };
    if (f) state.flowFinish = Number(f);
    const runState = r && run ? parseRun(r) : undefined;
    if (runState) state.run = runState;
    // Score = priority · 2^32 + counter (BullMQ's getPriorityScore); exact in a double up to 2^53.
    const frontier = first.length === 2 ? Math.floor(Number(first[1]) / 2 ** 32) : null;
    return { version: ver ?? '', flowRaw: f ?? '', runRaw: (run && r) || '', state, view: { frontier, idle: busy === 0 && !recentlyTagged } };
  }

  /** Stores a plan unless its flow or run changed since `read` (or, for a reset, anything did); false: read again. */
  async commit(queueName: string, read: ClockRead, plan: TagPlan, flow: string, run: string | undefined): Promise<boolean> {
    const checks: string[] = [flow, read.flowRaw, ...(run ? [run, read.runRaw] : [])];
    const fields: (string | number)[] = [];
    if (plan.flowFinish !== undefined) fields.push(flow, plan.flowFinish);
    if (run && plan.run) fields.push(run, `${plan.run.base}:${plan.run.used}`);
    const args = [plan.reset ? 1 : 0, read.version, STATE_TTL_MS, plan.virtualTime, checks.length / 2, ...checks, ...fields];
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
