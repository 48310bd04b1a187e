/**
 * Turns what the sandbox saw (per-account arrival and forward times, 429 counts) and what the
 * children reported into rows, and prints them as Markdown tables, so the output pastes straight
 * into docs/benchmarks.md.
 */
import { maxInAnyWindow, type AccountStats } from '../../src/sandbox/index.ts';
import type { ChildReport, Mode } from './types.ts';

export interface AccountRow {
  label: string;
  /** Proxy requests that reached the sandbox (sent), including refused ones. */
  requests: number;
  rateLimited: number;
  /** Requests let through to Gong inside the measured window. */
  forwarded: number;
  /** forwarded per second of the window. */
  ratePerSecond: number;
  /** ratePerSecond / the account's limit. */
  ofLimit: number;
  /** Most requests sent in any 1 s (a strict sliding window; the limit is what Gong allows). */
  maxSentPer1s: number;
  /** Longest gap between two forwarded requests inside the window, ms. */
  maxGapMs: number;
}

export interface RunResult {
  mode: Mode;
  rows: AccountRow[];
  total: AccountRow;
  childErrors: number;
  parked: number;
  reserveMs: number[];
  observeMs: number[];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function maxGap(times: readonly number[], fromMs: number, toMs: number): number {
  const inside = times.filter((t) => t >= fromMs && t < toMs).sort((a, b) => a - b);
  let gap = 0;
  let prev = fromMs;
  for (const t of inside) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return Math.max(gap, toMs - prev);
}

export function accountRow(label: string, s: AccountStats | undefined, fromMs: number, toMs: number, limitPerSecond: number): AccountRow {
  const arrivals = s?.arrivalsMs ?? [];
  const forwardedTimes = s?.forwardedMs ?? [];
  const forwarded = forwardedTimes.filter((t) => t >= fromMs && t < toMs).length;
  const ratePerSecond = forwarded / ((toMs - fromMs) / 1000);
  return {
    label,
    requests: s?.requests ?? 0,
    rateLimited: s?.rateLimited ?? 0,
    forwarded,
    ratePerSecond,
    ofLimit: ratePerSecond / limitPerSecond,
    maxSentPer1s: maxInAnyWindow(arrivals, 1000),
    maxGapMs: maxGap(forwardedTimes, fromMs, toMs),
  };
}

export function totalRow(rows: readonly AccountRow[], limitPerSecond: number): AccountRow {
  const sum = (f: (r: AccountRow) => number) => rows.reduce((acc, r) => acc + f(r), 0);
  const ratePerSecond = sum((r) => r.ratePerSecond);
  return {
    label: `total (${rows.length})`,
    requests: sum((r) => r.requests),
    rateLimited: sum((r) => r.rateLimited),
    forwarded: sum((r) => r.forwarded),
    ratePerSecond,
    ofLimit: ratePerSecond / (limitPerSecond * rows.length),
    maxSentPer1s: Math.max(...rows.map((r) => r.maxSentPer1s)),
    maxGapMs: Math.max(...rows.map((r) => r.maxGapMs)),
  };
}

export function mergeChildren(reports: readonly ChildReport[]): Pick<RunResult, 'childErrors' | 'parked' | 'reserveMs' | 'observeMs'> {
  return {
    childErrors: reports.reduce((n, r) => n + r.errors, 0),
    parked: reports.reduce((n, r) => n + r.parked, 0),
    reserveMs: reports.flatMap((r) => r.reserveMs),
    observeMs: reports.flatMap((r) => r.observeMs),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** One Markdown table: a row per account and mode, governed and naive side by side. */
export function printRunTable(title: string, runs: readonly RunResult[], opts: { showGaps?: boolean } = {}): void {
  const head = ['mode', 'account', 'requests', '429s', 'forwarded', 'rate /s', 'of limit', 'max sent in 1 s'];
  if (opts.showGaps) head.push('max gap ms');
  const lines = [`### ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const run of runs) {
    for (const r of [...run.rows, run.total]) {
      const cells = [run.mode, r.label, r.requests, r.rateLimited, r.forwarded, r.ratePerSecond.toFixed(2), pct(r.ofLimit), r.maxSentPer1s];
      if (opts.showGaps) cells.push(Math.round(r.maxGapMs));
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  for (const run of runs) {
    if (run.childErrors > 0) lines.push('', `${run.mode}: ${run.childErrors} calls failed with errors other than 429`);
  }
  console.log(`${lines.join('\n')}\n`);
}

export function describeOverhead(label: string, samplesMs: readonly number[]): string {
  if (samplesMs.length === 0) return `${label}: no samples`;
  return `${label}: median ${percentile(samplesMs, 50).toFixed(2)} ms, p95 ${percentile(samplesMs, 95).toFixed(2)} ms, p99 ${percentile(samplesMs, 99).toFixed(2)} ms (n=${samplesMs.length})`;
}
