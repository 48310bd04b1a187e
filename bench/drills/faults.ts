/**
 * Drill: the sandbox answers 10 % of Truto and LLM requests with a 5xx, holds 5 % until they time
 * out, and refuses everything with 429s for 2 s out of every 15, while 2-3 worker processes run a
 * bulk summarize. A couple of calls are doomed on top (the model answers 500 to any prompt about
 * them), so the "failed every attempt" path runs every time, not only when the dice say so.
 * Pass: the run completes, every planned call is in the report's appendix exactly once, the doomed
 * calls are among the missing, and every missing call is listed with its reason.
 *   node bin/run-ts.mjs bench/drills/faults.ts [calls]
 */
import { pathToFileURL } from 'node:url';
import { launchRun } from '../../src/queues/flows.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import type { FaultOptions, FaultStats } from '../../src/sandbox/index.ts';
import type { CallRef } from '../../src/shared/domain/index.ts';
import { startDrillFleet } from './harness.ts';

/** The mix. The sandbox holds a timed-out request 4 s; the Truto client gives up at 2.5 s. */
export const DRILL_FAULTS: FaultOptions = {
  errorRate5xx: 0.1,
  timeoutRate: 0.05,
  timeoutMs: 4_000,
  burst429: { everySeconds: 15, durationMs: 2_000 },
  scope: 'both',
};

export interface FaultsResult {
  calls: number;
  workers: number;
  /** Appendix entries (one per planned call when the run is whole). */
  listed: number;
  summarized: number;
  missing: { callId: string; reason: string }[];
  /** Calls the model was told to fail on every attempt. */
  doomed: string[];
  /** Missing calls whose reason is empty: must be 0. */
  missingWithoutReason: number;
  duplicates: number;
  /** Faults the sandbox injected, per side. */
  injected: { truto: FaultStats; llm: FaultStats };
  elapsedMs: number;
  pass: boolean;
}

export interface FaultsDrillOptions {
  /** Calls in the summarize. Default 60. */
  calls?: number;
  /** Worker processes. Default 3. */
  workers?: number;
  /** The faults. Default DRILL_FAULTS. */
  faults?: FaultOptions;
  /** Calls whose every LLM attempt fails (a 500 for any prompt naming them). Default 2. */
  doomCalls?: number;
  /** Give up waiting for the report after this long, in ms. Default 600000. */
  timeoutMs?: number;
  /** Redis URL. Default REDIS_URL, else 127.0.0.1:6379, else a private server. */
  redisUrl?: string;
}

export async function faultsDrill(opts: FaultsDrillOptions = {}): Promise<FaultsResult> {
  const workerCount = opts.workers ?? 3;
  const fleet = await startDrillFleet({
    sandbox: { callsPerAccount: opts.calls ?? 60 },
    // A held request must time out on the client side (TrutoTimeoutError), as in production.
    env: { TRUTO_TIMEOUT_MS: '2500' },
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
  });
  try {
    for (let i = 0; i < workerCount; i++) await fleet.startWorker(['--concurrency', '4']);
    const to = new Date();
    // The plan is read before the faults start: the drill is about the run, not the CLI's discovery.
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    const doomed = pickDoomed(plan.calls, opts.doomCalls ?? 2);
    fleet.sandbox.setLlmFaults({ failWhenPromptContains: doomed.map(promptHeader) });
    fleet.sandbox.setFaults(opts.faults ?? DRILL_FAULTS);
    fleet.sandbox.resetStats();
    const started = Date.now();
    const runId = await launchRun(fleet.services, plan);
    const report = await waitForReport(fleet.services, runId, { timeoutMs: opts.timeoutMs ?? 600_000 });
    const elapsedMs = Date.now() - started;
    const injected = fleet.sandbox.stats().faults;
    fleet.sandbox.setFaults({});
    const ids = report.calls.map((c) => c.callId);
    const planned = new Set(plan.calls.map((c) => c.callId));
    const missing = report.calls.filter((c) => c.status === 'missing').map((c) => ({ callId: c.callId, reason: c.reason ?? '' }));
    const result: FaultsResult = {
      calls: plan.calls.length,
      workers: workerCount,
      listed: ids.length,
      summarized: report.calls.filter((c) => c.status !== 'missing').length,
      missing,
      doomed: doomed.map((c) => c.callId),
      missingWithoutReason: missing.filter((m) => m.reason.trim() === '').length,
      duplicates: ids.length - new Set(ids).size,
      injected,
      elapsedMs,
      pass: false,
    };
    result.pass =
      result.duplicates === 0 &&
      result.missingWithoutReason === 0 &&
      ids.length === planned.size &&
      ids.every((id) => planned.has(id)) &&
      doomed.every((d) => missing.some((m) => m.callId === d.callId)) &&
      report.stats.missing === missing.length;
    return result;
  } finally {
    await fleet.close();
  }
}

/** The line the map prompt opens with (src/shared/domain/summaries/prompts.ts); it names exactly one call. */
const promptHeader = (c: CallRef): string => `Call: ${c.title} (${c.started.slice(0, 10)})`;

/** Calls whose prompt header is unique in the run, so failing one fails no other. */
function pickDoomed(calls: CallRef[], n: number): CallRef[] {
  const headers = calls.map(promptHeader);
  return calls.filter((c) => headers.filter((h) => h === promptHeader(c)).length === 1).slice(0, n);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = process.argv[2] ? Number(process.argv[2]) : undefined;
  const r = await faultsDrill(calls ? { calls } : {});
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.pass ? 0 : 1);
}
