/**
 * What `ask` and `approve` print and how they exit: progress lines on stderr as steps finish, the
 * report written to --out, then either the answer (stdout) or, with --json, one object; exit 0
 * when answered (or a person's denial was reported), 3 when the run waits for approval (the run id
 * and the pending request on stdout), 1 when it failed or stopped early.
 */
import type { FleetServices } from '../app/index.ts';
import { askStoreOf } from '../producers/ask.ts';
import { buildAskReport } from '../reports/ask-model.ts';
import { writeAskReport } from '../reports/ask-write.ts';
import type { AskRun } from '../shared/domain/index.ts';

/** Exit codes of `ask` and `approve` by final status (bad input is 2, from the CLI's error handling). */
export const ASK_EXIT_CODES = { answered: 0, denied: 0, 'awaiting-approval': 3, failed: 1, running: 1 } as const;

/**
 * Prints each model turn and tool call once, as it is stored. `resumed`: what the run had already
 * done before (approve resumes a run) is not printed again.
 */
export function askProgress(opts: { stream?: NodeJS.WriteStream; resumed?: boolean } = {}) {
  const stream = opts.stream ?? process.stderr;
  const printed = new Set<string>();
  let quiet = !!opts.resumed;
  const say = (key: string, line: string) => {
    if (printed.has(key)) return;
    printed.add(key);
    if (!quiet) stream.write(`${line}\n`);
  };
  return (run: AskRun) => {
    try {
      update(run);
    } finally {
      quiet = false;
    }
  };
  function update(run: AskRun) {
    for (const t of run.turns) {
      const what = t.calls.length > 0 ? `${t.calls.length} tool call${t.calls.length === 1 ? '' : 's'}` : 'answer';
      say(`t${t.n}`, `step ${t.n + 1} · model: ${what} (${t.promptTokens} prompt tokens, ${(t.durationMs / 1000).toFixed(1)} s)`);
      for (const c of t.calls) {
        if (!c.status) continue;
        const shown = c.totalChars !== undefined && c.shownChars !== undefined && c.shownChars < c.totalChars ? ` · showed ${c.shownChars} of ${c.totalChars} chars` : '';
        const wait = c.governorWaitMs !== undefined ? ` · governor wait ${(c.governorWaitMs / 1000).toFixed(2)} s` : '';
        const took = c.durationMs !== undefined ? ` · ${c.durationMs} ms` : '';
        say(c.key, `  ${c.name} → ${c.status} [${c.ref}]${shown}${wait}${took}${c.error ? ` · ${c.error.slice(0, 120)}` : ''}`);
      }
    }
    if (run.status === 'awaiting-approval' && run.pending) say(`p${run.pending.callKey}`, `  ${run.pending.tool} → waiting for approval`);
  }
}

/** Writes the report, prints the result, sets the exit code. */
export async function finishAsk(services: FleetServices, run: AskRun, flags: { out: string; json?: boolean }): Promise<void> {
  const report = await buildAskReport(askStoreOf(services), run);
  const paths = await writeAskReport(report, flags.out);
  process.exitCode = ASK_EXIT_CODES[run.status];
  if (flags.json) {
    const { runId, status, answer, pending, steps, citations, totals, note } = report;
    process.stdout.write(`${JSON.stringify({ runId, status, answer, pending, steps, citations, totals, ...(note ? { note } : {}), report: paths })}\n`);
    return;
  }
  if (run.status === 'awaiting-approval' && run.pending) {
    process.stdout.write(`${run.runId} awaiting approval: ${run.pending.tool} ${JSON.stringify(run.pending.args)}\n`);
    process.stderr.write(`approve: gong-fleet approve ${run.runId}   deny: gong-fleet approve ${run.runId} --deny "reason"   see: --dry-run\n`);
  } else {
    if (run.answer) process.stdout.write(`${run.answer}\n`);
    if (run.status === 'failed') process.stderr.write(`run ${run.runId} failed: ${run.note ?? 'no answer'}\n`);
  }
  process.stderr.write(`report: ${paths.markdown}\n`);
}
