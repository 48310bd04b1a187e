/**
 * `npm run bench:governor`: N worker-like processes × M accounts making Truto calls against one
 * sandbox, governed (the fleet's trutoGate over the shared RateGovernor) and naive (no governor,
 * retry on 429) side by side, in four scenarios:
 *   a. steady state, 3 processes × 1 account;   b. 3 processes × 10 accounts at once;
 *   c. a 429 storm on one account (forced 429s, repeatedly) while the others run;
 *   d. governor overhead per call (reserve + observe round trips to Redis).
 * Prints a Markdown table per scenario and a target summary. See docs/benchmarks.md.
 *
 * Flags: --duration-seconds 15  --processes 3  --accounts 10  --storm-accounts 5  --concurrency 8
 *        --storm-every-ms 2500  --storm-reset-seconds 2  --latency-ms 0  --only a,b,c,d
 *        --verbose (each account's arrival times and statuses on stderr)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { resolveRedis, deleteKeysUnder } from '../../src/shared/platform/index.ts';
import { measureOverhead } from './overhead.ts';
import { accountRow, describeOverhead, mergeChildren, percentile, printRunTable, totalRow, type RunResult } from './measure.ts';
import type { ChildArgs, ChildReport, Mode } from './types.ts';

const { values: flags } = parseArgs({
  options: {
    'duration-seconds': { type: 'string', default: '15' },
    processes: { type: 'string', default: '3' },
    accounts: { type: 'string', default: '10' },
    'storm-accounts': { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    'storm-every-ms': { type: 'string', default: '2500' },
    'storm-reset-seconds': { type: 'string', default: '2' },
    'latency-ms': { type: 'string', default: '0' },
    only: { type: 'string', default: 'a,b,c,d' },
    verbose: { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof flags): number => {
  const v = Number(flags[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a non-negative number`);
  return v;
};
const durationMs = num('duration-seconds') * 1000;
const processes = num('processes');
const accountCount = num('accounts');
const stormAccounts = num('storm-accounts');
const concurrency = num('concurrency');
const only = new Set(String(flags.only).split(','));

const GONG_PER_SECOND = 3;
const TRUTO_PER_ACCOUNT_PER_10S = 50;
const TRUTO_PER_TOKEN_PER_10S = 500;
// The governor spaces calls 1000/3 ms apart plus its 3 % safety margin.
const NOMINAL_GAP_MS = (1000 / GONG_PER_SECOND) * 1.03;
const CHILD = resolve(import.meta.dirname, 'child.ts');
const RUN_TS = resolve(import.meta.dirname, '../../bin/run-ts.mjs');

interface Scenario {
  processes: number;
  accounts: string[];
  storm?: { account: string; everyMs: number; resetSeconds: number };
}

const deletePrefix = deleteKeysUnder;

function startChild(args: ChildArgs): { ready: Promise<void>; go(line: string): void; report: Promise<ChildReport> } {
  const child = spawn(process.execPath, [RUN_TS, CHILD, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((res) => (markReady = res));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const report = new Promise<ChildReport>((res, rej) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) rej(new Error(`bench child exited ${code}: ${err.slice(-2000)}`));
      else res(JSON.parse(last) as ChildReport);
    });
  });
  report.catch(() => markReady()); // a child that dies before ready must not hang the run
  return { ready, report, go: (line) => child.stdin.end(`${line}\n`) };
}

async function run(sandbox: Sandbox, redis: Redis, redisUrl: string, mode: Mode, s: Scenario, labels: Map<string, string>): Promise<RunResult> {
  const prefix = `{gf-bench-${randomBytes(4).toString('hex')}}:gov`;
  const callIds = Object.fromEntries(s.accounts.map((a) => [a, (sandbox.world.account(a)?.calls ?? []).slice(0, 50).map((c) => c.id)]));
  const children = Array.from({ length: s.processes }, (_, i) =>
    startChild({
      mode,
      baseUrl: sandbox.url,
      apiKey: sandbox.env.TRUTO_API_KEY,
      redisUrl,
      prefix,
      accounts: s.accounts,
      warmupAccount: sandbox.world.accountIdOf('deals'),
      callIds,
      concurrency,
      processIndex: i,
      startAtMs: 0,
      endAtMs: 0,
      gongPerSecond: GONG_PER_SECOND,
      trutoPerAccountPer10s: TRUTO_PER_ACCOUNT_PER_10S,
      trutoPerTokenPer10s: TRUTO_PER_TOKEN_PER_10S,
    }),
  );
  await Promise.all(children.map((c) => c.ready));
  sandbox.resetLimits();
  sandbox.resetStats();
  const startAtMs = Date.now() + 300;
  const endAtMs = startAtMs + durationMs;
  for (const c of children) c.go(JSON.stringify({ startAtMs, endAtMs }));

  let storm: NodeJS.Timeout | undefined;
  let stormStart: NodeJS.Timeout | undefined;
  if (s.storm) {
    const { account, everyMs, resetSeconds } = s.storm;
    stormStart = setTimeout(() => {
      sandbox.force429(account, resetSeconds);
      storm = setInterval(() => sandbox.force429(account, resetSeconds), everyMs);
    }, startAtMs + 1000 - Date.now());
  }
  let reports: ChildReport[];
  try {
    reports = await Promise.all(children.map((c) => c.report));
  } finally {
    clearTimeout(stormStart);
    clearInterval(storm);
    await deletePrefix(redis, prefix.slice(0, prefix.indexOf('}') + 1));
  }
  const stats = sandbox.stats();
  if (flags.verbose) {
    for (const a of s.accounts) {
      const offsets = (stats.accounts[a]?.arrivalsMs ?? []).map((t) => t - startAtMs);
      console.error(`${mode} ${labels.get(a)} arrivals (ms from start): ${offsets.join(' ')} ${JSON.stringify(stats.accounts[a]?.byStatus)}`);
    }
  }
  const rows = s.accounts.map((a) => accountRow(labels.get(a) ?? a, stats.accounts[a], startAtMs, endAtMs, GONG_PER_SECOND));
  return { mode, rows, total: totalRow(rows, GONG_PER_SECOND), ...mergeChildren(reports) };
}

async function bothModes(sandbox: Sandbox, redis: Redis, url: string, s: Scenario, labels: Map<string, string>): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (const mode of ['governed', 'naive'] as const) out.push(await run(sandbox, redis, url, mode, s, labels));
  return out;
}

const check = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const resolved = await resolveRedis({ url: process.env.REDIS_URL || undefined });
  const redis = new Redis(resolved.url, { maxRetriesPerRequest: null });
  const latencyMs = num('latency-ms');
  const sandbox = await startSandbox({
    port: 0,
    extraAccounts: Math.max(accountCount, stormAccounts),
    ...(latencyMs > 0 ? { faults: { latencyMs, scope: 'truto' as const } } : {}),
  });
  const extras = sandbox.world.accounts.slice(3);
  const labels = new Map(extras.map((a, i) => [a.id, `acct-${String(i + 1).padStart(2, '0')}`]));
  const targets: string[] = [];
  console.log(
    `# rate governor benchmark: ${processes} processes × ${concurrency} slots, ${durationMs / 1000} s per run, ` +
      `limit ${GONG_PER_SECOND}/s per account (sandbox: strict sliding 1 s window), latency ${latencyMs} ms\n`,
  );
  const started = Date.now();
  try {
    if (only.has('a')) {
      const runs = await bothModes(sandbox, redis, resolved.url, { processes, accounts: [extras[0]!.id] }, labels);
      printRunTable(`a. steady state: ${processes} processes × 1 account`, runs);
      const g = runs[0]!;
      targets.push(`0 429s in steady state (a): ${g.total.rateLimited} → ${check(g.total.rateLimited === 0)}`);
      targets.push(`≥ 95 % of the per-account limit (a): ${(g.total.ofLimit * 100).toFixed(1)} % → ${check(g.total.ofLimit >= 0.95)}`);
    }
    if (only.has('b')) {
      const accounts = extras.slice(0, accountCount).map((a) => a.id);
      const runs = await bothModes(sandbox, redis, resolved.url, { processes, accounts }, labels);
      printRunTable(`b. ${processes} processes × ${accounts.length} accounts at once`, runs);
      const g = runs[0]!;
      targets.push(`0 429s with ${accounts.length} accounts (b): ${g.total.rateLimited} → ${check(g.total.rateLimited === 0)}`);
      targets.push(`≥ 90 % of the sum of limits with ${accounts.length} accounts (b): ${(g.total.ofLimit * 100).toFixed(1)} % → ${check(g.total.ofLimit >= 0.9)}`);
      const perCall = percentile(g.reserveMs, 50) + percentile(g.observeMs, 50);
      targets.push(`in-run governor overhead (b): median reserve + median observe = ${perCall.toFixed(2)} ms → ${check(perCall <= 2)}`);
      console.log(`${describeOverhead('b. governed reserve (Lua round trip under load)', g.reserveMs)}`);
      console.log(`${describeOverhead('b. governed observe', g.observeMs)}\n`);
    }
    if (only.has('c')) {
      const accounts = extras.slice(0, stormAccounts).map((a) => a.id);
      const storm = { account: accounts[0]!, everyMs: num('storm-every-ms'), resetSeconds: num('storm-reset-seconds') };
      const runs = await bothModes(sandbox, redis, resolved.url, { processes, accounts, storm }, labels);
      printRunTable(
        `c. 429 storm on ${labels.get(storm.account)} (forced 429s for ${storm.resetSeconds} s every ${storm.everyMs} ms from t=1 s) while ${accounts.length - 1} others run`,
        runs,
        { showGaps: true },
      );
      for (const r of runs) {
        const others = r.rows.slice(1);
        const extraMs = Math.max(...others.map((o) => o.maxGapMs)) - NOMINAL_GAP_MS;
        const rate = others.reduce((n, o) => n + o.ofLimit, 0) / others.length;
        console.log(`c. ${r.mode}: other accounts at ${(rate * 100).toFixed(1)} % of their limit; longest stall beyond the ${Math.round(NOMINAL_GAP_MS)} ms spacing: ${Math.round(extraMs)} ms`);
        if (r.mode === 'governed') targets.push(`storm delays other accounts by < 1 s (c): ${Math.round(extraMs)} ms → ${check(extraMs < 1000)}`);
      }
      console.log('');
    }
    if (only.has('d')) {
      const o = await measureOverhead(redis);
      console.log(`### d. governor overhead (one process, ${o.calls} calls on distinct accounts, no waiting)\n`);
      console.log(`- ${describeOverhead('reserve, sequential', o.reserveSequentialMs)}`);
      console.log(`- ${describeOverhead(`reserve, ${o.parallel} in flight`, o.reserveParallelMs)}`);
      console.log(`- ${describeOverhead('observe (200 with ratelimit headers)', o.observeMs)}\n`);
      const perCall = percentile(o.reserveSequentialMs, 50) + percentile(o.observeMs, 50);
      targets.push(`governor overhead ≤ 2 ms median per call (d): ${perCall.toFixed(2)} ms → ${check(perCall <= 2)}`);
    }
    console.log('### targets (governed)\n');
    for (const t of targets) console.log(`- ${t}`);
    console.log(`\n_total wall time ${((Date.now() - started) / 1000).toFixed(0)} s_`);
  } finally {
    await sandbox.close();
    await redis.quit();
    await resolved.stop();
  }
}

await main();
