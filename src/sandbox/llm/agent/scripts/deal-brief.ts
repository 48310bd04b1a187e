/**
 * "Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are
 * for the technical evaluation.": the deal (calls → hosts' tasks → opportunity CRM id), the
 * workspace, then Gong's brief; its next-steps section is split into the steps about the
 * technical evaluation and the rest, with the deal's open Engage tasks beside them.
 */
import { cite, day, failure, plural } from '../format.ts';
import { findDeal, workspaceId } from '../lookups.ts';
import { isRecord } from '../protocol.ts';
import type { Question } from '../question.ts';
import { collect, idOf, isBrief, list, num, str } from '../records.ts';
import { Final, type Plan } from '../replay.ts';

const TECHNICAL_RE = /technical|deep dive|architect|evaluat|proof of concept|\bpoc\b|pilot|security|integration|sandbox|solutions engineer/i;
const NEXT_STEPS_RE = /next step/i;

/** "Raised on a call: "…"" → the quoted words. */
function stepText(line: string): string {
  const m = /^[^"]*"(.+)"\s*$/.exec(line);
  return (m?.[1] ?? line).trim();
}

export function dealBriefPlan(plan: Plan, q: Question): string {
  const briefs = plan.need('briefs', "read Gong's AI briefs");
  const deal = findDeal(plan, q);
  const ws = workspaceId(plan);
  const briefName = q.quoted.find((s) => /brief/i.test(s)) ?? (/\baccount brief\b/i.test(q.text) ? 'Account Brief' : 'Deal Brief');
  const first = plan.call(briefs, {
    workspaceId: ws.id,
    briefName,
    crmEntityType: 'DEAL',
    crmEntityId: deal.dealCrmId,
    timePeriod: 'LAST_90DAYS',
  });
  if (first.status !== 'ok') throw new Final(failure(first, `read the ${briefName} for ${deal.dealName}`));
  const view = plan.read(first);
  const brief = collect(view.data, isBrief)[0];
  if (!brief) throw new Final(`Gong answered, but with no brief sections for ${deal.dealName} ${cite(view)}.`);
  const sections = list(brief['briefSections']).filter(isRecord);
  const nextSection = sections.find((s) => NEXT_STEPS_RE.test(str(s['title'])));
  const steps = list(nextSection?.['sectionSummary']).map((l) => stepText(str(l))).filter((s) => s && !/^nothing notable/i.test(s));
  const findings = isRecord(nextSection?.['conversationFindings']) ? nextSection['conversationFindings'] : {};
  const citedCalls = list(findings['callFindings']).filter(isRecord).map((f) => (isRecord(f['call']) ? f['call'] : f));
  const technical = steps.filter((s) => TECHNICAL_RE.test(s));
  const other = steps.filter((s) => !TECHNICAL_RE.test(s));
  const open = deal.tasks.filter((t) => t.status === 'OPEN');

  const lines = [
    `**${deal.dealName}** (stage: ${deal.stage || 'unknown'}): Gong's ${briefName}, last 90 days, ${plural(num(brief['numOfCallsSearched']), 'call')} searched ${cite(view)}.`,
    '',
  ];
  if (steps.length === 0) {
    lines.push(`The brief lists no next steps for this period ${cite(view)}.`);
  } else if (technical.length > 0) {
    lines.push('**Next steps for the technical evaluation:**', ...technical.map((s) => `- "${s}" ${cite(view)}`));
    if (other.length > 0) lines.push('', '**Other next steps in the brief:**', ...other.map((s) => `- "${s}" ${cite(view)}`));
  } else {
    lines.push('The brief names no step specific to the technical evaluation. Its next steps are:', ...other.map((s) => `- "${s}" ${cite(view)}`));
  }
  if (citedCalls.length > 0) {
    lines.push('', `Calls the brief cites for these steps: ${citedCalls.map((c) => `${idOf(c['id'])} (${str(c['title'])}, ${str(c['started']).slice(0, 10)})`).join('; ')} ${cite(view)}.`);
  }
  lines.push(
    '',
    open.length > 0
      ? `**Open Engage tasks on the deal:** ${open.map((t) => `'${t.title}'${t.dueDate ? ` (due ${t.dueDate})` : ''}`).join('; ')} ${cite(...deal.taskViews)}.`
      : `There are no open Engage tasks on the deal ${cite(...deal.taskViews)}.`,
    '',
    `Deal found from ${plural(deal.calls.length, 'call')} with ${deal.company} ${cite(...deal.callsViews)}; brief read on ${day(plan.nowMs)}.`,
  );
  return lines.join('\n');
}
