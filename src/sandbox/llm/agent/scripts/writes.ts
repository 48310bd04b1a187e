/**
 * The two write questions. Each reads what it needs, then makes exactly one write the fleet must
 * approve; a `denied` (or failed) write is reported as not made.
 * - "Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract
 *   was sent.": the deal's tasks (calls → hosts' task lists), the one whose title has the words
 *   before "task", then the task-update tool with its id, owner and the status;
 * - "Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Technical Validation',
 *   using client request ID 99281. Then check the status of that request.": the deal's CRM ids,
 *   one LDJSON line uploaded as a DEAL file, then the request-status tool (asked again while Gong
 *   says PENDING or IN_PROGRESS, up to three times in all).
 */
import { createHash } from 'node:crypto';
import { cite, failure, isoSeconds, plural } from '../format.ts';
import { findDeal, taskInfo, type TaskInfo } from '../lookups.ts';
import { dayStart, type Question } from '../question.ts';
import { collect, idOf, isIntegration, isTask, num, str, type Row } from '../records.ts';
import { CANT_ANSWER, Final, type Plan, type View } from '../replay.ts';
import { normalise } from '../tools.ts';

/** Status checks of an upload before answering with whatever Gong last said. */
const STATUS_CHECKS = 3;
const STATUS_RE = /^(PENDING|IN_PROGRESS|DONE|FAILED)$/;

/** "the follow-up email task" → ['followup', 'email']. */
function taskWords(q: Question): string[] {
  const m = /\b(?:the|a|my|our)\s+([\w\s'-]{2,60}?)\s+tasks?\b/i.exec(q.text);
  return (m?.[1] ?? '').split(/\s+/).map(normalise).filter((w) => w.length >= 3 && !['the', 'for', 'open', 'engage'].includes(w));
}

export function taskStatusPlan(plan: Plan, q: Question): string {
  const status = q.status!;
  const update = plan.need('taskUpdate', 'update Engage tasks');
  const deal = findDeal(plan, q);
  const words = taskWords(q);
  const title = (t: TaskInfo): string => normalise(t.title);
  let matches = deal.tasks.filter((t) => words.every((w) => title(t).includes(w)));
  if (matches.length === 0) matches = deal.tasks.filter((t) => words.some((w) => title(t).includes(w)));
  const listed = deal.tasks.map((t) => `'${t.title}' (${t.status})`).join(', ');
  if (matches.length === 0) {
    throw new Final(`No task on ${deal.dealName} matches "${words.join(' ')}"; its tasks are ${listed || 'none'} ${cite(...deal.taskViews)}. Nothing was changed.`);
  }
  const pending = matches.filter((t) => t.status !== status);
  if (pending.length === 0) {
    const t = matches[0]!;
    throw new Final(`'${t.title}' on ${deal.dealName} is already ${status} ${cite(...deal.taskViews)}; nothing was changed.`);
  }
  if (pending.length > 1) {
    throw new Final(`Several tasks on ${deal.dealName} match: ${pending.map((t) => `'${t.title}' (id ${t.id}, ${t.status})`).join('; ')} ${cite(...deal.taskViews)}. Which one should I mark ${status}? Nothing was changed.`);
  }
  const task = pending[0]!;
  const view = plan.call(update, { id: task.id, userId: task.userId, status });
  if (view.status !== 'ok') throw new Final(failure(view, `mark '${task.title}' ${status}`));
  const after = collect(plan.read(view).data, isTask).map(taskInfo).find((t) => t.id === task.id);
  return `Done: '${task.title}' on ${deal.dealName} (task ${task.id}) is now ${after?.status || status} ${cite(view)}; it was ${task.status} ${cite(...deal.taskViews)}.`;
}

function stageOf(q: Question): string | undefined {
  return q.quoted.find((s) => !/^\d+$/.test(s)) ?? /\bstage\s+(?:of|to)\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)/.exec(q.text)?.[1];
}

export function crmStagePlan(plan: Plan, q: Question): string {
  const upload = plan.need('crmUpload', 'upload CRM entities');
  const stage = stageOf(q);
  if (!stage) throw new Final("Which stage? Please name it, e.g. a new deal stage of 'Technical Validation'. Nothing was uploaded.");
  const integrationId = integration(plan, q);
  const deal = findDeal(plan, q);
  const clientRequestId =
    /\bclient[\s_-]*request[\s_-]*id\s*(?:of|is|:|=)?\s*([A-Za-z0-9_-]+)/i.exec(q.text)?.[1] ??
    `ask-${createHash('sha256').update(`${deal.dealCrmId}|${stage}`).digest('hex').slice(0, 12)}`;
  // Day-granular modifiedDate: the same conversation must plan the same upload on every turn.
  const line = JSON.stringify({
    objectId: deal.dealCrmId,
    modifiedDate: isoSeconds(dayStart(plan.nowMs)),
    name: deal.dealName,
    accountId: deal.accountCrmId,
    stage,
  });
  const sent = plan.call(upload, { integrationId, objectType: 'DEAL', clientRequestId, dataFile: `${line}\n` });
  if (sent.status !== 'ok') throw new Final(failure(sent, `upload the stage change for ${deal.dealName}`));
  const was = deal.stage && deal.stage !== stage ? ` (it was ${deal.stage} ${cite(...deal.taskViews)})` : deal.stage === stage ? ` (Gong already shows ${stage} ${cite(...deal.taskViews)})` : '';
  const head = `Uploaded a DEAL update for ${deal.dealName} (CRM id ${deal.dealCrmId}) setting its stage to '${stage}'${was}, client request id ${clientRequestId} ${cite(sent)}.`;
  if (!/\bstatus\b|\bcheck\b|\bconfirm\b|\bpoll\b/i.test(q.text)) {
    return `${head}\nGong processes CRM uploads asynchronously; the request-status tool tells when it is DONE.`;
  }
  const statusTool = plan.tool('crmStatus');
  if (!statusTool) return `${head}\nI can't check the request's status: no request-status tool was offered. Gong processes uploads asynchronously, so the change is not confirmed yet.`;
  const args = statusTool.verb === 'get' ? { id: clientRequestId, integrationId } : { integrationId, clientRequestId };
  let last: { status: string; row: Row; ref: string } | undefined;
  const refs: View[] = [];
  for (let attempt = 0; attempt < STATUS_CHECKS; attempt++) {
    const view = plan.call(statusTool, args, attempt);
    if (view.status !== 'ok') throw new Final(`${head}\n${failure(view, 'check the request status')}`);
    refs.push(view);
    const row = collect(view.data, (r) => STATUS_RE.test(str(r['status'])))[0];
    if (!row) throw new Final(`${head}\nThe status check returned no status ${cite(view)}.`);
    last = { status: str(row['status']), row, ref: view.ref };
    if (last.status === 'DONE' || last.status === 'FAILED') break;
  }
  const checks = `after ${plural(refs.length, 'check')} ${cite(...refs)}`;
  if (last!.status === 'DONE') {
    return `${head}\nGong finished processing it: **DONE**, ${plural(num(last!.row['totalSuccessCount']), 'entity', 'entities')} updated, ${plural(num(last!.row['totalErrorCount']), 'error')} ${checks}.`;
  }
  if (last!.status === 'FAILED') {
    const errors = Array.isArray(last!.row['errors']) ? (last!.row['errors'] as unknown[]).map((e) => JSON.stringify(e)).join('; ') : '';
    return `${head}\nGong could not apply it: **FAILED** ${checks}${errors ? `: ${errors}` : ''}. The stage was not changed.`;
  }
  return `${head}\nGong is still processing it: **${last!.status}** ${checks}. The change is not confirmed yet; check the status again later.`;
}

/** The CRM integration: named in the question, else the integrations tool's (only) one. */
function integration(plan: Plan, q: Question): string {
  const named = /\bintegration(?:[\s_-]*id)?\s*(?:of|is|:|=)?\s*(\d{3,})/i.exec(q.text)?.[1];
  if (named) return named;
  const tool = plan.tool('crmIntegrations');
  if (!tool) throw new Final(`${CANT_ANSWER} I need the CRM integration id (no tool lists it); please include it, e.g. "integration 1234567". Nothing was uploaded.`);
  const view = plan.call(tool, {});
  if (view.status !== 'ok') throw new Final(failure(view, 'find the CRM integration'));
  const id = idOf(collect(plan.read(view).data, isIntegration)[0]?.['integrationId']);
  if (!id) throw new Final(`Gong lists no CRM integration ${cite(view)}, so there is nowhere to upload to. Nothing was uploaded.`);
  return id;
}
