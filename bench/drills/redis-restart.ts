/**
 * Drill: restart Redis (a private instance with AOF, appendfsync always) in the middle of a bulk
 * summarize run with two worker processes. Pass: the run completes after Redis returns, with every
 * call in the report. Workers' connections retry forever (maxRetriesPerRequest: null); the
 * producer's wait loop retries its reads while Redis is away.
 *   node bin/run-ts.mjs bench/drills/redis-restart.ts
 */
import { pathToFileURL } from 'node:url';
import { launchRun } from '../../src/queues/flows.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import type { RunReport } from '../../src/reports/model.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import { startDrillFleet, sleep } from './harness.ts';

export interface RedisRestartResult {
  calls: number;
  downMs: number;
  /** Calls summarized before Redis went down. */
  summarizedBeforeRestart: number;
  missing: number;
  elapsedMs: number;
  pass: boolean;
}

export async function redisRestartDrill(opts: { calls?: number; downMs?: number } = {}): Promise<RedisRestartResult> {
  const fleet = await startDrillFleet({ privateRedis: true, sandbox: { callsPerAccount: opts.calls ?? 30 } });
  const redis = fleet.privateRedis;
  if (!redis) throw new Error('no private redis');
  try {
    for (let i = 0; i < 2; i++) await fleet.startWorker(['--concurrency', '4']);
    const to = new Date();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    const started = Date.now();
    const runId = await launchRun(fleet.services, plan);
    // Wait until the run is under way, then take Redis away for `downMs`.
    let before = 0;
    for (let i = 0; i < 600; i++) {
      before = (await readRun(fleet.redis, fleet.services.prefix, runId)).summarized;
      if (before >= 3) break;
      await sleep(100);
    }
    await redis.kill('SIGKILL');
    const downMs = opts.downMs ?? 3_000;
    await sleep(downMs);
    await redis.restart();
    const report = await waitWithRetries(() => waitForReport(fleet.services, runId, { timeoutMs: 300_000 }));
    const listed = new Set(report.calls.map((c) => c.callId));
    const missing = plan.calls.filter((c) => !listed.has(c.callId)).length + report.stats.missing;
    return {
      calls: plan.calls.length,
      downMs,
      summarizedBeforeRestart: before,
      missing,
      elapsedMs: Date.now() - started,
      pass: missing === 0 && report.calls.length === plan.calls.length,
    };
  } finally {
    await fleet.close();
  }
}

/** The producer's reads may fail while Redis reloads its AOF; a CLI would retry the same way. */
async function waitWithRetries(fn: () => Promise<RunReport>): Promise<RunReport> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 20) throw err;
      await sleep(500);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await redisRestartDrill();
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.pass ? 0 : 1);
}
