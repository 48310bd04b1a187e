/**
 * Recurring sweeps on BullMQ job schedulers (`upsertJobScheduler`, not the removed `repeat`
 * option). A schedule's id is derived from what it does (kind, account, manager), so adding the
 * same sweep again updates its cron instead of duplicating it.
 *
 * Missed runs: a job scheduler keeps exactly one pending (delayed) job; the next one is created
 * when a worker picks that job up, from the first cron time after *now*. If no worker runs at
 * 06:00 for three days, nothing piles up: when a worker starts, the one overdue job runs at once
 * (a single catch-up run) and the next run is the next cron time. The catch-up run sweeps the
 * usual window ending now, and is skipped if its day already has a report.
 */
import type { Queue } from 'bullmq';
import type { z } from 'zod';
import { checkCron } from '../shared/domain/index.ts';
import { BadInputError } from '../shared/platform/index.ts';
import { catalog, type ScheduledSweepPayload } from './catalog.ts';
import { LANE_FIELD } from './fair/index.ts';

/** The queue holding sweep schedules: the `scheduled-sweep` contract's (`flows`, the cheap orchestration jobs). */
export const SCHEDULE_QUEUE = catalog['scheduled-sweep'].queue;

export interface ScheduleSpec {
  kind: 'sweep';
  accountId: string;
  manager?: string;
  /** 5-field cron pattern, e.g. "0 6 * * 1-5". */
  cron: string;
  /** IANA zone the pattern is read in. */
  tz: string;
}

export interface ScheduleInfo {
  id: string;
  kind: string;
  accountId: string;
  manager?: string;
  cron: string;
  tz: string;
  /** Next fire time (ISO), if known. */
  next?: string;
}

export function scheduleId(s: Pick<ScheduleSpec, 'kind' | 'accountId' | 'manager'>): string {
  return `${s.kind}:${s.accountId}:${s.manager ? s.manager.trim().toLowerCase() : 'all'}`;
}

/** The job data a sweep schedule fires with: the `scheduled-sweep` payload. */
export type ScheduledSweepData = z.input<typeof ScheduledSweepPayload>;

/** Validates, then upserts. Returns the schedule and its next fire time. */
export async function addSchedule(queue: Queue, s: ScheduleSpec, nowMs: number = Date.now()): Promise<ScheduleInfo> {
  const [next] = checkCron(s.cron, s.tz, 1, nowMs);
  const id = scheduleId(s);
  const job = catalog['scheduled-sweep'];
  const data: ScheduledSweepData = job.schema.parse({ scheduleId: id, accountId: s.accountId, tz: s.tz, ...(s.manager ? { manager: s.manager } : {}) });
  await queue.upsertJobScheduler(id, { pattern: s.cron, tz: s.tz }, {
    name: job.name,
    // BullMQ adds the fired jobs itself, so they carry no fair-share priority: they go to the wait
    // list, served before prioritized jobs. Right for a launcher that only plans and enqueues; the
    // sweep it launches is shared fairly, in the `scheduled` lane (named here for the counters too).
    data: { ...data, [LANE_FIELD]: 'scheduled' },
    // Attempts and backoff from the contract; fired jobs are kept by count, a schedule makes few.
    opts: { attempts: job.attempts, backoff: { type: 'fleet', delay: job.backoffMs }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  return { id, kind: s.kind, accountId: s.accountId, ...(s.manager ? { manager: s.manager } : {}), cron: s.cron, tz: s.tz, ...(next ? { next: new Date(next).toISOString() } : {}) };
}

export async function listSchedules(queue: Queue): Promise<ScheduleInfo[]> {
  const all = await queue.getJobSchedulers(0, -1, true);
  return all.map((j) => {
    const data = (j.template?.data ?? {}) as Partial<ScheduledSweepData>;
    const id = j.id ?? j.key;
    return {
      id,
      kind: id.split(':')[0] ?? j.name,
      accountId: data.accountId ?? '',
      ...(data.manager ? { manager: data.manager } : {}),
      cron: j.pattern ?? (j.every ? `every ${j.every} ms` : ''),
      tz: j.tz ?? 'UTC',
      ...(j.next ? { next: new Date(j.next).toISOString() } : {}),
    };
  });
}

export async function removeSchedule(queue: Queue, id: string): Promise<void> {
  const removed = await queue.removeJobScheduler(id);
  if (!removed) {
    const known = (await listSchedules(queue)).map((s) => s.id);
    throw new BadInputError(`no schedule "${id}"${known.length ? `; schedules: ${known.join(', ')}` : ' (there are none)'}`);
  }
}
