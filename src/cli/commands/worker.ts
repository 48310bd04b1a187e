/**
 * `gong-fleet worker [--concurrency N] [--queues a,b]`: a worker process. Run as many as you like,
 * on as many machines as you like, against one Redis: the governor keeps them one client per account.
 */
import type { Command } from 'commander';
import { createServices, startFleetWorkers } from '../../app/index.ts';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../../queues/names.ts';
import {
  BadInputError,
  createRedis,
  createRegistry,
  instrumentWorkers,
  probeHealth,
  registerProcessMetrics,
  startMetricsServer,
  workerHealth,
  type Health,
} from '../../shared/platform/index.ts';
import { connectRedis, createCliContext, handleSignals, type CliContext } from '../context.ts';
import { parsePositiveInt } from '../parse.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run fleet workers in this process until SIGINT/SIGTERM')
    .option('--concurrency <n>', 'jobs per queue at once (default: WORKER_CONCURRENCY or 8)')
    .option('--queues <list>', `queues to serve, comma-separated (default: ${QUEUE_NAMES.join(',')})`)
    .option('--metrics-port <n>', 'serve /metrics and /healthz on this port (default: METRICS_PORT, else none)')
    .option('--health', "probe a worker's /healthz on --metrics-port (or Redis, without one); exit 0 if healthy, 1 if not")
    .action(async (opts: { concurrency?: string; queues?: string; metricsPort?: string; health?: boolean }) => {
      const ctx = createCliContext({}, { proc: 'worker', pid: process.pid });
      const metricsPort = opts.metricsPort === undefined ? ctx.config.METRICS_PORT : parsePort(opts.metricsPort);
      if (opts.health) return reportHealth(ctx, metricsPort);
      const concurrency = opts.concurrency === undefined ? ctx.config.WORKER_CONCURRENCY : parsePositiveInt(opts.concurrency, '--concurrency');
      const queues = parseQueues(opts.queues);
      const deadlineMs = ctx.config.WORKER_SHUTDOWN_DEADLINE_MS;
      handleSignals(ctx, deadlineMs + 5_000);
      const { redis } = await connectRedis(ctx, 'worker');
      const services = createServices(ctx.config, redis, ctx.logger);
      const fleet = startFleetWorkers(services, ctx.config, { queues, concurrency });
      let stopping = false;
      if (metricsPort !== undefined) {
        const registry = createRegistry({ proc: 'worker' });
        instrumentWorkers(fleet.workers, registerProcessMetrics(registry));
        const server = await startMetricsServer({
          registry,
          port: metricsPort,
          host: ctx.config.METRICS_HOST,
          health: () => workerHealth({ redis, workers: fleet.workers, stopping: () => stopping }),
        });
        ctx.onShutdown(() => server.close());
        process.stdout.write(`worker ${process.pid} metrics on ${server.url}/metrics\n`);
      }
      ctx.onShutdown(() => services.queues.close());
      ctx.onShutdown(() => fleet.close(deadlineMs));
      ctx.onShutdown(() => {
        stopping = true;
      });
      ctx.logger.info({ queues, concurrency }, 'worker started');
      process.stdout.write(`worker ${process.pid} serving ${queues.join(',')} (concurrency ${concurrency})\n`);
      await new Promise(() => {}); // until a signal
    });
}

async function reportHealth(ctx: CliContext, metricsPort: number | undefined): Promise<void> {
  let health: Health;
  if (metricsPort !== undefined) {
    health = await probeHealth(`http://127.0.0.1:${metricsPort}/healthz`);
  } else {
    // Without a metrics endpoint the best a probe can say is that the worker's Redis answers.
    const url = ctx.config.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redis = createRedis(url, { role: 'producer', name: 'gong-fleet-health' });
    redis.on('error', () => {});
    try {
      await redis.ping();
      health = { ok: true, problems: [] };
    } catch (err) {
      health = { ok: false, problems: [`redis: ${(err as Error).message}`] };
    } finally {
      redis.disconnect();
    }
  }
  process.stdout.write(`${health.ok ? 'healthy' : `unhealthy: ${health.problems.join('; ')}`}\n`);
  process.exit(health.ok ? 0 : 1);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new BadInputError(`--metrics-port: expected a port 0-65535, got "${value}"`);
  return n;
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
