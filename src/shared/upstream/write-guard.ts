/**
 * Write safety, enforced where jobs get their services rather than promised by each job:
 * - `readOnlyServices` gives every job whose definition lacks `writes: true` a Truto client that
 *   refuses write tools (tool-access.ts) before any request is made, so no text a job reads (a
 *   transcript, a model's answer) can ever become a write, whatever the job's code does;
 * - `recordWrite` logs every write that does happen with who/what/when (never secrets or file
 *   contents) and keeps the last 10,000 in Redis for `crm-sync status` and audits.
 */
import type { Redis } from 'ioredis';
import { NonRetryableError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { FleetServices } from '../../app/services.ts';
import { toolAccess } from './tool-access.ts';
import type { TrutoClient, TrutoTool } from './index.ts';

/** A job without `writes: true` tried to use a write tool. Never retried. */
export class WriteRefusedError extends NonRetryableError {
  constructor(tool: string) {
    super(`write tool ${tool} refused: this job is read-only (only jobs defined with writes: true may write to Gong)`);
    this.name = 'WriteRefusedError';
  }
}

function assertRead(tool: string | TrutoTool): void {
  const name = typeof tool === 'string' ? tool : tool.name;
  if (toolAccess(name) !== 'read') throw new WriteRefusedError(name);
}

/** The same client, with every tool-calling method refusing write (and unknown) tools. */
export function readOnlyTruto(client: TrutoClient): TrutoClient {
  const view = Object.create(client) as TrutoClient;
  view.callTool = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.callTool(accountId, tool, args, opts);
  };
  view.iterateTool = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.iterateTool(accountId, tool, args, opts);
  };
  view.collectAll = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.collectAll(accountId, tool, args, opts);
  };
  return view;
}

const views = new WeakMap<FleetServices, FleetServices>();

/** The services a read-only job sees: identical except for a read-only Truto client. Cached. */
export function readOnlyServices(services: FleetServices): FleetServices {
  // Partial services (runtime tests) without a Truto client have nothing to guard.
  if (!services.truto) return services;
  let view = views.get(services);
  if (!view) {
    view = { ...services, truto: readOnlyTruto(services.truto) };
    views.set(services, view);
  }
  return view;
}

export interface WriteRecord {
  /** Who asked, e.g. `alice@laptop` (from the producer), never a token. */
  who: string;
  tool: string;
  accountId: string;
  /** What was written to, e.g. `task 123` or `ACCOUNT upload gf-…`. */
  target: string;
  /** Short outcome, e.g. `status OPEN → DONE` or `201 created`. */
  outcome: string;
}

/** Most write records kept in Redis. */
export const MAX_WRITE_RECORDS = 10_000;

export function writeLogKey(prefix: string): string {
  return `${prefix}:audit:writes`;
}

export async function recordWrite(redis: Redis, prefix: string, logger: Logger, rec: WriteRecord, nowMs = Date.now()): Promise<void> {
  const entry = { at: new Date(nowMs).toISOString(), ...rec };
  logger.info({ audit: 'write', ...entry }, 'write to Gong');
  await redis.multi().lpush(writeLogKey(prefix), JSON.stringify(entry)).ltrim(writeLogKey(prefix), 0, MAX_WRITE_RECORDS - 1).exec();
}

/** Recent write records, newest first. */
export async function readWrites(redis: Redis, prefix: string, count = 100): Promise<(WriteRecord & { at: string })[]> {
  const raw = await redis.lrange(writeLogKey(prefix), 0, count - 1);
  return raw.map((s) => JSON.parse(s) as WriteRecord & { at: string });
}

/** `user@host` of this process, for the `who` of write records. */
export async function currentActor(): Promise<string> {
  const os = await import('node:os');
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): keep "unknown".
  }
  return `${user}@${os.hostname()}`;
}
