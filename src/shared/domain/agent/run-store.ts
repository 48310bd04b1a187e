/**
 * Where agent runs live: Redis under the fleet prefix. The run record is saved with a version
 * check (a step that lost its lock to another worker cannot overwrite newer state); each tool
 * call's result is stored once under its own key (first writer wins), so a retried job reuses it
 * instead of calling the tool again; approvals are records only `gong-fleet approve` writes.
 */
import type { Redis } from 'ioredis';
import { FleetError } from '../../platform/index.ts';
import type { AskRun, ResultStatus } from './run-model.ts';

/** How long runs, their results and approvals stay in Redis (a run may wait days for approval). */
export const ASK_TTL_SECONDS = 14 * 24 * 3600;

/** A tool call's outcome as its job stored it; the envelope the model sees is made from it. */
export interface StoredResult {
  status: ResultStatus;
  /** The result as compact JSON text (view.ts); absent when there is none. */
  text?: string;
  /** Why it failed or was denied. */
  error?: string;
  requests: number;
  governorWaitMs: number;
  durationMs: number;
  promptTokens?: number;
  completionTokens?: number;
  storedAtMs: number;
}

/** What `gong-fleet approve` records; the write job re-checks it before writing. */
export interface ApprovalRecord {
  runId: string;
  callKey: string;
  tool: string;
  hash: string;
  decision: 'approved' | 'denied';
  reason?: string;
  by: string;
  atMs: number;
}

/** Thrown when a save finds a newer version: the caller reloads and carries on from there. */
export class StaleRunError extends FleetError {
  constructor(runId: string) {
    super(`agent run ${runId} was saved by another step meanwhile`, true);
    this.name = 'StaleRunError';
  }
}

// KEYS[1] run, KEYS[2] version; ARGV[1] expected version, ARGV[2] run JSON, ARGV[3] ttl.
const SAVE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('SET', KEYS[2], tonumber(ARGV[1]) + 1, 'EX', ARGV[3])
return 1
`;

export class AskStore {
  constructor(private readonly opts: { redis: Redis; prefix: string }) {}

  runKey(runId: string): string {
    return `${this.opts.prefix}:ask:${runId}`;
  }

  private key(runId: string, part: string): string {
    return `${this.runKey(runId)}:${part}`;
  }

  /** Stores a new run (version 0); false if the id exists. */
  async create(run: AskRun): Promise<boolean> {
    const r = this.opts.redis;
    const ok = await r.set(this.runKey(run.runId), JSON.stringify({ ...run, version: 0 }), 'EX', ASK_TTL_SECONDS, 'NX');
    if (ok !== 'OK') return false;
    await r.set(this.key(run.runId, 'v'), 0, 'EX', ASK_TTL_SECONDS);
    return true;
  }

  async get(runId: string): Promise<AskRun | undefined> {
    const raw = await this.opts.redis.get(this.runKey(runId));
    return raw ? (JSON.parse(raw) as AskRun) : undefined;
  }

  /** Saves `run` if nobody saved since it was read; returns the saved copy (version bumped). */
  async save(run: AskRun): Promise<AskRun> {
    const next = { ...run, version: run.version + 1 };
    const ok = await this.opts.redis.eval(SAVE_SCRIPT, 2, this.runKey(run.runId), this.key(run.runId, 'v'), run.version, JSON.stringify(next), ASK_TTL_SECONDS);
    if (ok !== 1) throw new StaleRunError(run.runId);
    return next;
  }

  /** Stores a call's result unless one is there already; returns the one that is stored. */
  async putResult(runId: string, callKey: string, result: StoredResult): Promise<StoredResult> {
    const key = this.key(runId, `res:${callKey}`);
    const ok = await this.opts.redis.set(key, JSON.stringify(result), 'EX', ASK_TTL_SECONDS, 'NX');
    if (ok === 'OK') return result;
    return (await this.getResult(runId, callKey)) ?? result;
  }

  async getResult(runId: string, callKey: string): Promise<StoredResult | undefined> {
    const raw = await this.opts.redis.get(this.key(runId, `res:${callKey}`));
    return raw ? (JSON.parse(raw) as StoredResult) : undefined;
  }

  /** Marks a write as sent (at most once): false when an earlier attempt marked it already. */
  async claimWrite(runId: string, callKey: string): Promise<boolean> {
    return (await this.opts.redis.set(this.key(runId, `claim:${callKey}`), Date.now(), 'EX', ASK_TTL_SECONDS, 'NX')) === 'OK';
  }

  /** Undoes a claim when the write provably never left (a governor wait, a 429). */
  async releaseWrite(runId: string, callKey: string): Promise<void> {
    await this.opts.redis.del(this.key(runId, `claim:${callKey}`));
  }

  /** A built-in's plan, stored once so a retried step launches the same pipeline run. */
  async putPlan<T>(runId: string, callKey: string, plan: T): Promise<T> {
    const key = this.key(runId, `plan:${callKey}`);
    const ok = await this.opts.redis.set(key, JSON.stringify(plan), 'EX', ASK_TTL_SECONDS, 'NX');
    if (ok === 'OK') return plan;
    return ((await this.getPlan<T>(runId, callKey)) ?? plan);
  }

  async getPlan<T>(runId: string, callKey: string): Promise<T | undefined> {
    const raw = await this.opts.redis.get(this.key(runId, `plan:${callKey}`));
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  /** One key per (request hash, call): the same write asked again later needs its own approval. */
  approvalKey(hash: string, callKey: string): string {
    return `${this.opts.prefix}:ask:approval:${hash}:${callKey}`;
  }

  /** Records a person's decision once; a second decision on the same request keeps the first. */
  async putApproval(rec: ApprovalRecord): Promise<ApprovalRecord> {
    const ok = await this.opts.redis.set(this.approvalKey(rec.hash, rec.callKey), JSON.stringify(rec), 'EX', ASK_TTL_SECONDS, 'NX');
    if (ok === 'OK') return rec;
    return (await this.getApproval(rec.hash, rec.callKey)) ?? rec;
  }

  async getApproval(hash: string, callKey: string): Promise<ApprovalRecord | undefined> {
    const raw = await this.opts.redis.get(this.approvalKey(hash, callKey));
    return raw ? (JSON.parse(raw) as ApprovalRecord) : undefined;
  }
}
