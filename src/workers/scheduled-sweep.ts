/**
 * `scheduled-sweep`: what a sweep schedule fires. Skips the run if its day (in the schedule's time
 * zone) already has a report, otherwise plans the sweep (window ending now) and launches its flow;
 * the flow's `sweep-report` writes the dated files to SCHEDULED_REPORTS_DIR. Returns at once: the
 * flow runs on whichever workers are up.
 */
import { existsSync } from 'node:fs';
import { catalog } from '../queues/catalog.ts';
import { launchSweep } from '../queues/flows.ts';
import { sweepBaseName, sweepPaths } from '../reports/sweep-write.ts';
import { dayIn, planSweep } from '../shared/domain/index.ts';
import { BadInputError, NonRetryableError } from '../shared/platform/index.ts';
import { implement } from './define-job.ts';

/** Holds a day's launch against a second run firing before the first report is written. */
const LAUNCH_LOCK_SECONDS = 2 * 3600;

export function scheduledBaseName(accountId: string, manager: string | undefined, day: string): string {
  const who = manager ? `-${manager.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}` : '';
  return `${sweepBaseName(accountId, day)}${who}`;
}

export const scheduledSweep = implement(catalog['scheduled-sweep'], async (p, { services, logger }) => {
  const day = dayIn(p.tz, Date.now());
  const dir = services.scheduledReportsDir;
  const base = scheduledBaseName(p.accountId, p.manager, day);
  const existing = sweepPaths(dir, base).json;
  if (existsSync(existing)) {
    logger.info({ day, scheduleId: p.scheduleId }, 'scheduled sweep skipped: this day already has a report');
    return { skipped: true as const, day, reason: 'report exists', path: existing };
  }
  const lockKey = `${services.prefix}:sched-day:${p.scheduleId}:${day}`;
  const holder = await services.redis.get(lockKey);
  if (holder) return { skipped: true as const, day, reason: `run ${holder} already launched for this day` };
  try {
    const plan = await planSweep(services, { accountId: p.accountId, ...(p.manager ? { manager: p.manager } : {}) });
    if ((await services.redis.set(lockKey, plan.runId, 'EX', LAUNCH_LOCK_SECONDS, 'NX')) !== 'OK') {
      return { skipped: true as const, day, reason: 'another run launched for this day' };
    }
    // Nobody waits for a scheduled run: the `scheduled` lane, behind interactive work.
    const runId = await launchSweep(services, plan, { output: { dir, base }, lane: 'scheduled' });
    return { skipped: false as const, day, runId };
  } catch (err) {
    // The manager left or the account was disconnected: retrying the same input cannot help.
    if (err instanceof BadInputError) throw new NonRetryableError(`scheduled sweep ${p.scheduleId}: ${err.message}`, { cause: err });
    throw err;
  }
});
