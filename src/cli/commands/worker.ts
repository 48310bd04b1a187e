/**
 * `gong-fleet worker [--concurrency N] [--queues a,b]`: a worker process. Run as many as you like,
 * on as many machines as you like, against one Redis: the governor keeps them one client per account.
 */
import type { Command } from 'commander';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../../queues/names.ts';
import { BadInputError } from '../../shared/errors.ts';
import { createServices } from '../../shared/services.ts';
import { catalog } from '../../workers/catalog.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { connectRedis, createCliContext, handleSignals } from '../context.ts';
import { parsePositiveInt } from '../parse.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run fleet workers in this process until SIGINT/SIGTERM')
    .option('--concurrency <n>', 'jobs per queue at once (default: WORKER_CONCURRENCY or 8)')
    .option('--queues <list>', `queues to serve, comma-separated (default: ${QUEUE_NAMES.join(',')})`)
    .action(async (opts: { concurrency?: string; queues?: string }) => {
      const ctx = createCliContext({}, { proc: 'worker', pid: process.pid });
      const concurrency = opts.concurrency === undefined ? ctx.config.WORKER_CONCURRENCY : parsePositiveInt(opts.concurrency, '--concurrency');
      const queues = parseQueues(opts.queues);
      handleSignals(ctx);
      const { redis } = await connectRedis(ctx, 'worker');
      const services = createServices(ctx.config, redis, ctx.logger);
      const fleet = startWorkers({
        connection: redis,
        prefix: ctx.config.GONG_FLEET_PREFIX,
        catalog,
        services,
        logger: ctx.logger,
        queues,
        concurrency,
      });
      ctx.onShutdown(() => services.queues.close());
      ctx.onShutdown(() => fleet.close());
      ctx.logger.info({ queues, concurrency }, 'worker started');
      process.stdout.write(`worker ${process.pid} serving ${queues.join(',')} (concurrency ${concurrency})\n`);
      await new Promise(() => {}); // until a signal
    });
}

function parseQueues(list: string | undefined): QueueName[] {
  if (!list) return [...QUEUE_NAMES];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isQueueName(n));
  if (bad.length > 0 || names.length === 0) {
    throw new BadInputError(`--queues: unknown queue ${bad.join(', ') || '(none)'}; choose from ${QUEUE_NAMES.join(', ')}`);
  }
  return names as QueueName[];
}
