/**
 * Transcripts fetched from Gong, stored once per (account, call) in Redis with a TTL, so no run
 * ever fetches a stored transcript again. Values are the Gong `callTranscripts[]` entry as JSON.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CallTranscript } from './render.ts';

export interface TranscriptStoreOptions {
  redis: Redis;
  /** Hash-tagged fleet prefix. */
  prefix: string;
  /** Time to live of a stored transcript, in seconds. */
  ttlSeconds: number;
}

export interface StoredTranscript {
  transcript: CallTranscript;
  /** sha256 of the stored JSON: part of the summary cache key, so a changed transcript re-summarizes. */
  hash: string;
}

export class TranscriptStore {
  constructor(private readonly opts: TranscriptStoreOptions) {}

  private key(accountId: string, callId: string): string {
    return `${this.opts.prefix}:tx:${accountId}:${callId}`;
  }

  async put(accountId: string, t: CallTranscript): Promise<string> {
    const json = JSON.stringify(t);
    await this.opts.redis.set(this.key(accountId, t.callId), json, 'EX', this.opts.ttlSeconds);
    return sha256(json);
  }

  async get(accountId: string, callId: string): Promise<StoredTranscript | undefined> {
    const json = await this.opts.redis.get(this.key(accountId, callId));
    if (json === null) return undefined;
    return { transcript: JSON.parse(json) as CallTranscript, hash: sha256(json) };
  }

  /**
   * Claims the right to fetch these calls' transcripts for `ttlMs` (one round trip); returns the
   * ids claimed. Another job (of this or an overlapping run) holding a claim fetches those itself,
   * so two runs over the same calls never ask Gong twice.
   */
  async claim(accountId: string, callIds: string[], ttlMs: number): Promise<string[]> {
    if (callIds.length === 0) return [];
    const pipeline = this.opts.redis.pipeline();
    for (const id of callIds) pipeline.set(`${this.key(accountId, id)}:fetching`, '1', 'PX', ttlMs, 'NX');
    const results = (await pipeline.exec()) ?? [];
    return callIds.filter((_, i) => results[i]?.[1] === 'OK');
  }

  async release(accountId: string, callIds: string[]): Promise<void> {
    if (callIds.length === 0) return;
    await this.opts.redis.del(...callIds.map((id) => `${this.key(accountId, id)}:fetching`));
  }

  /** Which of these calls already have a stored transcript (one round trip). */
  async stored(accountId: string, callIds: string[]): Promise<Set<string>> {
    if (callIds.length === 0) return new Set();
    const pipeline = this.opts.redis.pipeline();
    for (const id of callIds) pipeline.exists(this.key(accountId, id));
    const results = (await pipeline.exec()) ?? [];
    return new Set(callIds.filter((_, i) => results[i]?.[1] === 1));
  }
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
