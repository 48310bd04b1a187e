/**
 * `npm run bench:autopsy`: bulk-summarize one deals account's 30-day window (60 hour-long calls by
 * default) with the fleet, then re-run after 5 new calls; and, in the same run on fresh sandboxes
 * and prefixes, the seed-style baseline (sequential, one transcript request per call, whole-run
 * retry on 429) in two orders. Prints a side-by-side Markdown table and the targets. See
 * docs/benchmarks.md.
 *
 * Flags: --calls 60  --concurrency 8 (fleet jobs per queue, i.e. LLM completions in flight)
 *        --upstream-latency-ms 250 (added to every Truto request, like real Gong transcript calls)
 *        --llm-tpm 2000000 --llm-rpm 500 (the sandbox model's limits, which the fleet learns from its headers)
 *        --max-attempts 3 (baseline whole-run attempts, the seed's maxRetries)
 *        --skip-baseline  --json <file> (raw numbers)
 *        --server-rows a,b|a,b,c|none (issue 11's rows, see server-rows.ts: a server without rate-limit
 *        headers, one enforcing 400,000 tokens/min with 429s, c: the same without headers)
 * The fleet is told nothing about the model (the sandbox exports no window or LLM limits): it
 * learns the window from the first refusal and the limits from the model's headers.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { resolveRedis, deleteKeysUnder } from '../../src/shared/platform/index.ts';
import { runBaseline, type BaselineOrder, type BaselineResult } from './baseline.ts';
import { loadavg } from 'node:os';
import { runFleet } from './fleet-run.ts';
import { printServerRows, runServerRow, SERVER_SCENARIOS, type ServerRowResult } from './server-rows.ts';
import { theoreticalMinimum, type ModelTiming } from './measure.ts';
import { printReport } from './table.ts';

const { values: flags } = parseArgs({
  options: {
    calls: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '8' },
    'upstream-latency-ms': { type: 'string', default: '250' },
    'llm-tpm': { type: 'string', default: '2000000' },
    'llm-rpm': { type: 'string', default: '500' },
    'max-attempts': { type: 'string', default: '3' },
    'skip-baseline': { type: 'boolean', default: false },
    'server-rows': { type: 'string', default: 'a,b' },
    json: { type: 'string' },
  },
});
const num = (name: 'calls' | 'concurrency' | 'upstream-latency-ms' | 'llm-tpm' | 'llm-rpm' | 'max-attempts', min: number): number => {
  const v = Number(flags[name]);
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be a whole number ≥ ${min}, got "${flags[name]}"`);
    process.exit(2);
  }
  return v;
};
const calls = num('calls', 1);
const concurrency = num('concurrency', 1);
const upstreamLatencyMs = num('upstream-latency-ms', 0);
const maxAttempts = num('max-attempts', 1);

const CONTEXT_TOKENS = 16_384;
// The sandbox model's defaults, spelled out because the theoretical minimum is computed from them.
const TIMING: ModelTiming = { latencyBaseMs: 40, latencyPerOutputTokenMs: 0.5, requestsPerMinute: num('llm-rpm', 1), tokensPerMinute: num('llm-tpm', 1) };

const redisHandle = await resolveRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', allowPrivate: true });
const redis = new Redis(redisHandle.url, { maxRetriesPerRequest: null });
const prefixes: string[] = [];
const newPrefix = (label: string) => {
  const p = `{gf-bench-${label}-${randomBytes(4).toString('hex')}}`;
  prefixes.push(p);
  return p;
};
const freshSandbox = () =>
  startSandbox({
    port: 0,
    callsPerAccount: calls,
    faults: { latencyMs: upstreamLatencyMs, scope: 'truto' },
    llm: {
      contextWindowTokens: CONTEXT_TOKENS,
      latencyBaseMs: TIMING.latencyBaseMs,
      latencyPerOutputTokenMs: TIMING.latencyPerOutputTokenMs,
      requestsPerMinute: TIMING.requestsPerMinute,
      tokensPerMinute: TIMING.tokensPerMinute,
    },
  });

async function withSandbox<T>(fn: (sb: Sandbox, accountId: string) => Promise<T>): Promise<T> {
  const sb = await freshSandbox();
  try {
    return await fn(sb, sb.world.accountIdOf('deals'));
  } finally {
    await sb.close();
  }
}

try {
  process.stderr.write(`fleet: ${calls} calls per account, ${concurrency} jobs per queue…\n`);
  const fleet = await withSandbox((sandbox, accountId) =>
    runFleet({ sandbox, redis, redisUrl: redisHandle.url, prefix: newPrefix('fleet'), accountId, concurrency }),
  );
  const minimum = theoreticalMinimum(fleet.first, fleet.ratePerSecond, fleet.concurrency, TIMING, upstreamLatencyMs);
  const baselines: Partial<Record<BaselineOrder, BaselineResult>> = {};
  if (!flags['skip-baseline']) {
    for (const order of ['interleaved', 'fetch-first'] as const) {
      process.stderr.write(`baseline (${order})…\n`);
      baselines[order] = await withSandbox((sandbox, accountId) => runBaseline({ sandbox, redis, prefix: newPrefix('base'), accountId, order, maxAttempts }));
    }
  }
  const wanted = new Set((flags['server-rows'] ?? '').split(',').map((x) => x.trim()));
  const serverRows: ServerRowResult[] = [];
  for (const scenario of SERVER_SCENARIOS.filter((x) => wanted.has(x.key))) {
    process.stderr.write(`server row ${scenario.label}…\n`);
    serverRows.push(
      await runServerRow({
        scenario,
        redis,
        redisUrl: redisHandle.url,
        prefix: newPrefix(`srv${scenario.key}`),
        calls,
        concurrency,
        upstreamLatencyMs,
        contextTokens: CONTEXT_TOKENS,
        latency: { latencyBaseMs: TIMING.latencyBaseMs, latencyPerOutputTokenMs: TIMING.latencyPerOutputTokenMs },
        loadAverage: () => loadavg()[0] ?? 0,
      }),
    );
  }
  printReport({ fleet, minimum, baselines, timing: TIMING, upstreamLatencyMs });
  if (serverRows.length > 0) printServerRows(serverRows);
  process.stdout.write(`\n_load average (1 min) at the end: ${(loadavg()[0] ?? 0).toFixed(1)}_\n`);
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ fleet, minimum, baselines, timing: TIMING, serverRows }, null, 2));
} finally {
  for (const p of prefixes) await deleteKeysUnder(redis, p);
  redis.disconnect();
  await redisHandle.stop();
}
