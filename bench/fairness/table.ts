/**
 * The fairness benchmark's tables: per scenario and mode, every run's wall time against its time
 * alone, and the targets of issue 14. For the big run it also prints the share of the llm slots the
 * small runs' summaries took: when the slots are the bottleneck that time is work-conserving
 * scheduling's unavoidable cost to the big run, whatever the order.
 */
import type { TimedRun } from './fleet.ts';

export interface Scenario {
  kind: 'big-and-small' | 'sweep-and-interactive';
  mode: string;
  /** The big run (or the sweep) first. */
  runs: TimedRun[];
  /** Wall times alone, by run label. */
  alone: Record<string, TimedRun>;
  /** llm-queue slots of the fleet (workers × concurrency). */
  slots: number;
}

export interface BenchReport {
  settings: Record<string, number>;
  scenarios: Scenario[];
  load1AtEnd: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (n: number) => `${n.toFixed(2)}×`;

export function printReport(r: BenchReport): void {
  const out: string[] = [];
  const st = r.settings;
  out.push(
    `fairness benchmark: ${st.workers} worker processes × concurrency ${st.concurrency}; model latency ${st.llmLatencyMs} ms + ${st.llmMsPerToken} ms/output token, ` +
      `${st.contextTokens} tokens of context, limits ${st.llmRpm} req/min and ${st.llmTpm} tokens/min; Truto latency ${st.upstreamLatencyMs} ms; Gong 3/s per account`,
    '',
  );
  const targets: [string, boolean][] = [];
  for (const kind of ['big-and-small', 'sweep-and-interactive'] as const) {
    const of = r.scenarios.filter((sc) => sc.kind === kind);
    if (of.length === 0) continue;
    out.push(kind === 'big-and-small' ? '#### A. big run, small runs started while it runs' : '#### B. scheduled sweep, interactive run started behind it', '');
    out.push(`| run | calls | alone | ${of.map((sc) => `${sc.mode}: wall (× alone)`).join(' | ')} |`);
    out.push(`|---|---:|---:|${of.map(() => '---:').join('|')}|`);
    const labels = of[0]!.runs.map((run) => run.label);
    for (const label of labels) {
      const alone = of[0]!.alone[label]!;
      const cells = of.map((sc) => {
        const run = sc.runs.find((y) => y.label === label)!;
        const started = run.startedAtMs - sc.runs[0]!.startedAtMs;
        return `${s(run.wallMs)} (${x(run.wallMs / alone.wallMs)})${started > 500 ? `, started at +${s(started)}` : ''}`;
      });
      out.push(`| ${label} | ${alone.calls} | ${s(alone.wallMs)} | ${cells.join(' | ')} |`);
    }
    out.push('');
    for (const sc of of) {
      const [head, ...rest] = sc.runs;
      const headAlone = sc.alone[head!.label]!;
      const lossPct = 100 * (1 - headAlone.wallMs / head!.wallMs);
      if (kind === 'big-and-small') {
        const takenMs = rest.reduce((ms, run) => ms + run.llmSlotMs, 0) / sc.slots;
        const unavoidablePct = 100 * (1 - headAlone.wallMs / (headAlone.wallMs + takenMs));
        out.push(
          `- ${sc.mode}: big run lost ${lossPct.toFixed(1)} % of its throughput (alone ÷ wall); the small runs' summaries took ${s(takenMs)} of the ${sc.slots} llm slots, ` +
            `which costs a slot-bound big run ${unavoidablePct.toFixed(1)} % under any work-conserving order`,
        );
        if (sc.mode.startsWith('fair')) {
          for (const run of rest) targets.push([`${run.label} within 1.5× alone (${x(run.wallMs / sc.alone[run.label]!.wallMs)})`, run.wallMs <= 1.5 * sc.alone[run.label]!.wallMs]);
          targets.push([`big run loses ≤ 10 % of its throughput (${lossPct.toFixed(1)} %)`, lossPct <= 10]);
        }
      } else {
        out.push(`- ${sc.mode}: the sweep lost ${lossPct.toFixed(1)} % of its throughput`);
        if (sc.mode.startsWith('fair')) {
          for (const run of rest) targets.push([`${run.label} behind the sweep within 1.5× alone (${x(run.wallMs / sc.alone[run.label]!.wallMs)})`, run.wallMs <= 1.5 * sc.alone[run.label]!.wallMs]);
        }
      }
    }
    out.push('');
  }
  for (const [label, ok] of targets) out.push(`- ${ok ? 'MET   ' : 'MISSED'} ${label}`);
  out.push('', `load average (1 min) at the end: ${r.load1AtEnd.toFixed(2)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
