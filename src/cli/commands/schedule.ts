/**
 * `gong-fleet schedule add|list|remove`: recurring sweeps on BullMQ job schedulers. `add` checks
 * the cron pattern, the time zone, the account and the manager before anything is written; adding
 * the same sweep again updates it (one schedule per kind, account and manager).
 */
import type { Command } from 'commander';
import { createServices, type FleetServices } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { addSchedule, listSchedules, removeSchedule, SCHEDULE_QUEUE, type ScheduleInfo } from '../../queues/schedules.ts';
import { assertAccount, checkCron, fetchRoster, findTeam } from '../../shared/domain/index.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { loadCapabilitiesRetried, retryRead } from '../../shared/upstream/index.ts';
import { connectRedis, createCliContext, handleSignals } from '../context.ts';

async function withServices<T>(fn: (services: FleetServices, config: Config) => Promise<T>): Promise<T> {
  const ctx = createCliContext({}, { proc: 'cli' });
  handleSignals(ctx);
  try {
    const { redis } = await connectRedis(ctx, 'producer');
    const services = createServices(ctx.config, redis, ctx.logger);
    ctx.onShutdown(() => services.queues.close());
    return await fn(services, ctx.config);
  } finally {
    await ctx.shutdown();
  }
}

const line = (s: ScheduleInfo) =>
  `${s.id}\t${s.cron}\t${s.tz}\tnext ${s.next ?? '?'}\t${s.accountId}${s.manager ? ` manager ${s.manager}` : ''}`;

export function registerSchedule(program: Command): void {
  const cmd = program.command('schedule').description('recurring sweeps (BullMQ job schedulers): add, list, remove');
  cmd
    .command('add')
    .description('add or update a recurring job, e.g. `schedule add sweep --account A --cron "0 6 * * 1-5" --tz America/New_York`')
    .argument('<kind>', 'what to run: sweep')
    .requiredOption('--account <id>', 'Truto integrated account id')
    .requiredOption('--cron <pattern>', '5-field cron pattern, e.g. "0 6 * * 1-5"')
    .option('--tz <zone>', 'IANA time zone the pattern is read in', 'UTC')
    .option('--manager <email-or-id>', 'one manager; default: every manager')
    .option('--json', 'print the schedule as JSON')
    .action(async (kind: string, o: { account: string; cron: string; tz: string; manager?: string; json?: boolean }) => {
      if (kind !== 'sweep') throw new BadInputError(`unknown schedule kind "${kind}"; the only kind is "sweep"`);
      checkCron(o.cron, o.tz); // before any connection: a typo fails fast and writes nothing
      const info = await withServices(async (services, config) => {
        if (config.TRUTO_API_KEY) {
          await assertAccount(services, o.account);
          if (o.manager !== undefined) {
            const caps = await loadCapabilitiesRetried(services.truto, o.account);
            findTeam(await retryRead('sweep roster', () => fetchRoster(caps)), o.manager);
          }
        }
        return addSchedule(services.queues.queue(SCHEDULE_QUEUE), {
          kind: 'sweep', accountId: o.account, cron: o.cron, tz: o.tz, ...(o.manager ? { manager: o.manager } : {}),
        });
      });
      process.stdout.write(o.json ? `${JSON.stringify(info)}\n` : `${line(info)}\n`);
    });
  cmd
    .command('list')
    .description('list schedules with their next run')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await withServices((services) => listSchedules(services.queues.queue(SCHEDULE_QUEUE)));
      if (o.json) process.stdout.write(`${JSON.stringify(all)}\n`);
      else process.stdout.write(all.length ? `${all.map(line).join('\n')}\n` : '');
      if (!o.json && all.length === 0) process.stderr.write('no schedules\n');
    });
  cmd
    .command('remove')
    .description('remove a schedule by id (see `schedule list`)')
    .argument('<id>', 'schedule id, e.g. sweep:<account>:all')
    .action(async (id: string) => {
      await withServices((services) => removeSchedule(services.queues.queue(SCHEDULE_QUEUE), id));
      process.stderr.write(`removed ${id}\n`);
    });
}
