/**
 * LLM result caches in Redis. A call's summary is keyed by (account, call, transcript hash,
 * prompt version, model): a re-run only summarizes new or changed calls. Reduce groups are keyed by
 * the hash of their input, so a re-run re-reduces only the groups that gained a call.
 */
import type { Redis } from 'ioredis';
import { PROMPT_VERSION } from './schemas.ts';
import { sha256 } from '../transcripts/store.ts';

export interface LlmCacheOptions {
  redis: Redis;
  prefix: string;
  ttlSeconds: number;
  model: string;
}

export class LlmCache {
  constructor(private readonly opts: LlmCacheOptions) {}

  /**
   * `speakers` (who each transcript speaker is) is part of the prompt, so part of the key: a call
   * summarized with unnamed speakers (no call-details tool) is summarized again once names exist.
   */
  summaryKey(accountId: string, callId: string, transcriptHash: string, speakers: Readonly<Record<string, unknown>> = {}): string {
    const names = Object.keys(speakers).length ? `:${sha256(JSON.stringify(Object.entries(speakers).sort(([a], [b]) => a.localeCompare(b)))).slice(0, 8)}` : '';
    return `${this.opts.prefix}:sum:${accountId}:${callId}:${transcriptHash.slice(0, 16)}${names}:${PROMPT_VERSION}:${this.opts.model}`;
  }

  reduceKey(input: unknown): string {
    return `${this.opts.prefix}:reduce:${sha256(JSON.stringify(input)).slice(0, 24)}:${PROMPT_VERSION}:${this.opts.model}`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.opts.redis.get(key);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.opts.redis.set(key, JSON.stringify(value), 'EX', this.opts.ttlSeconds);
  }

  /**
   * Takes a short lock so two jobs never summarize the same call at once (a repeated or
   * overlapping request); the loser waits for the winner's cached result instead.
   */
  async lock(key: string, ttlMs: number): Promise<boolean> {
    return (await this.opts.redis.set(`${key}:lock`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(key: string): Promise<void> {
    await this.opts.redis.del(`${key}:lock`);
  }
}
