/**
 * Coaching sweep benchmark on the sandbox's coaching account (20 managers × 10 reps) at Gong's
 * 3 requests/s: upstream requests of the real sweep vs the minimum the API allows and vs asking
 * one request per rep, and wall time. Prints a Markdown table for docs/benchmarks.md.
 *
 *   npm run bench:sweep            (REDIS_URL, else 127.0.0.1:6379, else a private redis-server)
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/index.ts';
import { waitForSweep } from '../../src/producers/wait.ts';
import { launchSweep } from '../../src/queues/flows.ts';
import { DAY_MS, planSweep } from '../../src/shared/domain/index.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { silentLogger, resolveRedis } from '../../src/shared/platform/index.ts';
import { createServices } from '../../src/app/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';

const PAGE = 100; // Gong's page size for users, stats and scorecards

async function main(): Promise<void> {
  const resolved = await resolveRedis({ url: process.env.REDIS_URL || undefined });
  const redis = new Redis(resolved.url, { maxRetriesPerRequest: null });
  const sandbox = await startSandbox({ port: 0 });
  const prefix = `{bench-sweep-${randomBytes(3).toString('hex')}}`;
  const services = createServices(loadConfig({}, { ...sandbox.env, REDIS_URL: resolved.url, GONG_FLEET_PREFIX: prefix }), redis, silentLogger);
  const workers = startWorkers({ connection: redis, prefix, jobs, services, logger: silentLogger, concurrency: 8 });
  const account = sandbox.world.accountIdOf('coaching');
  const acct = sandbox.world.account(account)!;
  const rows: string[] = [];
  try {
    const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const variants = [
      { label: 'last 30 days to now (partial days at both ends)', req: {} },
      { label: '30 whole days to today 00:00 UTC', req: { from: new Date(midnight - 30 * DAY_MS), to: new Date(midnight) } },
    ];
    for (const v of variants) {
      sandbox.resetStats();
      sandbox.resetLimits();
      const t0 = performance.now();
      const plan = await planSweep(services, { accountId: account, ...v.req });
      const tPlan = performance.now();
      const report = await waitForSweep(services, await launchSweep(services, plan), { timeoutMs: 300_000 });
      const wallMs = performance.now() - t0;
      const stats = sandbox.stats();
      const a = stats.accounts[account];
      const by = stats.requestsByPath;
      const reps = report.stats.reps;
      const managers = report.stats.managers;
      const scorecardsInWindow = acct.scorecards.filter((s) => {
        const c = acct.calls.find((x) => x.id === s.callId);
        return c && c.startedMs >= plan.window.fromMs - DAY_MS;
      }).length;
      const partial = (by['/proxy/calls'] ?? 0);
      const minimum = Math.ceil(acct.users.length / PAGE) + 1 + Math.ceil(reps / PAGE) + partial + Math.max(1, Math.ceil(scorecardsInWindow / PAGE)) + managers;
      const perRep = Math.ceil(acct.users.length / PAGE) + 1 + reps /* aggregate per rep */ + reps /* scorecards per rep */ + reps /* calls per rep for the partial days */ * (partial > 0 ? 1 : 0) + managers;
      const answered = stats.proxyRequests - (a?.rateLimited ?? 0);
      rows.push(
        `| ${v.label} | ${stats.proxyRequests} (${a?.rateLimited ?? 0} × 429) | ${answered} | ${minimum} | ${perRep} | ${(wallMs / 1000).toFixed(1)} s (plan ${((tPlan - t0) / 1000).toFixed(1)} s) | ${(minimum / 3).toFixed(1)} s | ${(perRep / 3).toFixed(0)} s | ${report.stats.flaggedReps} |`,
      );
      process.stderr.write(`${v.label}: ${JSON.stringify(by)}\n`);
    }
    process.stdout.write(
      [
        '| Window | Requests sent | Answered by Gong | API minimum | One request per rep | Wall time (this sweep) | Minimum at 3/s | Per-rep at 3/s | Flagged reps |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    await workers.close(5_000);
    await services.queues.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await sandbox.close();
    await resolved.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
