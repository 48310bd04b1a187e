/** Renders a RunReport as Markdown: headline, cited sections, task follow-ups, brief, appendix. */
import type { ReportSectionPoint, RunReport, TaskLine } from './model.ts';

const SECTION_TITLES: [keyof RunReport['sections'], string][] = [
  ['objections', 'Objections'],
  ['risks', 'Security and technical risks'],
  ['competitors', 'Competitors'],
  ['pricing', 'Pricing'],
  ['nextSteps', 'Next steps'],
];

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function points(list: ReportSectionPoint[]): string[] {
  if (list.length === 0) return ['_Nothing found in the calls considered._', ''];
  const out: string[] = [];
  for (const p of list) {
    out.push(`- **${p.point}**`);
    for (const c of p.citations) {
      out.push(`  - “${c.quote}” — [${c.title}](${c.link}) (${c.date}, ${c.timestamp}, call ${c.callId})`);
    }
  }
  out.push('');
  return out;
}

function tasks(list: TaskLine[], label: string): string[] {
  return list.map((t) => `- ${label} **${t.title}**${t.dueDate ? ` (due ${t.dueDate.slice(0, 10)})` : ''} — task ${t.id}`);
}

export function renderMarkdown(r: RunReport): string {
  const title = r.kind === 'autopsy' ? `Deal autopsy: ${r.subject}` : `Call summary: ${r.subject}`;
  const out: string[] = [`# ${title}`, '', `> ${r.headline}`, ''];
  out.push(`- Account: \`${r.accountId}\``, `- Window: ${r.window.from.slice(0, 10)} → ${r.window.to.slice(0, 10)}`);
  if (r.deal) {
    const extra = [r.deal.stage && `stage ${r.deal.stage}`, r.deal.amount && `amount ${r.deal.amount}`].filter(Boolean).join(', ');
    const tied = r.deal.tiedBy === 'title' ? '; calls tied to it by their titles' : r.deal.tiedBy === 'crm-context' ? "; calls tied to it by Gong's CRM context" : '';
    out.push(`- Deal: ${r.deal.name} (${r.deal.crmId ? `CRM ${r.deal.crmId}` : 'CRM id unknown'}${extra ? `, ${extra}` : ''})${tied}`);
  }
  out.push(
    `- Calls: ${r.stats.callsConsidered} considered, ${r.stats.summarized} summarized now, ${r.stats.fromCache} from cache, ${r.stats.notReady ?? 0} transcript not ready, ${r.stats.noTranscript ?? 0} without transcript, ${r.stats.missing} missing`,
    `- Customer sentiment: ${r.overallSentiment}`,
    `- Generated ${r.generatedAt} (run ${r.runId})`,
    '',
  );
  if (r.degradations?.length) {
    out.push('## How this report was made', '', "The account's Truto tools could not give this run everything:", '');
    for (const d of r.degradations) out.push(`- ${d.detail}.`);
    out.push('');
  }
  for (const [key, heading] of SECTION_TITLES) out.push(`## ${heading}`, '', ...points(r.sections[key]));
  if (r.tasks) {
    out.push('## Engage task follow-up', '');
    if (r.tasks.note) out.push(`_${r.tasks.note}_`, '');
    out.push(...tasks(r.tasks.open, '⚠️ still OPEN:'), ...tasks(r.tasks.done, '✅ DONE:'), ...tasks(r.tasks.dismissed, 'DISMISSED:'));
    if (r.tasks.open.length + r.tasks.done.length + r.tasks.dismissed.length === 0) out.push('_No Engage tasks for this account._');
    out.push('');
  }
  if (r.brief) {
    out.push("## Gong's AI brief", '');
    if (r.brief.status === 'unavailable') out.push(`_Not available: ${r.brief.note ?? 'unknown reason'}._`, '');
    for (const s of r.brief.sections) out.push(`**${s.title}**`, ...s.summary.map((x) => `- ${x}`), '');
  }
  const pending = r.calls.filter((c) => c.status === 'not-ready');
  if (pending.length > 0) {
    out.push('## Transcripts not ready', '', '_Gong is still processing these calls. They are not in the findings above; run the same command later to include them._', '');
    for (const c of pending) out.push(`- [${esc(c.title)}](${c.url}) \`${c.callId}\` (${c.started.slice(0, 16).replace('T', ' ')})`);
    out.push('');
  }
  out.push('## Appendix: every call considered', '', '| Call | Date | Status | Findings |', '|---|---|---|---|');
  for (const c of r.calls) {
    const status = appendixStatus(c);
    out.push(`| [${esc(c.title)}](${c.url}) \`${c.callId}\` | ${c.started.slice(0, 10)} | ${status} | ${c.findings} |`);
  }
  out.push('', `_LLM tokens: map ${r.stats.mapPromptTokens}+${r.stats.mapCompletionTokens}, reduce ${r.stats.reducePromptTokens}+${r.stats.reduceCompletionTokens}; largest prompt ${r.stats.maxPromptTokens} tokens._`, '');
  return out.join('\n');
}

function appendixStatus(c: RunReport['calls'][number]): string {
  switch (c.status) {
    case 'missing':
      return `missing: ${esc(c.reason ?? 'unknown')}`;
    case 'not-ready':
      return 'transcript not ready';
    case 'no-transcript':
      return 'no transcript (Gong has none)';
    default:
      return c.status;
  }
}
