/**
 * `doctor`'s checks: each capability resolved from the account's `/tools`, then at most one cheap
 * read to see what Gong really answers (the tool list says what is mapped, not what the token may
 * do). Writes are never exercised. Reads that need an id (a call's transcript, a manager's
 * coaching) take it from earlier probes; reads of a made-up id (a CRM record, a request status, a
 * brief) count as working when Gong itself answers 404: the request reached Gong with its scope.
 */
import { FleetError } from '../../platform/index.ts';
import {
  ArgumentHomeError,
  DroppedArgumentError,
  TrutoApiError,
  TrutoNotFoundError,
  TrutoPaymentRequiredError,
  TrutoScopeError,
  ToolAbsentError,
  CAPABILITIES,
  CAPABILITY_IDS,
  retryRead,
  type AccountCapabilities,
  type CapabilityId,
  type CapabilityItems,
} from '../../upstream/index.ts';
import { DAY_MS, isoDay } from '../coaching/window.ts';

export type CheckStatus = 'ok' | 'absent' | 'unusable' | 'forbidden' | 'failed' | 'skipped' | 'not-exercised';

export interface CapabilityCheck {
  id: CapabilityId;
  label: string;
  access: 'read' | 'write';
  /** The tool that serves it, when one is listed. */
  tool?: string;
  status: CheckStatus;
  /** One line: what was seen (records read, the error, why it was skipped). */
  detail: string;
  /** Scopes a 403 named as missing (a fact). */
  missingScopes?: string[];
  /** HTTP status of a failed probe. */
  httpStatus?: number;
  /** For an absent capability: the listed tools closest to it, and the scope it usually needs (a likely cause). */
  closest?: string[];
  likelyScope?: string;
}

/** What probes learn and later probes use. */
interface ProbeContext {
  nowMs: number;
  callId?: string;
  callStarted?: string;
  workspaceId?: string;
  userId?: string;
  managerId?: string;
  integrationId?: string;
}

// Made-up ids for reads that need one: a Gong 404 for them proves the request reached Gong.
const PROBE_ID = 'gong-fleet-doctor-probe';
const PROBE_CALL_ID = '1';
/** How far back the calls probe looks for a call id the transcript probe can read. */
const CALL_LOOKBACK_DAYS = 90;

type Probe = (caps: AccountCapabilities, ctx: ProbeContext) => Promise<string>;

async function firstPage<K extends CapabilityId>(caps: AccountCapabilities, id: K, values: Record<string, unknown>): Promise<CapabilityItems[K][]> {
  for await (const page of caps.pages(id, values, { notFoundAsEmpty: true, maxPages: 1 })) return page.records;
  return [];
}

const count = (n: number, what: string) => `read ${n} ${what}${n === 1 ? '' : 's'}`;

const PROBES: Partial<Record<CapabilityId, Probe>> = {
  async calls(caps, ctx) {
    const calls = await firstPage(caps, 'calls', { fromDateTime: new Date(ctx.nowMs - CALL_LOOKBACK_DAYS * DAY_MS).toISOString(), toDateTime: new Date(ctx.nowMs).toISOString() });
    const call = calls[calls.length - 1];
    if (call) Object.assign(ctx, { callId: call.id, ...(call.started ? { callStarted: call.started } : {}) });
    if (call?.workspaceId) ctx.workspaceId ??= call.workspaceId;
    return `${count(calls.length, 'call')} of the last ${CALL_LOOKBACK_DAYS} days (first page)`;
  },
  async 'call-by-id'(caps, ctx) {
    await caps.one('call-by-id', { id: ctx.callId ?? PROBE_CALL_ID });
    return `read call ${ctx.callId ?? PROBE_CALL_ID}`;
  },
  async 'call-details'(caps, ctx) {
    const calls = await firstPage(caps, 'call-details', {
      filter: { fromDateTime: new Date(ctx.nowMs - DAY_MS).toISOString(), toDateTime: new Date(ctx.nowMs).toISOString() },
    });
    return `${count(calls.length, 'call')} of the last day with details`;
  },
  async transcripts(caps, ctx) {
    // Without a known call, a made-up id in a long-past window: Gong's 404 still proves access.
    const callId = ctx.callId ?? PROBE_CALL_ID;
    const started = ctx.callStarted ? Date.parse(ctx.callStarted) : ctx.callId ? NaN : Date.parse('2001-01-01T00:00:00Z');
    const window = Number.isFinite(started)
      ? { fromDateTime: new Date(started - 60_000).toISOString(), toDateTime: new Date(started + 60_000).toISOString() }
      : {};
    const t = await firstPage(caps, 'transcripts', { filter: { callIds: [callId], ...window } });
    return `read the transcript of call ${callId} (${t[0]?.transcript.length ?? 0} monologues)`;
  },
  async users(caps, ctx) {
    const users = await firstPage(caps, 'users', {});
    ctx.userId = users[0]?.id;
    ctx.managerId = users.find((u) => u.managerId)?.managerId ?? undefined;
    return `${count(users.length, 'user')} (first page)`;
  },
  async 'user-by-id'(caps, ctx) {
    if (!ctx.userId) throw new Skip('no user id known');
    await caps.one('user-by-id', { id: ctx.userId });
    return `read user ${ctx.userId}`;
  },
  async 'users-extensive'(caps, ctx) {
    const users = await firstPage(caps, 'users-extensive', { filter: ctx.userId ? { userIds: [ctx.userId] } : { createdFromDateTime: new Date(ctx.nowMs - DAY_MS).toISOString() } });
    return `${count(users.length, 'user')} by filter`;
  },
  async workspaces(caps, ctx) {
    const ws = await caps.collect('workspaces', {});
    if (ws[0]) ctx.workspaceId = ws[0].id;
    return count(ws.length, 'workspace');
  },
  async activity(caps, ctx) {
    const day = Math.floor(ctx.nowMs / DAY_MS) * DAY_MS;
    const rows = await firstPage(caps, 'activity', {
      filter: { fromDate: isoDay(day - DAY_MS), toDate: isoDay(day), ...(ctx.userId ? { userIds: [ctx.userId] } : {}) },
      aggregationPeriod: 'DAY',
    });
    return `${count(rows.length, 'user')} with yesterday's activity`;
  },
  async coaching(caps, ctx) {
    if (!ctx.managerId) throw new Skip('no manager known (no user has a managerId)');
    if (caps.requires('coaching', 'workspace-id') && !ctx.workspaceId) throw new Skip('it requires a workspace id and none is known');
    const data = await caps.collect('coaching', {
      ...(ctx.workspaceId ? { 'workspace-id': ctx.workspaceId } : {}),
      'manager-id': ctx.managerId,
      from: new Date(ctx.nowMs - 7 * DAY_MS).toISOString(),
      to: new Date(ctx.nowMs).toISOString(),
    });
    return `coaching of manager ${ctx.managerId}: ${count(data.reduce((n, d) => n + d.directReportsMetrics.length, 0), 'direct report')}`;
  },
  async scorecards(caps, ctx) {
    const cards = await firstPage(caps, 'scorecards', { filter: { callFromDate: isoDay(ctx.nowMs - 7 * DAY_MS), callToDate: isoDay(ctx.nowMs) } });
    return `${count(cards.length, 'answered scorecard')} of the last 7 days (first page)`;
  },
  async tasks(caps, ctx) {
    if (!ctx.userId) throw new Skip('no user id known');
    const tasks = await caps.collect('tasks', { filter: { userId: ctx.userId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN'] } });
    return `${count(tasks.length, 'open task')} of user ${ctx.userId}`;
  },
  async 'crm-integrations'(caps, ctx) {
    const list = await caps.collect('crm-integrations', {});
    if (list.length === 1) ctx.integrationId ??= list[0]!.integrationId;
    return count(list.length, 'CRM integration');
  },
  async 'crm-entities'(caps, ctx) {
    if (!ctx.integrationId) throw new Skip('no CRM integration id known (pass --integration-id)');
    const found = await caps.collect('crm-entities', { integrationId: ctx.integrationId, objectType: 'ACCOUNT', objectsCrmIds: [PROBE_ID] });
    return `looked up a made-up ACCOUNT id: ${found.length} found`;
  },
  async 'crm-status'(caps, ctx) {
    if (!ctx.integrationId) throw new Skip('no CRM integration id known (pass --integration-id)');
    await caps.one('crm-status', { integrationId: ctx.integrationId, clientRequestId: PROBE_ID });
    return 'read a status';
  },
  async brief(caps, ctx) {
    if (!ctx.workspaceId) throw new Skip('no workspace id known');
    await caps.one('brief', { workspaceId: ctx.workspaceId, briefName: 'Deal Brief', crmEntityType: 'ACCOUNT', crmEntityId: PROBE_ID, timePeriod: 'LAST_30DAYS' });
    return 'read a brief';
  },
};

/** A probe that cannot run for want of an id: reported as skipped, not as a failure. */
class Skip extends Error {}

/** Probe order: the ones that learn ids first. */
const ORDER: CapabilityId[] = ['calls', 'users', 'workspaces', 'crm-integrations'];

export interface ProbeOptions {
  /** A CRM integration id for the CRM probes when no integrations tool lists one. */
  integrationId?: string;
  nowMs?: number;
}

export async function probeCapabilities(caps: AccountCapabilities, opts: ProbeOptions = {}): Promise<CapabilityCheck[]> {
  const ctx: ProbeContext = { nowMs: opts.nowMs ?? Date.now(), ...(opts.integrationId ? { integrationId: opts.integrationId } : {}) };
  const ids = [...ORDER, ...CAPABILITY_IDS.filter((id) => !ORDER.includes(id))];
  const checks = new Map<CapabilityId, CapabilityCheck>();
  for (const id of ids) checks.set(id, await check(caps, id, ctx));
  return CAPABILITY_IDS.map((id) => checks.get(id)!);
}

async function check(caps: AccountCapabilities, id: CapabilityId, ctx: ProbeContext): Promise<CapabilityCheck> {
  const spec = CAPABILITIES[id];
  const base = { id, label: spec.label, access: spec.access };
  const r = caps.resolution(id);
  if (r.status === 'absent') {
    return { ...base, status: 'absent', detail: r.error.message, closest: r.error.suggestions, likelyScope: spec.scope };
  }
  const tool = r.tool.name;
  if (r.status === 'unusable') return { ...base, tool, status: 'unusable', detail: r.error.message };
  if (spec.access === 'write') return { ...base, tool, status: 'not-exercised', detail: 'present (a write: not exercised)' };
  const probe = PROBES[id];
  if (!probe) return { ...base, tool, status: 'skipped', detail: 'no probe for it' };
  try {
    return { ...base, tool, status: 'ok', detail: await retryRead(`doctor probe of ${spec.label}`, () => probe(caps, ctx)) };
  } catch (err) {
    return { ...base, tool, ...failure(err) };
  }
}

function failure(err: unknown): Pick<CapabilityCheck, 'status' | 'detail' | 'missingScopes' | 'httpStatus'> {
  if (err instanceof Skip) return { status: 'skipped', detail: `not probed: ${err.message}` };
  if (err instanceof TrutoScopeError) {
    return { status: 'forbidden', detail: err.message, missingScopes: err.missingScopes, httpStatus: 403 };
  }
  if (err instanceof TrutoNotFoundError && err.remote) {
    // Gong itself answered: the tool is routed and allowed; the made-up id is simply unknown.
    return { status: 'ok', detail: "reached Gong: 404 for the probe's made-up id, as expected" };
  }
  if (err instanceof TrutoPaymentRequiredError) return { status: 'ok', detail: 'reached Gong: 402 Payment Required (no credits; reports will say so)', httpStatus: 402 };
  if (err instanceof ArgumentHomeError || err instanceof DroppedArgumentError || err instanceof ToolAbsentError) return { status: 'unusable', detail: err.message };
  if (err instanceof TrutoApiError) return { status: 'failed', detail: err.message, httpStatus: err.status };
  if (err instanceof FleetError || err instanceof Error) return { status: 'failed', detail: err.message };
  return { status: 'failed', detail: String(err) };
}
