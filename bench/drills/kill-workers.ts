/**
 * Drill: kill -9 one of three worker processes three times during a 60-call deal autopsy.
 * Pass: the report is complete (every call present, none missing, none listed twice) and nothing
 * was summarized twice (each call counted once, as summarized or cached, in the run's counters).
 *   node bin/run-ts.mjs bench/drills/kill-workers.ts
 */
import { pathToFileURL } from 'node:url';
import { planAutopsy } from '../../src/producers/autopsy.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import { startDrillFleet, sleep } from './harness.ts';

export interface KillWorkersResult {
  calls: number;
  kills: number;
  missing: number;
  duplicates: number;
  summarizedCounter: number;
  cachedCounter: number;
  elapsedMs: number;
  pass: boolean;
}

export async function killWorkersDrill(opts: { kills?: number; killEveryMs?: number } = {}): Promise<KillWorkersResult> {
  // Globex gets about a fifth of the deals account's recent calls: 300 gives it a 60-call autopsy.
  const fleet = await startDrillFleet({ sandbox: { callsPerAccount: 300, llm: { contextWindowTokens: 16_384 } } });
  try {
    for (let i = 0; i < 3; i++) await fleet.startWorker(['--concurrency', '4']);
    const plan = await planAutopsy(fleet.services, { accountId: fleet.accountId, deal: 'Globex Corporation', days: 30 });
    const started = Date.now();
    const runId = await launchRun(fleet.services, plan);
    const done = waitForReport(fleet.services, runId, { timeoutMs: 600_000 });
    let kills = 0;
    const killer = (async () => {
      while (kills < (opts.kills ?? 3)) {
        await sleep(opts.killEveryMs ?? 6_000);
        const progress = await readRun(fleet.redis, fleet.services.prefix, runId);
        if (progress.summarized + progress.summariesCached >= progress.total && progress.total > 0) break;
        const victim = fleet.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)[0];
        if (!victim) break;
        await victim.kill('SIGKILL');
        kills++;
        await fleet.startWorker(['--concurrency', '4']); // keep three alive, like an orchestrator would
      }
    })();
    const report = await done;
    await killer;
    const progress = await readRun(fleet.redis, fleet.services.prefix, runId);
    const ids = report.calls.map((c) => c.callId);
    const duplicates = ids.length - new Set(ids).size;
    const missing = plan.calls.filter((c) => !ids.includes(c.callId)).length + report.stats.missing;
    const result: KillWorkersResult = {
      calls: plan.calls.length,
      kills,
      missing,
      duplicates,
      summarizedCounter: progress.summarized,
      cachedCounter: progress.summariesCached,
      elapsedMs: Date.now() - started,
      pass: false,
    };
    result.pass =
      missing === 0 && duplicates === 0 && kills > 0 && progress.summarized + progress.summariesCached === plan.calls.length;
    return result;
  } finally {
    await fleet.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await killWorkersDrill();
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.pass ? 0 : 1);
}
