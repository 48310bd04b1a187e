/**
 * The persisted state of one CRM sync, keyed by its clientRequestId under the fleet prefix, so that
 * `crm-sync status <id>` can answer from any machine, a restarted worker resumes where the last one
 * stopped, and the upload job can tell "already uploaded" without asking Gong. The file itself
 * waits in Redis (not in job data) until Gong has acknowledged it.
 */
import type { Redis } from 'ioredis';
import type { Degradation } from '../runs/degradations.ts';

/**
 * queued → uploading → polling → DONE | FAILED, or TIMED_OUT (Gong still busy after the bounded
 * wait; `status` checks again) or ERROR (the fleet could not finish, e.g. a missing scope).
 */
export type SyncPhase = 'queued' | 'uploading' | 'polling' | 'DONE' | 'FAILED' | 'TIMED_OUT' | 'ERROR';
export const FINAL_PHASES: ReadonlySet<SyncPhase> = new Set(['DONE', 'FAILED', 'TIMED_OUT', 'ERROR']);

export interface GongLineError {
  line: number;
  description: string;
}

export interface CrmSyncState {
  clientRequestId: string;
  accountId: string;
  integrationId: string;
  objectType: string;
  /** File name as given (no path), for messages. */
  fileName: string;
  entities: number;
  bytes: number;
  /** Who asked (user@host), for the write audit. */
  requestedBy: string;
  phase: SyncPhase;
  /** Gong's last status: PENDING, IN_PROGRESS, DONE, FAILED. */
  gongStatus?: string;
  /** `created` (201) or `already-used` (409: an earlier attempt uploaded it). */
  uploadOutcome?: 'created' | 'already-used';
  /** Sequence number of the poll job expected next; older poll jobs are stale and stop. */
  pollSeq: number;
  polls: number;
  createdAtMs: number;
  uploadedAtMs?: number;
  lastPolledAtMs?: number;
  finishedAtMs?: number;
  totalSuccessCount?: number;
  totalErrorCount?: number;
  errors?: GongLineError[];
  message?: string;
  /** What the account's tools could not give the sync (e.g. an integration id taken unchecked). */
  degradations?: Degradation[];
}

export interface CrmSyncStoreOptions {
  redis: Redis;
  /** The fleet's hash-tagged prefix. */
  prefix: string;
  /** How long a sync's state is kept, in seconds. Default 30 days. */
  ttlSeconds?: number;
}

export class CrmSyncStore {
  private readonly ttlSeconds: number;
  constructor(private readonly opts: CrmSyncStoreOptions) {
    this.ttlSeconds = opts.ttlSeconds ?? 30 * 24 * 3600;
  }

  private stateKey(id: string): string {
    return `${this.opts.prefix}:crm:sync:${id}`;
  }

  private fileKey(id: string): string {
    return `${this.opts.prefix}:crm:file:${id}`;
  }

  async get(id: string): Promise<CrmSyncState | undefined> {
    const json = await this.opts.redis.get(this.stateKey(id));
    return json ? (JSON.parse(json) as CrmSyncState) : undefined;
  }

  /** Creates the state and stores the file, unless a sync with this id exists (returns it then). */
  async create(state: CrmSyncState, content: Buffer): Promise<{ created: boolean; state: CrmSyncState }> {
    const created = await this.opts.redis.set(this.stateKey(state.clientRequestId), JSON.stringify(state), 'EX', this.ttlSeconds, 'NX');
    if (created !== 'OK') {
      const existing = await this.get(state.clientRequestId);
      if (existing) return { created: false, state: existing };
    }
    await this.opts.redis.set(this.fileKey(state.clientRequestId), content, 'EX', this.ttlSeconds);
    return { created: true, state };
  }

  /** Merges `patch` into the state (read-modify-write: only one job of a sync runs at a time). */
  async update(id: string, patch: Partial<CrmSyncState>): Promise<CrmSyncState> {
    const current = await this.get(id);
    if (!current) throw new Error(`no CRM sync ${id}`);
    const next = { ...current, ...patch };
    await this.opts.redis.set(this.stateKey(id), JSON.stringify(next), 'EX', this.ttlSeconds);
    return next;
  }

  async file(id: string): Promise<Buffer | undefined> {
    return (await this.opts.redis.getBuffer(this.fileKey(id))) ?? undefined;
  }

  async dropFile(id: string): Promise<void> {
    await this.opts.redis.del(this.fileKey(id));
  }
}
