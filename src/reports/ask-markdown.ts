/** An `ask` report as Markdown: the answer with linked citations, its sources, the step log, totals. */
import type { AskReport } from './ask-model.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const argsText = (a: Record<string, unknown>, max = 90): string => {
  const s = JSON.stringify(a);
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/** The answer with `[r3]` linked to its source line and unknown citations marked. */
export function linkCitations(r: AskReport): string {
  const byText = new Map(r.citations.map((c) => [c.text, c]));
  return (r.answer ?? '').replace(/\[(r\d+)(?::[A-Za-z0-9_-]+@[\d:]+)?\]/g, (m, ref: string) => {
    const c = byText.get(m);
    if (c && !c.known) return `${m} ⚠ (${c.problem})`;
    return `[${m}](#${ref})`;
  });
}

export function renderAskMarkdown(r: AskReport): string {
  const out: string[] = [
    `# Ask: ${r.question}`,
    '',
    `Run \`${r.runId}\` on account \`${r.accountId}\` · **${r.status}** · started ${r.createdAt}${r.finishedAt ? ` · finished ${r.finishedAt}` : ''}`,
    '',
  ];
  if (r.pending) {
    out.push('## Waiting for approval', '', `The run wants to call \`${r.pending.tool}\` with:`, '', '```json', JSON.stringify(r.pending.arguments, null, 2), '```', '',
      `Approve exactly this request: \`gong-fleet approve ${r.runId}\` · refuse it: \`gong-fleet approve ${r.runId} --deny "reason"\` · see it without deciding: \`--dry-run\`.`,
      `Request hash: \`${r.pending.hash}\``, '');
  }
  if (r.answer !== null) out.push('## Answer', '', linkCitations(r), '');
  if (r.note) out.push(`> ${r.note}`, '');
  if (r.citations.length > 0) {
    out.push('## Sources', '');
    for (const c of r.citations) {
      if (!c.known) out.push(`- ⚠ \`${c.text}\`: ${c.problem}`);
      else if (c.callId) out.push(`- <a id="${c.ref}"></a>\`${c.text}\`: call ${c.callId} at ${c.at}, in the result of \`${c.tool}\``);
      else out.push(`- <a id="${c.ref}"></a>\`[${c.ref}]\`: \`${c.tool}\` ${argsText(c.args ?? {})}${c.ids?.length ? `; ids ${c.ids.join(', ')}` : ''}`);
    }
    out.push('');
  }
  out.push('## Step log', '', '| Step | Tool | Arguments | Status | Ref | Shown | Governor wait | Duration | Requests |', '|---|---|---|---|---|---|---|---|---|');
  for (const s of r.steps) {
    out.push(`| ${s.step} | \`${s.tool}\` | ${cell(argsText(s.args))} | ${s.status}${s.error ? `: ${cell(s.error.slice(0, 80))}` : ''} | ${s.ref} | ${s.shown ?? 'all'} | ${seconds(s.governorWaitMs)} | ${seconds(s.durationMs)} | ${s.requests} |`);
  }
  out.push('', '| Model turn | Prompt tokens | Completion tokens | Duration | Tool calls |', '|---|---|---|---|---|');
  for (const t of r.turns) out.push(`| ${t.step}${t.toolChoice === 'none' ? ' (answer now)' : ''} | ${t.promptTokens} | ${t.completionTokens} | ${seconds(t.durationMs)} | ${t.toolCalls} |`);
  if (r.decisions.length > 0) {
    out.push('', '## Decisions', '');
    for (const d of r.decisions) out.push(`- ${d.decision} \`${d.tool}\` (${d.callKey}) by ${d.by} at ${new Date(d.atMs).toISOString()}${d.reason ? `: ${d.reason}` : ''}`);
  }
  const t = r.totals;
  out.push('', '## Totals', '',
    `- Model turns: ${t.modelTurns}; tool calls: ${t.toolCalls}; upstream requests: ${t.upstreamRequests}`,
    `- Tokens: ${t.promptTokens} prompt + ${t.completionTokens} completion (agent)${t.pipelinePromptTokens ? `; ${t.pipelinePromptTokens} + ${t.pipelineCompletionTokens} in built-in pipelines` : ''}`,
    `- Wall time: ${seconds(t.wallMs)}`);
  if (r.toolsNote) out.push(`- Note: ${r.toolsNote}`);
  return `${out.join('\n')}\n`;
}
