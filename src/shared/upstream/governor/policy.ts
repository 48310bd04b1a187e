/**
 * Which limits apply to which bucket. A bucket is one thing upstream counts against: an
 * integrated account (`account:<id>`), a Truto API token (`token:<sha256 prefix>`) or an LLM model
 * (`llm:<model>`). Limits are turned into GCRA emission intervals here; the Lua script knows
 * nothing about Gong or OpenAI.
 */
import { createHash } from 'node:crypto';

export interface TrutoLimits {
  /** Gong's default company limit: 3 requests per second. */
  gongPerSecond: number;
  /** Gong's default company limit: 10,000 requests per (UTC) day. */
  gongPerDay: number;
  /** Truto's limit per integrated account: 50 requests per 10 s. */
  trutoPerAccountPer10s: number;
  /** Truto's limit per API token: 500 requests per 10 s (fleet-wide, not per account). */
  trutoPerTokenPer10s: number;
}

export const DEFAULT_TRUTO_LIMITS: TrutoLimits = {
  gongPerSecond: 3,
  gongPerDay: 10_000,
  trutoPerAccountPer10s: 50,
  trutoPerTokenPer10s: 500,
};

export interface LlmLimits {
  /**
   * Requests per minute for one model, or null for none. Default null: an explicit cap
   * (LLM_REQUESTS_PER_MINUTE) for providers that only answer 429; the limit a server announces in
   * `x-ratelimit-limit-requests` applies on top of it, fleet-wide.
   */
  requestsPerMinute: number | null;
  /** Tokens per minute for one model (cost = estimated tokens), or null for none. Default null; see requestsPerMinute. */
  tokensPerMinute: number | null;
}

/** No ceiling until the server announces one (or the user sets a cap): a self-hosted model is never throttled. */
export const DEFAULT_LLM_LIMITS: LlmLimits = { requestsPerMinute: null, tokensPerMinute: null };

/**
 * An LLM limit nobody announced is still counted, so that when a server's limit is adopted
 * mid-run the last minute's usage is already on the books; it just never fills.
 */
export const UNLIMITED = 1e15;

/**
 * Cells per minute of the LLM windows: 1 s cells. A strict window check costs one cell of the
 * limit (WINDOW_CELLS below), so 60 cells keep 60/61 = 98 % of a provider's per-minute budget
 * usable where 10 would keep 91 %.
 */
export const LLM_WINDOW_CELLS = 60;

/**
 * How a limit is enforced. `spacing`: GCRA with zero tolerance, i.e. even gaps; exact, but only
 * for a bucket whose slots are booked in time order. `window`: counts per cell of a sliding
 * window; for limits shared by several buckets (the Truto token), whose slots interleave.
 */
export type LimitMode = 'spacing' | 'window';

/** One rate limit: at most `limit` units per `windowMs`. */
export interface LimitSpec {
  name: string;
  limit: number;
  windowMs: number;
  mode: LimitMode;
  /** Index of the bucket (in the reservation's bucket list) whose hash holds this limit's state. */
  bucketIndex: number;
  /** How many units this request costs against the limit. */
  cost: number;
  /** `window` mode: cells per window. Default WINDOW_CELLS. */
  cells?: number;
}

export type BucketKind = 'account' | 'token' | 'llm';

export const accountBucket = (accountId: string): string => `account:${accountId}`;
export const tokenBucket = (tokenHash: string): string => `token:${tokenHash}`;
export const llmBucket = (model: string): string => `llm:${model.replace(/^llm:/, '')}`;

/** Identifies an API token without storing it: sha256(apiKey), first 16 hex chars. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
}

/** Splits a bucket name; a bare name without a known kind is taken as an account id. */
export function parseBucket(bucket: string): { kind: BucketKind; id: string } {
  const m = /^(account|token|llm):(.*)$/s.exec(bucket);
  if (m?.[1] !== undefined && m[2] !== undefined) return { kind: m[1] as BucketKind, id: m[2] };
  return { kind: 'account', id: bucket };
}

export interface Policy {
  truto: TrutoLimits;
  overrides: Record<string, Partial<TrutoLimits>>;
  llm: LlmLimits;
}

export function limitsForAccount(policy: Policy, accountId: string): TrutoLimits {
  return { ...policy.truto, ...(policy.overrides[accountId] ?? {}) };
}

/**
 * Limits that live in one bucket, with cost 1 (per-request) or `tokens`. `bucketIndex` is
 * filled in by the caller that combines buckets into one reservation. `learned` are the limits
 * an LLM server announced (the stricter of them and the policy's caps applies).
 */
export function limitsForBucket(
  policy: Policy,
  bucket: string,
  tokens = 1,
  learned: Partial<LlmLimits> = {},
): Omit<LimitSpec, 'bucketIndex'>[] {
  const { kind, id } = parseBucket(bucket);
  if (kind === 'account') {
    const l = limitsForAccount(policy, id);
    return [
      { name: 'gong-1s', limit: l.gongPerSecond, windowMs: 1000, mode: 'spacing', cost: 1 },
      { name: 'truto-10s', limit: l.trutoPerAccountPer10s, windowMs: 10_000, mode: 'spacing', cost: 1 },
    ];
  }
  if (kind === 'token') {
    return [{ name: 'token-10s', limit: policy.truto.trutoPerTokenPer10s, windowMs: 10_000, mode: 'window', cost: 1 }];
  }
  const rpm = stricter(policy.llm.requestsPerMinute, learned.requestsPerMinute);
  const tpm = stricter(policy.llm.tokensPerMinute, learned.tokensPerMinute);
  return [
    // Per-minute provider limits may burst within the minute, as providers allow (OpenAI's budgets
    // refill continuously; the sandbox counts a sliding minute): spacing them evenly made a 60-call
    // run slower than a naive sequential loop. A sliding-window count is strict all the same.
    { name: 'llm-rpm', limit: rpm ?? UNLIMITED, windowMs: 60_000, mode: 'window', cost: 1, cells: LLM_WINDOW_CELLS },
    { name: 'llm-tpm', limit: tpm ?? UNLIMITED, windowMs: 60_000, mode: 'window', cost: tokens, cells: LLM_WINDOW_CELLS },
  ];
}

/** The smaller of two optional limits; null when neither exists. */
export function stricter(a: number | null | undefined, b: number | null | undefined): number | null {
  const known = [a, b].filter((x): x is number => typeof x === 'number' && x > 0);
  return known.length > 0 ? Math.min(...known) : null;
}

/** The daily request budget of a bucket, or null when it has none (only Gong's is daily). */
export function dailyLimitForBucket(policy: Policy, bucket: string): number | null {
  const { kind, id } = parseBucket(bucket);
  return kind === 'account' ? limitsForAccount(policy, id).gongPerDay : null;
}

/**
 * Milliseconds between units under a limit. The safety margin widens every gap so that a few ms
 * of network and event-loop jitter cannot squeeze `limit + 1` arrivals into one strict sliding
 * window upstream; it caps utilization at 1 / (1 + margin), 97 % for the default 0.03.
 */
export function emissionMs(limit: number, windowMs: number, safetyMargin: number): number {
  return (windowMs / limit) * (1 + safetyMargin);
}

/**
 * A `window` limit counts slots in cells of windowMs / WINDOW_CELLS. Any window of windowMs
 * overlaps at most WINDOW_CELLS + 1 cells, so capping every run of that many cells at `limit` is
 * strict whatever the arrival jitter, at the price of ~1/(WINDOW_CELLS+1) of the limit.
 */
export const WINDOW_CELLS = 10;
