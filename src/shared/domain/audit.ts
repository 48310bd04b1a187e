/**
 * The write audit: every write to Gong the fleet makes (a CRM upload, a task status change) is
 * logged with who/what/when (never secrets or file contents) and kept in Redis, last 10,000, for
 * `crm-sync status` and audits. What may write at all is the upstream write guard's business.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/index.ts';

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
