/** Engage tasks: POST /v2/tasks (list with a required filter) and PATCH /v2/tasks/{taskId}. */
import type { AccountData, WorldTask } from '../world/types.ts';
import { badRequest, bodyObject, isoSeconds, notFound, ok, parseDateTime, requireFilter, type Handler } from './http.ts';

const TYPES = ['FLOW', 'MANUAL'] as const;
const STATUSES = ['OPEN', 'DONE', 'DISMISSED'] as const;
const PRIORITIES: Record<string, { id: number; name: string; weight: number }> = {
  high: { id: 1, name: 'High', weight: 3 },
  medium: { id: 2, name: 'Medium', weight: 2 },
  low: { id: 3, name: 'Low', weight: 1 },
};

function crmUrl(id: string): string {
  return `https://sandbox.my.salesforce.com/${id}`;
}

export function taskDto(account: AccountData, t: WorldTask): Record<string, unknown> {
  const deal = account.deals.find((d) => d.crmId === t.dealCrmId);
  const crmAccount = account.crmAccounts.find((a) => a.crmId === t.accountCrmId);
  const contact = account.contacts.find((c) => c.crmId === t.contactCrmId);
  // Task ids and user ids are int64 JSON numbers in the spec; sandbox ids are < 2^53 so exact.
  return {
    id: Number(t.id),
    userId: Number(t.userId),
    created: isoSeconds(t.createdMs),
    updated: isoSeconds(t.updatedMs),
    status: t.status,
    type: t.type,
    actions: ['CALL'],
    dueDate: isoSeconds(t.dueMs),
    ...(t.type === 'MANUAL' ? { title: t.title } : {}),
    priority: t.priority,
    ...(crmAccount ? { account: { crmId: crmAccount.crmId, name: crmAccount.name, crmUrl: crmUrl(crmAccount.crmId) } } : {}),
    ...(deal ? {
      opportunity: {
        crmId: deal.crmId, name: deal.name, crmUrl: crmUrl(deal.crmId), status: deal.status, stage: deal.stage,
        amount: String(deal.amount), probability: String(deal.probability), closeDate: deal.closeDate,
      },
    } : {}),
    ...(t.flow ? { flow: { id: Number(t.flow.id), name: t.flow.name, step: { id: Number(t.flow.id) + t.flow.stepNumber, name: t.flow.stepName, stepNumber: t.flow.stepNumber } } } : {}),
    ...(contact ? {
      contact: {
        crmId: contact.crmId, type: 'CONTACT',
        data: {
          firstName: contact.firstName, lastName: contact.lastName, crmUrl: crmUrl(contact.crmId),
          companyName: crmAccount?.name ?? '', affiliation: 'Them', emails: [{ email: contact.emailAddress }],
          title: contact.title, timezone: 'America/New_York',
          phoneNumbers: [{ raw: contact.phoneNumber, countryCode: 1, normalized: contact.phoneNumber.replace(/[^+\d]/g, ''), label: 'work', isVerified: false }],
          optOutChannels: [],
        },
      },
    } : {}),
    additionalContacts: [],
  };
}

function requireEnumList(filter: Record<string, unknown>, field: string, allowed: readonly string[]): string[] {
  const v = filter[field];
  if (v === undefined || v === null) throw badRequest(`filter.${field}: must not be null`);
  if (!Array.isArray(v) || v.length === 0) throw badRequest(`filter.${field}: must be a non-empty array`);
  for (const x of v) if (!allowed.includes(String(x))) throw badRequest(`filter.${field}: invalid value ${String(x)}, must be one of ${allowed.join(', ')}`);
  return v.map(String);
}

export const listTasks: Handler = (ctx) => {
  const filter = requireFilter(ctx.req);
  const userId = filter['userId'];
  if (userId === undefined || userId === null || userId === '') throw badRequest('filter.userId: must not be null');
  const types = requireEnumList(filter, 'types', TYPES);
  requireEnumList(filter, 'taskAction', ['CALL']);
  const statuses = requireEnumList(filter, 'status', STATUSES);
  const tasks = ctx.account.tasks.filter((t) => t.userId === String(userId) && types.includes(t.type) && statuses.includes(t.status));
  return ok(ctx, { crmType: 'SALESFORCE', tasks: tasks.map((t) => taskDto(ctx.account, t)) });
};

export const updateTask: Handler = (ctx) => {
  const body = bodyObject(ctx.req);
  const userId = body['userId'];
  if (userId === undefined || userId === null || userId === '') throw badRequest('userId: must not be null');
  const task = ctx.account.tasks.find((t) => t.id === ctx.params['taskId']);
  if (!task || task.userId !== String(userId)) throw notFound('TaskId not found');
  const status = body['status'];
  if (status !== undefined && !(STATUSES as readonly unknown[]).includes(status)) throw badRequest(`status: must be one of ${STATUSES.join(', ')}`);
  const dueMs = parseDateTime(body['dueDate'], 'dueDate');
  const priority = body['priority'];
  const p = priority === undefined ? undefined : PRIORITIES[String(priority).toLowerCase()];
  if (priority !== undefined && !p) throw badRequest('priority: must be one of High, Medium, Low');
  if (status !== undefined) task.status = status as WorldTask['status'];
  if (dueMs !== undefined) task.dueMs = dueMs;
  if (p) task.priority = { ...p };
  task.updatedMs = Math.max(ctx.clockMs, task.createdMs);
  return ok(ctx, { crmType: 'SALESFORCE', tasks: [taskDto(ctx.account, task)] });
};
