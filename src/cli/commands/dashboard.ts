/**
 * `gong-fleet dashboard [--port 3000] [--host 127.0.0.1] [--allow-writes]`: Bull Board over every
 * queue, the governor panel and fleet-wide /metrics, until SIGINT/SIGTERM. Off loopback it needs
 * DASHBOARD_USER + DASHBOARD_PASSWORD or DASHBOARD_TOKEN and refuses to start without them.
 */
import type { Command } from 'commander';
import { authPolicy, startDashboard } from '../../dashboard/index.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { createServices } from '../../app/index.ts';
import { connectRedis, createCliContext, handleSignals } from '../context.ts';

interface DashboardFlags {
  port: string;
  host: string;
  allowWrites?: boolean;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve Bull Board, the governor panel and /metrics until SIGINT/SIGTERM')
    .option('--port <n>', 'port to listen on (0 = any free port)', '3000')
    .option('--host <addr>', 'interface to bind; anything but loopback requires DASHBOARD_* credentials', '127.0.0.1')
    .option('--allow-writes', 'enable retry/remove/clean/promote (default: read-only)')
    .action(async (flags: DashboardFlags) => {
      const ctx = createCliContext({}, { proc: 'dashboard', pid: process.pid });
      const port = Number(flags.port);
      if (!/^\d+$/.test(flags.port) || port > 65_535) throw new BadInputError(`--port: expected a port 0-65535, got "${flags.port}"`);
      if (!flags.host.trim()) throw new BadInputError('--host: expected an address like 127.0.0.1 or 0.0.0.0');
      const credentials = {
        user: ctx.config.DASHBOARD_USER,
        password: ctx.config.DASHBOARD_PASSWORD,
        token: ctx.config.DASHBOARD_TOKEN,
      };
      authPolicy(flags.host.trim(), credentials); // refuse an unprotected public bind before touching Redis
      handleSignals(ctx);
      const { redis } = await connectRedis(ctx, 'producer');
      const services = createServices(ctx.config, redis, ctx.logger);
      const dashboard = await startDashboard({
        connection: redis,
        prefix: ctx.config.GONG_FLEET_PREFIX,
        governor: services.governor,
        host: flags.host.trim(),
        port,
        credentials,
        allowWrites: flags.allowWrites === true,
        logger: ctx.logger,
      }).catch(async (err: unknown) => {
        await ctx.shutdown();
        throw err;
      });
      ctx.onShutdown(() => services.queues.close());
      ctx.onShutdown(() => dashboard.close());
      process.stdout.write(`gong-fleet dashboard on ${dashboard.url}/ (${dashboard.readOnly ? 'read-only' : 'writes allowed'})\n`);
      await new Promise(() => {}); // until a signal
    });
}
