/**
 * The fleet-wide rate governor: every worker process asks it before calling Truto or the LLM, so
 * the whole fleet behaves as one well-behaved client per account.
 *
 * Why our own Lua rather than a library: `bottleneck` (the usual Redis-backed limiter) has been
 * unmaintained since 2019 and has open bugs against Redis 7; `rate-limiter-flexible` answers
 * "may I go now?" but has no primitive to *reserve a future slot*, and cannot hold a
 * blocked-until learned from response headers. One atomic script (scripts.ts) does exactly that:
 * it combines every limit of a request (Gong per second, Truto per account and per token, Gong's
 * daily budget, learned blocks), hands concurrent callers distinct slots t, t+343, t+686 … so
 * there is no thundering herd, and uses Redis's clock, not the workers'.
 */
import type { Redis } from 'ioredis';
import type { ObservedResponse } from '../gate.ts';
import type { WaitReason } from '../errors.ts';
import { llmAnnouncedLimits, llmLesson, trutoLesson, type Lesson } from './headers.ts';
import {
  DEFAULT_LLM_LIMITS,
  DEFAULT_TRUTO_LIMITS,
  LLM_WINDOW_CELLS,
  accountBucket,
  dailyLimitForBucket,
  emissionMs,
  limitsForBucket,
  llmBucket,
  parseBucket,
  UNLIMITED,
  WINDOW_CELLS,
  tokenBucket,
  type LimitSpec,
  type LlmLimits,
  type Policy,
  type TrutoLimits,
} from './policy.ts';
import { observeScript, refundScript, reserveScript } from './scripts.ts';

export interface GovernorOptions {
  /** ioredis connection; the caller owns it (and closes it). */
  redis: Redis;
  /** Key prefix with a Redis Cluster hash tag, e.g. `{gong-fleet}:gov`, so all keys share one slot. */
  prefix: string;
  /** Fleet-wide Truto/Gong limits. Default {gongPerSecond: 3, gongPerDay: 10000, trutoPerAccountPer10s: 50, trutoPerTokenPer10s: 500}. */
  truto?: Partial<TrutoLimits>;
  /** Per integrated account overrides of `truto`, e.g. a company whose Gong limit was raised. Default {}. */
  overrides?: Record<string, Partial<TrutoLimits>>;
  /**
   * Caps on LLM use per model, below whatever the server announces. Default none
   * ({requestsPerMinute: null, tokensPerMinute: null}): only announced limits and 429s pace the LLM.
   */
  llm?: Partial<LlmLimits>;
  /** Fraction added to every gap between requests to absorb jitter; caps utilization at 1/(1+m). Default 0.03. */
  safetyMargin?: number;
  /** Longest wait for which `reserve` books a slot; beyond it nothing is reserved. Default 2000. */
  maxReserveAheadMs?: number;
  /** Longest a caller may be told to wait in total before it is a permanent failure. Default 6 h. */
  maxTotalWaitMs?: number;
  /** Wall clock in epoch ms, used only to read HTTP-date `retry-after` values. Default Date.now. */
  clock?: () => number;
  /** Sleeps for short waits in gates; injectable for tests. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** The answer to "when may this request go out?". */
export interface Reservation {
  /** The bucket that was asked about (the account's, for Truto). */
  bucket: string;
  /** True when a slot was booked: the caller must send after `waitMs`, or the slot is wasted. */
  reserved: boolean;
  /** Milliseconds from now until the slot (or, unreserved, until one could exist). */
  waitMs: number;
  /** What the wait is for; null when the request may go at once. */
  reason: WaitReason | null;
  /**
   * Unreserved: when to ask again, i.e. when the slot enters the reservation horizon. Waiting the
   * full `waitMs` instead would starve deferred callers: by then, callers that never left have
   * booked the horizon again. Equals `waitMs` when reserved.
   */
  retryInMs: number;
  /** The slot in Redis server time (epoch ms), for logs and tests. */
  slotAtMs: number;
}

export interface LimitState {
  name: string;
  limit: number;
  windowMs: number;
  /** Units that could go out right now without queueing behind reserved slots. */
  availableNow: number;
}

export interface BucketState {
  bucket: string;
  limits: LimitState[];
  /** Epoch ms (Redis time) until which the bucket is blocked, or null. */
  blockedUntilMs: number | null;
  callsToday: number;
  dailyLimit: number | null;
  dailyBudgetLeft: number | null;
  rateLimited429s: number;
  totalCalls: number;
  totalWaitMs: number;
}

export interface ReserveOptions {
  /** Overrides the governor's `maxReserveAheadMs` for this call (gates pass their inline wait). */
  maxAheadMs?: number;
}

/** Bucket hashes outlive their last use by two days so today's counters survive idle hours. */
const STATE_TTL_MS = 2 * 24 * 3600 * 1000;

/**
 * How long a process trusts its copy of the LLM limits other processes adopted. A server
 * announces its limits on every answer, so a second of lag costs nothing.
 */
const LEARNED_LIMITS_TTL_MS = 1_000;
const LEARNED_FIELDS = { requestsPerMinute: 'learned:llm-rpm', tokensPerMinute: 'learned:llm-tpm' } as const;

export class RateGovernor {
  readonly maxReserveAheadMs: number;
  readonly maxTotalWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly policy: Policy;
  private readonly safetyMargin: number;
  private readonly clock: () => number;
  /** This process's copy of the limits LLM servers announced, per bucket (see LEARNED_LIMITS_TTL_MS). */
  private readonly learnedLlm = new Map<string, { limits: Partial<LlmLimits>; readAtMs: number }>();

  constructor(opts: GovernorOptions) {
    if (!/\{[^}]+\}/.test(opts.prefix)) {
      throw new Error(`governor prefix must contain a Redis Cluster hash tag like {gong-fleet}; got ${opts.prefix}`);
    }
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.policy = {
      truto: { ...DEFAULT_TRUTO_LIMITS, ...(opts.truto ?? {}) },
      overrides: opts.overrides ?? {},
      llm: {
        requestsPerMinute: opts.llm?.requestsPerMinute ?? DEFAULT_LLM_LIMITS.requestsPerMinute,
        tokensPerMinute: opts.llm?.tokensPerMinute ?? DEFAULT_LLM_LIMITS.tokensPerMinute,
      },
    };
    this.safetyMargin = opts.safetyMargin ?? 0.03;
    this.maxReserveAheadMs = opts.maxReserveAheadMs ?? 2000;
    this.maxTotalWaitMs = opts.maxTotalWaitMs ?? 6 * 3600 * 1000;
    this.clock = opts.clock ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One Truto call for an integrated account: Gong's and Truto's account limits plus the token's. */
  reserveTruto(accountId: string, tokenHash: string, opts: ReserveOptions = {}): Promise<Reservation> {
    const account = accountBucket(accountId);
    return this.reserveAcross([account, tokenBucket(tokenHash)], 1, opts);
  }

  /**
   * One LLM call for a model, costing one request and `estimatedTokens` tokens, under the stricter
   * of the configured caps and the limits the server announced (none: only blocks apply).
   */
  async reserveLlm(model: string, estimatedTokens: number, opts: ReserveOptions = {}): Promise<Reservation> {
    const bucket = llmBucket(model);
    const learned = await this.learnedLlmLimits(bucket);
    return this.reserveAcross([bucket], Math.max(0, Math.ceil(estimatedTokens)), opts, learned);
  }

  /** Reserves against one bucket's own limits (`cost` = tokens for an LLM bucket, else ignored). */
  reserve(bucket: string, cost = 1, opts: ReserveOptions = {}): Promise<Reservation> {
    return this.reserveAcross([bucket], cost, opts);
  }

  /** Learns from a Truto response for an account: blocks on `remaining: 0` and on 429s. */
  async observeTruto(accountId: string, r: ObservedResponse): Promise<void> {
    const bucket = accountBucket(accountId);
    const lesson = trutoLesson(r, {
      nowMs: this.clock(),
      alreadyEnforced: (limit, windowMs) => this.enforces(bucket, limit, windowMs),
    });
    await this.learn(bucket, lesson);
  }

  /**
   * Learns from an LLM response: adopts the limits the server announces (`x-ratelimit-limit-*`,
   * or a 429's "Limit N") fleet-wide, gives back the part of the token estimate the call did not
   * use (the ticket says which minute-window cell counted it), and blocks on an exhausted
   * `x-ratelimit-remaining-*` or a 429 (`retry-after-ms`, `retry-after`, resets).
   */
  async observeLlm(model: string, r: ObservedResponse): Promise<void> {
    const bucket = llmBucket(model);
    await this.adoptLlmLimits(bucket, llmAnnouncedLimits(r));
    if (r.ticket && r.actualCost !== undefined && r.ticket.cost > r.actualCost) {
      const cellMs = 60_000 / LLM_WINDOW_CELLS;
      const field = `llm-tpm:${Math.floor(r.ticket.slotAtMs / cellMs)}`;
      await refundScript.run(this.redis, [this.windowKey(bucket)], [field, Math.floor(r.ticket.cost - r.actualCost)]);
    }
    await this.learn(bucket, llmLesson(r, this.clock()));
  }

  /** The limits LLM servers announced for `bucket` (fleet-wide; this process's copy is at most a second old). */
  async learnedLlmLimits(bucket: string): Promise<Partial<LlmLimits>> {
    const cached = this.learnedLlm.get(bucket);
    const nowMs = Date.now();
    if (cached && nowMs - cached.readAtMs < LEARNED_LIMITS_TTL_MS) return cached.limits;
    const [rpm, tpm] = await this.redis.hmget(this.bucketKey(bucket), LEARNED_FIELDS.requestsPerMinute, LEARNED_FIELDS.tokensPerMinute);
    const limits = learnedOf(rpm, tpm);
    this.learnedLlm.set(bucket, { limits, readAtMs: nowMs });
    return limits;
  }

  private async adoptLlmLimits(bucket: string, announced: Partial<LlmLimits>): Promise<void> {
    const current = await this.learnedLlmLimits(bucket);
    const changed = (Object.keys(LEARNED_FIELDS) as (keyof LlmLimits)[]).filter(
      (k) => announced[k] != null && announced[k] !== current[k],
    );
    if (changed.length === 0) return;
    // The latest announcement wins (a provider that raises a tier is believed at once).
    const fields = changed.flatMap((k) => [LEARNED_FIELDS[k], String(announced[k])]);
    await this.redis.multi().hset(this.bucketKey(bucket), ...fields).pexpire(this.bucketKey(bucket), STATE_TTL_MS).exec();
    this.learnedLlm.set(bucket, { limits: { ...current, ...announced }, readAtMs: Date.now() });
  }

  /** Blocks a bucket for `blockMs` from now (never shortening an existing block). */
  async block(bucket: string, blockMs: number): Promise<number> {
    return this.learn(bucket, { blockMs, is429: false });
  }

  /** Numbers for the CLI, dashboard and metrics. */
  async state(bucket: string): Promise<BucketState> {
    const { kind, id } = parseBucket(bucket);
    const canonical = `${kind}:${id}`;
    const res = await this.redis
      .multi()
      .time()
      .hgetall(this.bucketKey(canonical))
      .hgetall(this.windowKey(canonical))
      .exec();
    const time = res?.[0]?.[1] as [string, string] | undefined;
    const h = (res?.[1]?.[1] ?? {}) as Record<string, string>;
    const cells = (res?.[2]?.[1] ?? {}) as Record<string, string>;
    const nowMs = time ? Number(time[0]) * 1000 + Number(time[1]) / 1000 : this.clock();
    const num = (field: string): number => Number(h[field] ?? 0) || 0;
    const learned = kind === 'llm' ? learnedOf(h[LEARNED_FIELDS.requestsPerMinute], h[LEARNED_FIELDS.tokensPerMinute]) : {};
    // An LLM limit nobody set or announced is counted but not shown: there is nothing to run out of.
    const known = limitsForBucket(this.policy, canonical, 1, learned).filter((l) => l.limit < UNLIMITED);
    const limits = known.map((l) => {
      if (l.mode === 'window') {
        // Slots booked in the window that ends now.
        const n = l.cells ?? WINDOW_CELLS;
        const cellMs = l.windowMs / n;
        const cNow = Math.floor(nowMs / cellMs);
        let used = 0;
        for (let c = cNow - n; c <= cNow; c++) used += Number(cells[`${l.name}:${c}`] ?? 0) || 0;
        return { name: l.name, limit: l.limit, windowMs: l.windowMs, availableNow: Math.max(0, l.limit - used) };
      }
      const gapMs = emissionMs(l.limit, l.windowMs, this.safetyMargin);
      const committed = Math.max(0, num(`tat:${l.name}`) - nowMs) / gapMs;
      const availableNow = Math.min(l.limit, Math.max(0, Math.floor(l.limit - committed + 1e-9)));
      return { name: l.name, limit: l.limit, windowMs: l.windowMs, availableNow };
    });
    const blockedUntil = num('blockedUntil');
    const today = Math.floor(nowMs / 86_400_000);
    const callsToday = num('day') === today && h['day'] !== undefined ? num('dayCalls') : 0;
    const dailyLimit = dailyLimitForBucket(this.policy, canonical);
    return {
      bucket: canonical,
      limits,
      blockedUntilMs: blockedUntil > nowMs ? Math.ceil(blockedUntil) : null,
      callsToday,
      dailyLimit,
      dailyBudgetLeft: dailyLimit === null ? null : Math.max(0, dailyLimit - callsToday),
      rateLimited429s: num('r429'),
      totalCalls: num('calls'),
      totalWaitMs: Math.round(num('waitMs')),
    };
  }

  /** Buckets used in the last two days, most recently used first. */
  async listBuckets(): Promise<string[]> {
    const [seconds] = await this.redis.time();
    const cutoffMs = Number(seconds) * 1000 - STATE_TTL_MS;
    await this.redis.zremrangebyscore(this.indexKey(), '-inf', cutoffMs);
    return this.redis.zrevrange(this.indexKey(), 0, -1);
  }

  private async reserveAcross(
    buckets: string[],
    cost: number,
    opts: ReserveOptions,
    learned: Partial<LlmLimits> = {},
  ): Promise<Reservation> {
    const limits: LimitSpec[] = buckets.flatMap((b, i) =>
      limitsForBucket(this.policy, b, cost, learned).map((l) => ({ ...l, bucketIndex: i + 1 })),
    );
    const primary = buckets[0] as string;
    const dailyLimit = dailyLimitForBucket(this.policy, primary) ?? 0;
    const keys = [...buckets.map((b) => this.bucketKey(b)), this.indexKey()];
    const args: (string | number)[] = [
      opts.maxAheadMs ?? this.maxReserveAheadMs,
      STATE_TTL_MS,
      buckets.length,
      limits.length,
      dailyLimit,
      ...buckets,
    ];
    for (const l of limits) {
      if (l.mode === 'spacing') {
        const gapMs = emissionMs(l.limit, l.windowMs, this.safetyMargin);
        args.push('s', l.bucketIndex, `tat:${l.name}`, gapMs, 0, l.cost, l.limit);
      } else {
        keys.push(this.windowKey(buckets[l.bucketIndex - 1] as string));
        const n = l.cells ?? WINDOW_CELLS;
        args.push('w', keys.length, l.name, l.windowMs / n, n, l.cost, l.limit);
      }
    }
    const [reserved, waitMs, reason, slotAt] = (await reserveScript.run(this.redis, keys, args)) as [
      number,
      number,
      string,
      string,
    ];
    const maxAheadMs = args[0] as number;
    return {
      bucket: primary,
      reserved: reserved === 1,
      waitMs,
      reason: reason === '' ? null : (reason as WaitReason),
      retryInMs: reserved === 1 ? waitMs : Math.max(1, waitMs - maxAheadMs),
      slotAtMs: Number(slotAt),
    };
  }

  private async learn(bucket: string, lesson: Lesson, adjust?: { field: string; ms: number }): Promise<number> {
    if (lesson.blockMs <= 0 && !lesson.is429 && adjust === undefined) return 0;
    const res = (await observeScript.run(
      this.redis,
      [this.bucketKey(bucket), this.indexKey()],
      [bucket, Math.ceil(lesson.blockMs), lesson.is429 ? 1 : 0, STATE_TTL_MS, adjust?.field ?? '', adjust?.ms ?? 0],
    )) as [string, number];
    return Number(res[0]);
  }

  /** Whether our spacing alone keeps `bucket` within `limit` per `windowMs` (any window). */
  private enforces(bucket: string, limit: number, windowMs: number): boolean {
    return limitsForBucket(this.policy, bucket).some((l) => {
      if (l.mode !== 'spacing') return false;
      const gapMs = emissionMs(l.limit, l.windowMs, this.safetyMargin);
      return Math.floor(windowMs / gapMs) + 1 <= limit;
    });
  }

  private bucketKey(bucket: string): string {
    return `${this.prefix}:b:${bucket}`;
  }

  private windowKey(bucket: string): string {
    return `${this.prefix}:b:${bucket}:win`;
  }

  private indexKey(): string {
    return `${this.prefix}:buckets`;
  }
}

function learnedOf(rpm: string | null | undefined, tpm: string | null | undefined): Partial<LlmLimits> {
  const n = (v: string | null | undefined) => (v == null ? undefined : Number(v) > 0 ? Number(v) : undefined);
  const out: Partial<LlmLimits> = {};
  const r = n(rpm);
  const t = n(tpm);
  if (r !== undefined) out.requestsPerMinute = r;
  if (t !== undefined) out.tokensPerMinute = t;
  return out;
}
