/**
 * `npm run bench:autopsy`: bulk-summarize one deals account's 30-day window (60 hour-long calls by
 * default) with the fleet, then re-run after 5 new calls; and, in the same run on fresh sandboxes
 * and prefixes, the seed-style baseline (sequential, one transcript request per call, whole-run
 * retry on 429) in two orders. Prints a side-by-side Markdown table and the targets. See
 * docs/benchmarks.md.
 *
 * Flags: --calls 60  --concurrency 8 (fleet jobs per queue, i.e. LLM completions in flight)
 *        --skip-baseline  --json <file> (raw numbers)
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { resolveRedis } from '../../src/shared/redis/resolve.ts';
import { runBaseline, type BaselineOrder, type BaselineResult } from './baseline.ts';
import { runFleet } from './fleet-run.ts';
import { theoreticalMinimum, type ModelTiming } from './measure.ts';
import { printReport } from './table.ts';

const { values: flags } = parseArgs({
  options: {
    calls: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '8' },
    'skip-baseline': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const calls = Number(flags.calls);
const concurrency = Number(flags.concurrency);
if (!Number.isInteger(calls) || calls < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('--calls and --concurrency must be positive whole numbers');
  process.exit(2);
}

const CONTEXT_TOKENS = 16_384;
// The sandbox model's defaults, spelled out because the theoretical minimum is computed from them.
const TIMING: ModelTiming = { latencyBaseMs: 40, latencyPerOutputTokenMs: 0.5, requestsPerMinute: 500, tokensPerMinute: 2_000_000 };

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
  const minimum = theoreticalMinimum(fleet.first, fleet.ratePerSecond, fleet.concurrency, TIMING);
  const baselines: Partial<Record<BaselineOrder, BaselineResult>> = {};
  if (!flags['skip-baseline']) {
    for (const order of ['interleaved', 'fetch-first'] as const) {
      process.stderr.write(`baseline (${order})…\n`);
      baselines[order] = await withSandbox((sandbox, accountId) => runBaseline({ sandbox, redis, prefix: newPrefix('base'), accountId, order }));
    }
  }
  printReport({ fleet, minimum, baselines, timing: TIMING, contextTokens: CONTEXT_TOKENS });
  if (flags.json) writeFileSync(flags.json, JSON.stringify({ fleet, minimum, baselines, timing: TIMING }, null, 2));
} finally {
  for (const p of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${p}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
  await redisHandle.stop();
}
