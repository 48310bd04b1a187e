/**
 * `npm run bench:fairness`: does a small run wait behind a big one? Real `gong-fleet worker`
 * processes against one in-process sandbox, each phase under a fresh key prefix:
 *
 *   A. a big summarize (--calls, default 120) on the deals account; small ones (--small-calls,
 *      default 10,20) on other accounts started while its summaries are queued (at --start-at ×
 *      its time alone, default 0.1 and 0.2);
 *   B. a scheduled coaching sweep of the coaching account's 20 managers, and an interactive
 *      summarize of 20 calls of the same account started right behind it;
 *
 * each with fair sharing on and off (FAIR_SHARE=off: BullMQ's plain FIFO, the baseline), against
 * every run's wall time alone. An untimed warm-up first teaches the fleet the model (window, token
 * counts, largest prompt answered), and every phase starts with those facts, as a fleet that has
 * served the model before does. Prints Markdown tables and the targets; see docs/benchmarks.md.
 *
 * The model plays a hosted one: latency-bound (--llm-latency-ms + --llm-ms-per-token per output
 * token), a 128k context like gpt-4o-mini (--context-tokens), limits (--llm-rpm, --llm-tpm) far
 * above what the fleet's slots can use, so the llm queue's slots (--workers × --concurrency) are
 * the shared capacity, not this machine's CPU.
 *
 * Flags: --accounts 4 --calls 120 --small-calls 10,20 --start-at 0.1,0.2 --workers 2 --concurrency 8
 *        --llm-latency-ms 800 --llm-ms-per-token 12 --upstream-latency-ms 300 --llm-rpm 10000
 *        --llm-tpm 50000000 --context-tokens 128000 --mode both|fair|fifo --skip-sweep --json <file>
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startSandbox } from '../../src/sandbox/index.ts';
import { resolveRedis } from '../../src/shared/platform/index.ts';
import { sleep, timedSummarize, timedSweep, withPhase, type PhaseOptions, type SummarizeSpec, type TimedRun } from './fleet.ts';
import { printReport, type Scenario } from './table.ts';

/** Calls of the interactive run behind the sweep. */
const INTERACTIVE_CALLS = 20;

const { values: flags } = parseArgs({
  options: {
    accounts: { type: 'string', default: '4' },
    calls: { type: 'string', default: '120' },
    'small-calls': { type: 'string', default: '10,20' },
    'start-at': { type: 'string', default: '0.1,0.2' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
    'llm-latency-ms': { type: 'string', default: '800' },
    'llm-ms-per-token': { type: 'string', default: '12' },
    'upstream-latency-ms': { type: 'string', default: '300' },
    'llm-rpm': { type: 'string', default: '10000' },
    'llm-tpm': { type: 'string', default: '50000000' },
    'context-tokens': { type: 'string', default: '128000' },
    mode: { type: 'string', default: 'both' },
    'skip-sweep': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

function num(name: keyof typeof flags, min: number, value = String(flags[name])): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < min) {
    console.error(`--${name} must be a number ≥ ${min}, got "${value}"`);
    process.exit(2);
  }
  return v;
}
const list = (name: 'small-calls' | 'start-at', min: number) => String(flags[name]).split(',').map((x) => num(name, min, x.trim()));

const smallCalls = list('small-calls', 1);
const startAt = list('start-at', 0);
if (startAt.length !== smallCalls.length) {
  console.error(`--start-at needs one fraction per small run (${smallCalls.length}), got ${startAt.length}`);
  process.exit(2);
}
const extraAccounts = num('accounts', smallCalls.length);
const modes = flags.mode === 'both' ? [false, true] : flags.mode === 'fair' ? [true] : flags.mode === 'fifo' ? [false] : undefined;
if (!modes) {
  console.error(`--mode must be both, fair or fifo, got "${flags.mode}"`);
  process.exit(2);
}

const settings = {
  bigCalls: num('calls', 1),
  workers: num('workers', 1),
  concurrency: num('concurrency', 1),
  llmLatencyMs: num('llm-latency-ms', 0),
  llmMsPerToken: num('llm-ms-per-token', 0),
  upstreamLatencyMs: num('upstream-latency-ms', 0),
  llmRpm: num('llm-rpm', 1),
  llmTpm: num('llm-tpm', 1),
  contextTokens: num('context-tokens', 2_048),
};

const resolved = await resolveRedis({ url: process.env.REDIS_URL || undefined });
const redis = new Redis(resolved.url, { maxRetriesPerRequest: null });
const sandbox = await startSandbox({
  port: 0,
  extraAccounts,
  callsPerAccount: settings.bigCalls,
  llm: {
    contextWindowTokens: settings.contextTokens,
    latencyBaseMs: settings.llmLatencyMs,
    latencyPerOutputTokenMs: settings.llmMsPerToken,
    requestsPerMinute: settings.llmRpm,
    tokensPerMinute: settings.llmTpm,
  },
  faults: { latencyMs: settings.upstreamLatencyMs, scope: 'truto' },
});
const base: Omit<PhaseOptions, 'fairShare'> = {
  sandbox,
  redis,
  redisUrl: resolved.url,
  workers: settings.workers,
  concurrency: settings.concurrency,
  env: { LLM_REQUESTS_PER_MINUTE: String(settings.llmRpm), LLM_TOKENS_PER_MINUTE: String(settings.llmTpm), LOG_LEVEL: 'error' },
};
const world = sandbox.world;
const big: SummarizeSpec = { label: `big run (${world.accountIdOf('deals').slice(0, 8)})`, accountId: world.accountIdOf('deals'), lane: 'interactive' };
const smalls: SummarizeSpec[] = smallCalls.map((n, i) => {
  const account = world.accounts[3 + i]!;
  const calls = world.account(account.id)!.calls.filter((c) => c.startedMs >= Date.now() - 29 * 86_400_000).slice(0, n).map((c) => c.id);
  return { label: `small run ${i + 1} (${account.id.slice(0, 8)})`, accountId: account.id, callIds: calls, lane: 'interactive' };
});
const coaching = world.accountIdOf('coaching');
// Same company as the sweep: the harder case, since both also share its Gong limit of 3/s.
const coachingCalls = world.account(coaching)!.calls.filter((c) => c.startedMs >= Date.now() - 29 * 86_400_000).slice(0, INTERACTIVE_CALLS);
const interactive: SummarizeSpec = { label: `interactive run (${coaching.slice(0, 8)}, the sweep's account)`, accountId: coaching, callIds: coachingCalls.map((c) => c.id), lane: 'interactive' };
const log = (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)} load ${loadavg()[0]!.toFixed(1)}] ${line}\n`);

try {
  // Every phase starts knowing what a fleet that has served this model before knows (the facts
  // learned here, untimed): a fleet learns a model's window and token counts once, fleet-wide, and
  // until then sends prompts larger than any answered one at a time per process (the scout lane).
  // Without this, whichever run comes first in a phase would pay that once-per-model cost.
  log('warm-up (untimed): every run at once, so the fleet learns the model');
  const modelFacts = await withPhase({ ...base, fairShare: true }, async (p) => {
    await Promise.all([big, ...smalls, ...(flags['skip-sweep'] ? [] : [interactive])].map((spec) => timedSummarize(p, spec)));
    if (!flags['skip-sweep']) await timedSweep(p, 'scheduled sweep (20 managers)', coaching);
    return p.modelFacts();
  });
  base.modelFacts = modelFacts;

  log(`alone: ${big.label}, ${smalls.map((s) => s.label).join(', ')}${flags['skip-sweep'] ? '' : `, ${interactive.label}, sweep`}`);
  const alone = await withPhase({ ...base, fairShare: true }, async (p) => {
    const runs: Record<string, TimedRun> = {};
    for (const spec of [big, ...smalls, ...(flags['skip-sweep'] ? [] : [interactive])]) {
      runs[spec.label] = await timedSummarize(p, spec);
      log(`  ${spec.label}: ${(runs[spec.label]!.wallMs / 1000).toFixed(1)} s ${JSON.stringify(runs[spec.label]!.timeline)}`);
    }
    if (!flags['skip-sweep']) {
      runs.sweep = await timedSweep(p, 'scheduled sweep (20 managers)', coaching);
      log(`  sweep: ${(runs.sweep.wallMs / 1000).toFixed(1)} s`);
    }
    return runs;
  });

  const scenarios: Scenario[] = [];
  for (const fair of modes) {
    const mode = fair ? 'fair share' : 'FIFO (FAIR_SHARE=off)';
    log(`${mode}: big run with small runs started at ${startAt.map((f) => `${f}×`).join(', ')} its time alone`);
    const together = await withPhase({ ...base, fairShare: fair }, async (p) => {
      const bigRun = timedSummarize(p, big);
      const smallRuns = smalls.map(async (spec, i) => {
        await sleep(startAt[i]! * alone[big.label]!.wallMs);
        return timedSummarize(p, spec);
      });
      return [await bigRun, ...(await Promise.all(smallRuns))];
    });
    for (const r of together) log(`  ${r.label}: ${(r.wallMs / 1000).toFixed(1)} s ${JSON.stringify(r.timeline)}`);
    scenarios.push({ kind: 'big-and-small', mode, runs: together, alone, slots: settings.workers * settings.concurrency });

    if (flags['skip-sweep']) continue;
    log(`${mode}: scheduled sweep, interactive run started behind it`);
    const behind = await withPhase({ ...base, fairShare: fair }, async (p) => {
      let launched!: () => void;
      const sweepLaunched = new Promise<void>((r) => (launched = r));
      const sweep = timedSweep(p, 'scheduled sweep (20 managers)', coaching, () => launched());
      await sweepLaunched;
      const person = await timedSummarize(p, interactive);
      return [await sweep, person];
    });
    for (const r of behind) log(`  ${r.label}: ${(r.wallMs / 1000).toFixed(1)} s ${JSON.stringify(r.timeline ?? {})}`);
    scenarios.push({ kind: 'sweep-and-interactive', mode, runs: behind, alone: { ...alone, [behind[0]!.label]: alone.sweep! }, slots: settings.workers * settings.concurrency });
  }
  printReport({ settings, scenarios, load1AtEnd: loadavg()[0]! });
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ settings, alone, scenarios }, null, 2));
} finally {
  redis.disconnect();
  await sandbox.close();
  await resolved.stop();
}
