/**
 * Work the fleet's pipelines do better than a model reading transcripts: Scenario 1's deal autopsy
 * ("Analyze the stalled 'Globex Corporation' deal…") through `deal_autopsy`, and "Summarize the
 * calls from <date> to <date>" through `summarize_calls`. The answer restates the report, each
 * quote with its `[ref:callId@mm:ss]`.
 */
import { cite, day, failure, isoSeconds, plural } from '../format.ts';
import { isRecord } from '../protocol.ts';
import { dayStart, DAY_MS, type Question } from '../question.ts';
import { str } from '../records.ts';
import { Final, type Plan } from '../replay.ts';
import { callsPhrase, reportCallCount, reportOf, reportTasks, renderSections } from './report.ts';

const DEFAULT_DAYS = 30;

const LEADING_VERB_RE = /^(?:The|Analyze|Analyse|Review|Run|Do|Give|Show|Please)\s+/;

/**
 * 'Globex Corporation' in quotes, else the capitalised words before "deal"/"opportunity"/"account",
 * else after "on"/"of"/"for" ("Do a deal autopsy on Globex"). The fleet resolves the name itself.
 */
export function dealName(q: Question): string | undefined {
  if (q.quoted[0]) return q.quoted[0];
  const before = /((?:[A-Z][\w&.'-]*\s+){0,3}[A-Z][\w&.'-]*)\s+(?:deal|opportunity|account)\b/.exec(q.text)?.[1];
  const after = /\b(?:on|of|for)\s+(?:the\s+)?((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*){0,3})/.exec(q.text)?.[1];
  return (before ?? after)?.replace(LEADING_VERB_RE, '').trim() || undefined;
}

export function autopsyPlan(plan: Plan, q: Question): string {
  const tool = plan.need('dealAutopsy', 'run a deal autopsy');
  const deal = dealName(q);
  if (!deal) throw new Final('Which deal? Please name it, e.g. "Analyze the stalled \'Globex Corporation\' deal".');
  const days = q.days ?? DEFAULT_DAYS;
  const first = plan.call(tool, { deal, days });
  if (first.status !== 'ok') throw new Final(failure(first, `run the autopsy of ${deal}`));
  const view = plan.read(first);
  const report = reportOf(view.data);
  const tasks = reportTasks(view.data);
  const dealInfo = isRecord(report['deal']) ? report['deal'] : {};
  const brief = isRecord(report['brief']) ? report['brief'] : undefined;
  const taskLine = (status: keyof typeof tasks): string[] =>
    tasks[status].map((t) => `- ${status}: '${t.title}'${t.dueDate ? ` (due ${t.dueDate})` : ''} ${cite(view)}`);
  const lines = [
    `## Deal autopsy: ${str(dealInfo['name']) || deal} (last ${days} days${callsPhrase(reportCallCount(view.data))}) ${cite(view)}`,
    '',
    `${str(report['headline']) || 'The report has no headline.'} ${cite(view)}`,
    ...renderSections(view),
    '',
    `**Engage follow-up tasks:** ${tasks.OPEN.length} OPEN, ${tasks.DONE.length} DONE, ${tasks.DISMISSED.length} DISMISSED ${cite(view)}`,
    ...taskLine('OPEN'),
    ...taskLine('DONE'),
  ];
  if (tasks.OPEN.length > 0) lines.push('', `The rep has not completed ${plural(tasks.OPEN.length, 'follow-up task')} yet.`);
  if (brief) {
    const status = str(brief['status']) || 'unknown';
    lines.push('', `**Gong's brief:** ${status}${str(brief['note']) ? ` (${str(brief['note'])})` : ''} ${cite(view)}`);
  }
  return lines.join('\n');
}

export function summarizePlan(plan: Plan, q: Question): string {
  const tool = plan.need('summarizeCalls', 'summarize calls');
  const today = dayStart(plan.nowMs);
  const range = q.range ?? { fromMs: today - (q.days ?? DEFAULT_DAYS) * DAY_MS, toMs: today + DAY_MS };
  const args = q.callIds.length > 0 ? { call_ids: q.callIds } : { from: isoSeconds(range.fromMs), to: isoSeconds(range.toMs) };
  const first = plan.call(tool, args);
  if (first.status !== 'ok') throw new Final(failure(first, 'summarize the calls'));
  const view = plan.read(first);
  const report = reportOf(view.data);
  const scope = q.callIds.length > 0 ? `calls ${q.callIds.join(', ')}` : `calls from ${day(range.fromMs)} to ${day(range.toMs - DAY_MS)}`;
  return [
    `## Summary of ${scope}${callsPhrase(reportCallCount(view.data))} ${cite(view)}`,
    '',
    `${str(report['headline']) || 'The report has no headline.'} ${cite(view)}`,
    ...renderSections(view),
  ].join('\n');
}
