/** The autopsy benchmark's output: one side-by-side Markdown table, the minimum's parts, the targets. */
import type { BaselineOrder, BaselineResult } from './baseline.ts';
import type { FleetResult } from './fleet-run.ts';
import type { ModelTiming, RunMeasure, TheoreticalMinimum } from './measure.ts';

export interface BenchReport {
  fleet: FleetResult;
  minimum: TheoreticalMinimum;
  baselines: Partial<Record<BaselineOrder, BaselineResult>>;
  timing: ModelTiming;
  upstreamLatencyMs: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const per = (n: number, d: number, digits = 2) => (d > 0 ? (n / d).toFixed(digits) : '—');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function printReport(r: BenchReport): void {
  const { fleet, minimum } = r;
  const columns: [string, RunMeasure & Partial<BaselineResult>][] = [
    ['fleet, first run', fleet.first],
    [`fleet, re-run (+${fleet.rerun.newCalls} calls)`, fleet.rerun],
    ...(Object.entries(r.baselines) as [BaselineOrder, BaselineResult][]).map(([order, b]) => [`seed-style baseline (${order})`, b] as [string, BaselineResult]),
  ];
  const tokens = (m: RunMeasure) => m.promptTokens + m.completionTokens;
  const rows: [string, (m: RunMeasure & Partial<BaselineResult>) => string][] = [
    ['calls in the window', (m) => String(m.calls)],
    ['calls summarized (now + cached)', (m) => `${m.summarizedNow} + ${m.summarized - m.summarizedNow}`],
    ['wall time', (m) => s(m.wallMs)],
    ['wall ÷ theoretical minimum of the first run', (m) => (m === fleet.rerun ? '—' : `${per(m.wallMs, minimum.totalMs)}×`)],
    ['wall ÷ paced minimum (per-minute LLM limits as even rates)', (m) => (m === fleet.rerun ? '—' : `${per(m.wallMs, minimum.pacedTotalMs)}×`)],
    ['upstream requests (Truto → Gong)', (m) => String(m.upstreamRequests)],
    ['upstream requests per summarized call', (m) => per(m.upstreamRequests, m.summarizedNow || m.summarized)],
    ['429s (upstream / LLM)', (m) => `${m.upstream429} / ${m.llm429}`],
    ['LLM completions (map + reduce)', (m) => `${m.mapLlmRequests} + ${m.reduceLlmCalls}`],
    ['prompts refused for the context window', (m) => String(m.llmRejectedContext)],
    ['calls split into parts', (m) => String(m.chunkedCalls)],
    ['LLM tokens (prompt + completion)', (m) => `${int(m.promptTokens)} + ${int(m.completionTokens)}`],
    ['LLM tokens per summarized call', (m) => (m.summarizedNow > 0 ? int(tokens(m) / m.summarizedNow) : '—')],
    ['LLM tokens vs the first run', (m) => `${((100 * tokens(m)) / Math.max(1, tokens(fleet.first))).toFixed(1)} %`],
    ['whole-run attempts / slept on 429', (m) => (m.attempts === undefined ? '—' : `${m.attempts} / ${s(m.sleptMs ?? 0)}`)],
    ['outcome', (m) => m.outcome],
  ];
  const out: string[] = [];
  out.push(`| | ${columns.map(([name]) => name).join(' | ')} |`);
  out.push(`|---|${columns.map(() => '---').join('|')}|`);
  for (const [label, cell] of rows) out.push(`| ${label} | ${columns.map(([, m]) => cell(m)).join(' | ')} |`);
  out.push('');
  out.push(
    `Theoretical minimum of the first run: ${s(minimum.totalMs)} = upstream ${fleet.first.upstreamRequests} requests / ${fleet.ratePerSecond}/s + ${r.upstreamLatencyMs} ms for the last answer (${s(minimum.upstreamMs)})` +
      ` + map ${s(minimum.mapMs)} (bound by ${minimum.mapBoundBy}: ${fleet.first.mapLlmRequests} completions at ${r.timing.latencyBaseMs} ms + ${r.timing.latencyPerOutputTokenMs} ms/output token over ${fleet.concurrency} in flight;` +
      ` ${r.timing.requestsPerMinute} req/min, ${int(r.timing.tokensPerMinute)} tokens/min) + reduce ${s(minimum.reduceMs)} (${fleet.first.reduceLlmCalls} completions after the map). Paced minimum (even per-minute rates): ${s(minimum.pacedTotalMs)}.`,
  );
  out.push(`Re-run: ${fleet.rerun.transcriptsFetched} transcripts fetched in ${fleet.rerun.transcriptRequests} transcript request(s) for ${fleet.rerun.newCalls} new calls.`);
  out.push('');
  const rerunShare = tokens(fleet.rerun) / Math.max(1, tokens(fleet.first));
  const targets: [string, boolean][] = [
    [`wall ≤ 1.15× the theoretical minimum (${per(fleet.first.wallMs, minimum.totalMs)}×)`, fleet.first.wallMs <= 1.15 * minimum.totalMs],
    [`≤ 0.25 upstream requests per summarized call (${per(fleet.first.upstreamRequests, fleet.first.summarizedNow)})`, fleet.first.upstreamRequests <= 0.25 * fleet.first.summarizedNow],
    [`0 429s (${fleet.first.upstream429 + fleet.first.llm429 + fleet.rerun.upstream429 + fleet.rerun.llm429})`, fleet.first.upstream429 + fleet.first.llm429 + fleet.rerun.upstream429 + fleet.rerun.llm429 === 0],
    [`re-run fetches transcripts of the ${fleet.rerun.newCalls} new calls only (${fleet.rerun.transcriptsFetched})`, fleet.rerun.transcriptsFetched === fleet.rerun.newCalls],
    [`re-run spends ≤ 10 % of the first run's LLM tokens (${(100 * rerunShare).toFixed(1)} %)`, rerunShare <= 0.1],
  ];
  for (const [label, ok] of targets) out.push(`- ${ok ? 'MET ' : 'MISSED'} ${label}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
