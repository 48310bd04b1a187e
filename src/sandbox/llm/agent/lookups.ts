/**
 * Lookups several plans share, each written as a model would do it with Gong's tools: a person by
 * the name in the question (users list), the workspace id (workspaces, else any call's metadata),
 * and a deal by company name (calls whose title names the company → their hosts' Engage tasks,
 * which carry the opportunity's CRM id, stage and the account).
 */
import { dayStart, DAY_MS, type Question } from './question.ts';
import { collect, idOf, isCall, isTask, isUser, isWorkspace, ms, str, type Row } from './records.ts';
import { Final, type Plan, type View } from './replay.ts';
import { cite, failure, isoSeconds, plural } from './format.ts';
import { isRecord } from './protocol.ts';

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  title: string;
  managerId?: string;
  createdMs: number;
}

export function person(row: Row): Person {
  const firstName = str(row['firstName']);
  const lastName = str(row['lastName']);
  const managerId = idOf(row['managerId']);
  return {
    id: idOf(row['id']),
    firstName,
    lastName,
    name: `${firstName} ${lastName}`.trim(),
    email: str(row['emailAddress']),
    title: str(row['title']),
    ...(managerId ? { managerId } : {}),
    createdMs: ms(row['created']),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function mentions(lower: string, phrase: string): boolean {
  if (!phrase.trim()) return false;
  return new RegExp(`(^|[^a-z0-9])${escape(phrase.toLowerCase())}($|[^a-z0-9])`).test(lower);
}

const LEADER_TITLE_RE = /manager|director|head of|vp|vice president|lead\b/i;

/** People whose full name the question contains; else first-name matches (leaders only when a role word is there). */
export function matchPeople(q: Question, people: readonly Person[], leader: boolean): Person[] {
  const unique = (list: Person[]): Person[] => [...new Map(list.map((p) => [p.id, p])).values()];
  const full = people.filter((p) => p.lastName && mentions(q.lower, p.name));
  if (full.length > 0) return unique(full);
  const first = people.filter((p) => mentions(q.lower, p.firstName));
  return unique(leader ? first.filter((p) => LEADER_TITLE_RE.test(p.title)) : first);
}

/** The one user the question names, from the users list (pages and truncated slices read as needed). */
export function findPerson(plan: Plan, q: Question, opts: { leader: boolean; role: string }): { person: Person; views: View[]; people: Person[] } {
  const users = plan.need('users', 'list users');
  const found = (rows: Row[]): Person[] => matchPeople(q, rows.map(person), opts.leader);
  const scan = plan.scan(users, {}, (data) => collect(data, isUser), (rows) => found(rows).length > 0);
  if (scan.failed) throw new Final(failure(scan.failed, 'list the users'));
  const people = scan.rows.map(person);
  const matches = found(scan.rows);
  if (matches.length === 0) {
    throw new Final(`I couldn't find the ${opts.role} you named among the ${plural(people.length, 'user')} Gong listed ${cite(...scan.views)}.`);
  }
  if (matches.length > 1) {
    const names = matches.map((p) => `${p.name} (${p.email}, ${p.title})`).join('; ');
    throw new Final(`Several users match the ${opts.role} you named: ${names} ${cite(...scan.views)}. Which one do you mean?`);
  }
  return { person: matches[0]!, views: scan.views, people };
}

/** The calls list every plan that needs calls uses (one shared request): the last 90 days. */
export function recentCallsArgs(plan: Plan): Record<string, unknown> {
  const today = dayStart(plan.nowMs);
  return { fromDateTime: isoSeconds(today - 90 * DAY_MS), toDateTime: isoSeconds(today + DAY_MS) };
}

export function workspaceId(plan: Plan): { id: string; view: View } {
  const ws = plan.tool('workspaces');
  if (ws) {
    const view = plan.call(ws, {});
    if (view.status !== 'ok') throw new Final(failure(view, 'read the workspaces'));
    const id = idOf(collect(view.data, isWorkspace)[0]?.['id']);
    if (id) return { id, view };
  }
  const calls = plan.need('calls', 'find the workspace');
  const first = plan.call(calls, recentCallsArgs(plan));
  if (first.status !== 'ok') throw new Final(failure(first, 'find the workspace'));
  const pick = (data: unknown): string => idOf(collect(data, isCall).find((c) => idOf(c['workspaceId']))?.['workspaceId']);
  const view = plan.read(first, (data) => pick(data) !== '');
  const id = pick(view.data);
  if (!id) throw new Final(`I couldn't find the workspace id in the calls Gong listed ${cite(view)}.`);
  return { id, view };
}

export interface TaskInfo {
  id: string;
  userId: string;
  title: string;
  status: string;
  dueDate: string;
  accountName: string;
  dealName: string;
  dealCrmId: string;
  dealStage: string;
  accountCrmId: string;
}

export function taskInfo(row: Row): TaskInfo {
  const opp = isRecord(row['opportunity']) ? row['opportunity'] : {};
  const acct = isRecord(row['account']) ? row['account'] : {};
  const flow = isRecord(row['flow']) ? row['flow'] : undefined;
  const step = flow && isRecord(flow['step']) ? flow['step'] : undefined;
  return {
    id: idOf(row['id']),
    userId: idOf(row['userId']),
    title: str(row['title']) || (flow ? `${str(flow['name'])}: ${str(step?.['name'])}` : '(untitled task)'),
    status: str(row['status']),
    dueDate: str(row['dueDate']).slice(0, 10),
    accountName: str(acct['name']),
    dealName: str(opp['name']),
    dealCrmId: str(opp['crmId']),
    dealStage: str(opp['stage']),
    accountCrmId: str(acct['crmId']),
  };
}

export function tasksArgs(userId: string): Record<string, unknown> {
  return { userId, status: ['OPEN', 'DONE', 'DISMISSED'], types: ['FLOW', 'MANUAL'], taskAction: ['CALL'] };
}

export interface DealLookup {
  company: string;
  /** The company's calls in the last 90 days. */
  calls: Row[];
  callsViews: View[];
  /** Tasks of the company's deal (from its hosts' task lists). */
  tasks: TaskInfo[];
  taskViews: View[];
  dealCrmId: string;
  accountCrmId: string;
  dealName: string;
  stage: string;
  ownerId: string;
}

/** Company names from call titles ("Acme Corp | Product Demo" → "Acme Corp"). */
function companyOf(call: Row): string {
  const title = str(call['title']);
  const at = title.indexOf(' | ');
  return at > 0 ? title.slice(0, at).trim() : '';
}

function companyIn(q: Question, calls: readonly Row[]): string | undefined {
  const names = [...new Set(calls.map(companyOf).filter(Boolean))].sort((a, b) => b.length - a.length);
  return (
    names.find((n) => mentions(q.lower, n) || q.quoted.some((quote) => mentions(quote.toLowerCase(), n))) ??
    // "the Acme opportunity": a distinctive first word of the name.
    names.find((n) => (n.split(' ')[0] ?? '').length >= 4 && mentions(q.lower, n.split(' ')[0]!))
  );
}

export function findDeal(plan: Plan, q: Question): DealLookup {
  const callsTool = plan.need('calls', 'list calls');
  const scan = plan.scan(callsTool, recentCallsArgs(plan), (data) => collect(data, isCall), (rows) => companyIn(q, rows) !== undefined);
  if (scan.failed) throw new Final(failure(scan.failed, 'list the calls'));
  const company = companyIn(q, scan.rows);
  if (!company) {
    throw new Final(`I couldn't find calls with the company you named in the last 90 days ${cite(...scan.views)}, so I can't identify the deal.`);
  }
  const calls = scan.rows.filter((c) => companyOf(c) === company);
  const hostCounts = new Map<string, number>();
  for (const c of calls) hostCounts.set(idOf(c['primaryUserId']), (hostCounts.get(idOf(c['primaryUserId'])) ?? 0) + 1);
  const hosts = [...hostCounts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id).filter(Boolean).slice(0, 3);
  const tasksTool = plan.need('tasks', "list the reps' Engage tasks");
  const views = plan.callAll(hosts.map((h) => [tasksTool, tasksArgs(h)] as const));
  const bad = views.find((v) => v.status !== 'ok');
  if (bad) throw new Final(failure(bad, "list the deal owner's tasks"));
  const read = views.map((v) => plan.read(v));
  const all = read.flatMap((v) => collect(v.data, isTask)).map(taskInfo);
  const lower = company.toLowerCase();
  const tasks = all.filter((t) => t.accountName.toLowerCase() === lower || t.dealName.toLowerCase().startsWith(`${lower} `));
  const withDeal = tasks.find((t) => t.dealCrmId);
  if (!withDeal) {
    throw new Final(`I found ${plural(calls.length, 'call')} with ${company} ${cite(...scan.views)} but no Engage task linked to its deal ${cite(...read)}, so I can't find the deal's CRM id.`);
  }
  return {
    company,
    calls,
    callsViews: scan.views,
    tasks,
    taskViews: read,
    dealCrmId: withDeal.dealCrmId,
    accountCrmId: withDeal.accountCrmId,
    dealName: withDeal.dealName,
    stage: withDeal.dealStage,
    ownerId: withDeal.userId,
  };
}
