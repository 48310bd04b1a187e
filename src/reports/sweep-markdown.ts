/** The coaching sweep report as Markdown: totals, a flag table backed by numbers, one section per manager. */
import type { SweepReport } from './sweep-model.ts';

const cell = (s: string | number) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderSweepMarkdown(r: SweepReport): string {
  const out: string[] = [];
  out.push(`# Coaching sweep — account ${r.accountId}`, '');
  out.push(`Window ${r.window.from} to ${r.window.to} · generated ${r.generatedAt} · run \`${r.runId}\``, '');
  out.push(`**${r.headline}**`, '');
  out.push(
    `Thresholds: new hire = created in the last ${r.thresholds.newHireDays} days; flagged if the manager listened to fewer than ` +
      `${r.thresholds.minManagerListens} of their calls. Reps hosting ${r.thresholds.maxCallsWithoutScorecard}+ calls with no scorecard are flagged.`,
    '',
  );
  if (r.degradations?.length) out.push('## How this report was made', '', ...r.degradations.map((d) => `- ${d.detail}.`), '');
  out.push('## Flagged reps', '');
  const flagged = r.managers.flatMap((m) => m.reps.filter((x) => x.flags.length > 0).map((x) => ({ m, x })));
  if (flagged.length === 0) out.push('None.', '');
  else {
    out.push('| Rep | Manager | Hosted | Listened by manager | Scorecards | New hire | Flags |', '|---|---|---:|---:|---:|---|---|');
    for (const { m, x } of flagged) {
      out.push(`| ${cell(x.name)} | ${cell(m.manager.name)} | ${x.callsHosted} | ${x.callsListenedByManager} | ${x.scorecardsReceived} | ${x.isNewHire ? 'yes' : ''} | ${cell(x.flags.map((f) => `${f.code}: ${f.detail}`).join('; '))} |`);
    }
    out.push('');
  }
  for (const m of r.managers) {
    out.push(`## ${m.manager.name} <${m.manager.email}>`, '');
    out.push(`${m.reps.length} reps · ${m.totals.callsHosted} calls hosted · ${m.totals.callsListenedByManager} listened to by the manager · ${m.totals.scorecardsReceived} scorecards · ${m.totals.flaggedReps} flagged`, '');
    if (m.narrative) {
      out.push(m.narrative.summary, '');
      if (m.narrative.concerns.length) out.push('**Concerns**', '', ...m.narrative.concerns.map((c) => `- ${c}`), '');
      if (m.narrative.recommendations.length) out.push('**Recommendations**', '', ...m.narrative.recommendations.map((c) => `- ${c}`), '');
    } else if (m.narrativeError) out.push(`_No narrative: ${m.narrativeError}_`, '');
    out.push('| Rep | Hosted | Listened | Attended | Feedback | Scorecards | New hire | Flags |', '|---|---:|---:|---:|---:|---:|---|---|');
    for (const x of m.reps) {
      out.push(`| ${cell(x.name)} | ${x.callsHosted} | ${x.callsListenedByManager} | ${x.callsManagerAttended} | ${x.callsWithFeedback} | ${x.scorecardsReceived} | ${x.isNewHire ? 'yes' : ''} | ${x.flags.map((f) => f.code).join(', ')} |`);
    }
    out.push('');
  }
  if (r.missing.length) {
    out.push('## Missing managers', '', ...r.missing.map((x) => `- ${x.name} (${x.managerId}): ${x.reason}`), '');
  }
  out.push(`_${r.stats.upstreamRequests} upstream requests · ${r.stats.narrativesCached} narratives from cache_`, '');
  return out.join('\n');
}
