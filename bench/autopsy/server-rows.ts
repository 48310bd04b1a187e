/**
 * The autopsy benchmark's server rows (issue 11): the fleet summarizing the account's window
 * against model servers it is told nothing about (no OPENAI_CONTEXT_TOKENS, no LLM_* caps):
 * (a) a server that announces no rate limits and refuses nothing (self-hosted vLLM-like, with the
 *     fleet's tokenizer so token counts compare): the LLM tokens/min the fleet reaches and its
 *     wall time against the theoretical minimum (goal ≤ 1.2×);
 * (b) a provider enforcing 400,000 tokens/min with 429s, announced in `x-ratelimit-*` headers:
 *     the share of that limit used in every full minute of the run (goal ≥ 90 %) and the 429s
 *     (goal ≤ 3).
 * "Share of the limit used" is the server's own sliding-minute count (`tokensLastMinute`, sampled
 * every 250 ms) averaged over the time the run was bound by the limit: from the first answer for
 * ⌊(N − 1) / L⌋ minutes, the windows N tokens need at L per minute. A fleet that throttled itself
 * below L would show a lower count; one that bursts a minute's allowance and waits for the window
 * to slide (as a sliding-window limit allows) keeps it near L.
 */
import type { Redis } from 'ioredis';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { LlmOptions } from '../../src/sandbox/llm/options.ts';
import { measuredRun, withFleet } from './fleet-run.ts';
import { theoreticalMinimum, type ModelTiming, type RunMeasure, type TheoreticalMinimum } from './measure.ts';

export interface ServerScenario {
  key: 'a' | 'b' | 'c';
  label: string;
  llm: LlmOptions;
  /** The limit the server enforces, for the minimum and the share used; null = none. */
  tokensPerMinute: number | null;
}

export const SERVER_SCENARIOS: ServerScenario[] = [
  {
    key: 'a',
    label: 'a. no rate-limit headers, no limits',
    llm: { requestsPerMinute: null, tokensPerMinute: null, rateLimitHeaders: false },
    tokensPerMinute: null,
  },
  {
    key: 'b',
    label: 'b. 400,000 tokens/min enforced with 429s',
    llm: { requestsPerMinute: null, tokensPerMinute: 400_000, rateLimitHeaders: true },
    tokensPerMinute: 400_000,
  },
  {
    // Not a target row: what a provider that announces nothing costs (it is learned from its 429s).
    key: 'c',
    label: 'c. the same limit, no headers (429 + retry-after only)',
    llm: { requestsPerMinute: null, tokensPerMinute: 400_000, rateLimitHeaders: false, retryAfter: 'seconds' },
    tokensPerMinute: 400_000,
  },
];

export interface ServerRowResult {
  scenario: ServerScenario;
  measure: RunMeasure;
  minimum: TheoreticalMinimum;
  timing: ModelTiming;
  /** Tokens answered per minute between the first and the last answer (the sandbox's figure). */
  averageTokensPerMinute: number | null;
  peakTokensPerMinute: number;
  /** The server's sliding-minute token count while the run was bound by the limit, averaged. */
  limitBound: { meanTokens: number; seconds: number } | null;
  /** Load average (1 min) when the row started, since the machine is shared. */
  loadAverage: number;
  /** `tokensLastMinute` every 5 s from the first answer (for the JSON output). */
  samples: { afterMs: number; tokensLastMinute: number }[];
}

export interface ServerRowOptions {
  scenario: ServerScenario;
  redis: Redis;
  redisUrl: string;
  prefix: string;
  calls: number;
  concurrency: number;
  upstreamLatencyMs: number;
  contextTokens: number;
  latency: { latencyBaseMs: number; latencyPerOutputTokenMs: number };
  loadAverage: () => number;
}

export async function runServerRow(o: ServerRowOptions): Promise<ServerRowResult> {
  const sandbox = await startSandbox({
    port: 0,
    callsPerAccount: o.calls,
    faults: { latencyMs: o.upstreamLatencyMs, scope: 'truto' },
    llm: { contextWindowTokens: o.contextTokens, ...o.latency, ...o.scenario.llm },
  });
  const samples: { atMs: number; tokensLastMinute: number }[] = [];
  const loadAverage = o.loadAverage();
  try {
    const accountId = sandbox.world.accountIdOf('deals');
    const fleetOpts = { sandbox, redis: o.redis, redisUrl: o.redisUrl, prefix: o.prefix, accountId, concurrency: o.concurrency };
    const timer = setInterval(() => samples.push({ atMs: Date.now(), tokensLastMinute: sandbox.stats().llm.tokensLastMinute }), 250);
    const run = await withFleet(fleetOpts, (services) => measuredRun(services, fleetOpts, 30)).finally(() => clearInterval(timer));
    const llm = sandbox.stats().llm;
    const limit = o.scenario.tokensPerMinute ?? Number.POSITIVE_INFINITY;
    const timing: ModelTiming = { ...o.latency, requestsPerMinute: Number.POSITIVE_INFINITY, tokensPerMinute: limit };
    return {
      scenario: o.scenario,
      measure: run.measure,
      minimum: theoreticalMinimum(run.measure, run.ratePerSecond, o.concurrency, timing, o.upstreamLatencyMs),
      timing,
      averageTokensPerMinute: llm.averageTokensPerMinute,
      peakTokensPerMinute: llm.peakTokensPerMinute,
      limitBound: limitBound(samples, llm.firstAnswerAtMs, run.measure.promptTokens + run.measure.completionTokens, o.scenario.tokensPerMinute),
      loadAverage,
      samples: samples
        .filter((x, i) => i % 20 === 0)
        .map((x) => ({ afterMs: x.atMs - (llm.firstAnswerAtMs ?? x.atMs), tokensLastMinute: x.tokensLastMinute })),
    };
  } finally {
    await sandbox.close();
  }
}

/** The sliding-minute count over the windows N tokens need under L per minute (null: no limit, or under a minute). */
function limitBound(
  samples: { atMs: number; tokensLastMinute: number }[],
  firstMs: number | null,
  tokens: number,
  limit: number | null,
): ServerRowResult['limitBound'] {
  if (firstMs === null || limit === null) return null;
  const boundMs = Math.floor(Math.max(0, tokens - 1) / limit) * 60_000;
  const inside = samples.filter((x) => x.atMs >= firstMs && x.atMs <= firstMs + boundMs).map((x) => x.tokensLastMinute);
  if (boundMs === 0 || inside.length === 0) return null;
  return { meanTokens: inside.reduce((a, b) => a + b, 0) / inside.length, seconds: boundMs / 1000 };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'none');

/** The rows' table, and the targets. */
export function printServerRows(rows: ServerRowResult[]): void {
  const out: string[] = [
    '',
    '| server (told nothing) | wall time | theoretical minimum | wall ÷ minimum | LLM tokens/min (first to last answer / busiest minute) | server\'s sliding-minute count while limit-bound, mean (share of the limit) | 429s | context refusals | calls summarized |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const targets: string[] = [];
  for (const r of rows) {
    const m = r.measure;
    const limit = r.scenario.tokensPerMinute;
    const pct = (t: number) => (limit ? ` (${((100 * t) / limit).toFixed(1)} %)` : '');
    const bound = r.limitBound ? `${int(r.limitBound.meanTokens)}${pct(r.limitBound.meanTokens)} over ${r.limitBound.seconds} s` : '— (no limit)';
    const ratio = m.wallMs / r.minimum.totalMs;
    out.push(
      `| ${r.scenario.label} | ${s(m.wallMs)} | ${s(r.minimum.totalMs)} (${r.minimum.mapBoundBy}-bound map) | ${ratio.toFixed(2)}× | ${int(r.averageTokensPerMinute ?? 0)} / ${int(r.peakTokensPerMinute)} | ${bound} | ${m.llm429} | ${m.llmRejectedContext} | ${m.summarized} of ${m.calls} |`,
    );
    if (r.scenario.key === 'a') targets.push(`${ratio <= 1.2 ? 'MET ' : 'MISSED'} (a) wall ≤ 1.2× the theoretical minimum without rate-limit headers (${ratio.toFixed(2)}×)`);
    if (r.scenario.key === 'b' && limit) {
      const share = r.limitBound ? r.limitBound.meanTokens / limit : 0;
      targets.push(`${share >= 0.9 ? 'MET ' : 'MISSED'} (b) ≥ 90 % of ${int(limit)} tokens/min used while the run was limit-bound (${(100 * share).toFixed(1)} %)`);
      targets.push(`${m.llm429 <= 3 ? 'MET ' : 'MISSED'} (b) ≤ 3 429s (${m.llm429})`);
    }
  }
  out.push('');
  for (const r of rows) {
    out.push(
      `${r.scenario.key}: minimum ${s(r.minimum.totalMs)} = upstream ${s(r.minimum.upstreamMs)} + map ${s(r.minimum.mapMs)} (${r.minimum.mapBoundBy}) + reduce ${s(r.minimum.reduceMs)}; ` +
        `${int(m(r).promptTokens + m(r).completionTokens)} LLM tokens in ${m(r).mapLlmRequests} + ${m(r).reduceLlmCalls} completions; load average ${r.loadAverage.toFixed(1)} at the start.`,
    );
  }
  out.push('', ...targets.map((t) => `- ${t}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

const m = (r: ServerRowResult) => r.measure;
