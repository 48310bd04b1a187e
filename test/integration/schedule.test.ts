/**
 * Sweep schedules on BullMQ job schedulers against a real Redis and the sandbox: validation writes
 * nothing, upserts never duplicate, missed runs collapse into one pending job while no worker runs,
 * a fast cron fires a sweep that writes a dated report, and a second run that day is skipped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, silentLogger } from '../../src/shared/platform/index.ts';
import { addSchedule, listSchedules, removeSchedule, SCHEDULE_QUEUE } from '../../src/queues/schedules.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

const until = async (cond: () => Promise<boolean>, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('sweep schedules', () => {
  let fleet: TestFleet;
  let dir: string;
  let account: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sched-'));
    fleet = await startTestFleet({ label: 'sched', env: { SCHEDULED_REPORTS_DIR: dir } });
    account = fleet.sandbox.world.accountIdOf('coaching');
  });

  afterAll(async () => {
    await fleet?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const queue = () => fleet.services.queues.queue(SCHEDULE_QUEUE);

  it('refuses an invalid cron or time zone and writes nothing', async () => {
    for (const [cron, tz, pattern] of [['0 6 * *', 'UTC', /5 fields/], ['0 25 * * *', 'UTC', /not a valid cron/], ['0 6 * * 1-5', 'Mars/Olympus', /IANA time zone/]] as const) {
      const err = await addSchedule(queue(), { kind: 'sweep', accountId: account, cron, tz }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadInputError);
      expect((err as Error).message).toMatch(pattern);
    }
    expect(await listSchedules(queue())).toEqual([]);
  });

  it('adds, upserts without duplicating, lists and removes', async () => {
    const a = await addSchedule(queue(), { kind: 'sweep', accountId: account, cron: '0 6 * * 1-5', tz: 'America/New_York' });
    await addSchedule(queue(), { kind: 'sweep', accountId: account, cron: '30 7 * * 1-5', tz: 'America/New_York' });
    const list = await listSchedules(queue());
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: a.id, cron: '30 7 * * 1-5', tz: 'America/New_York', accountId: account });
    expect(new Date(list[0]!.next!).getTime()).toBeGreaterThan(Date.now());
    expect(await queue().getDelayedCount()).toBe(1); // one pending job per schedule
    await removeSchedule(queue(), a.id);
    expect(await listSchedules(queue())).toEqual([]);
    await expect(removeSchedule(queue(), a.id)).rejects.toThrow(/no schedule/);
  });

  it('collapses runs missed while no worker runs into one pending job', async () => {
    const s = await addSchedule(queue(), { kind: 'sweep', accountId: account, manager: 'nobody', cron: '* * * * * *', tz: 'UTC' });
    await new Promise((r) => setTimeout(r, 3_500)); // three due times pass with no worker
    const jobs = await queue().getJobs(['delayed', 'waiting', 'prioritized']);
    expect(jobs.filter((j) => j.name === 'scheduled-sweep')).toHaveLength(1);
    await removeSchedule(queue(), s.id);
    await queue().obliterate({ force: true });
  });

  it('a fast cron fires a sweep that writes a dated report; later runs that day are skipped', async () => {
    const workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
    try {
      const s = await addSchedule(queue(), { kind: 'sweep', accountId: account, manager: 'Mike Brennan', cron: '*/2 * * * * *', tz: 'UTC' });
      await until(async () => (await readdir(dir)).some((f) => f.endsWith('.json')), 60_000);
      const files = (await readdir(dir)).sort();
      const day = new Date().toISOString().slice(0, 10);
      expect(files).toEqual([`sweep-${account.toLowerCase()}-${day}-mike-brennan.html`, `sweep-${account.toLowerCase()}-${day}-mike-brennan.json`, `sweep-${account.toLowerCase()}-${day}-mike-brennan.md`].sort());
      await until(async () => {
        const done = await queue().getJobs(['completed']);
        return done.some((j) => j.name === 'scheduled-sweep' && (j.returnvalue as { skipped?: boolean; reason?: string })?.reason === 'report exists');
      }, 20_000);
      await removeSchedule(queue(), s.id);
      const launched = (await queue().getJobs(['completed'])).filter((j) => j.name === 'sweep-report');
      expect(launched).toHaveLength(1);
      expect(existsSync(join(dir, files[0]!))).toBe(true);
    } finally {
      await workers.close(5_000);
    }
  }, 90_000);
});
