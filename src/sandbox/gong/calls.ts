/**
 * /v2/calls, /v2/calls/{id}, /v2/calls/transcript. Extensive lives in calls-extensive.ts. The
 * calls list carries `CallBasicData` only (Gong's spec): workspaceId, host and times, but no
 * parties and no CRM context; those need calls-extensive.
 */
import type { AccountData, Monologue, PlantedFact, WorldCall } from '../world/types.ts';
import { inputsHash, paginate } from './cursor.ts';
import {
  badRequest, bodyObject, isoSeconds, notFound, ok, optionalIdList, parseDateTime, queryOne, requireFilter,
  type Handler, type HandlerContext,
} from './http.ts';

/** Gong's documented page size for call lists. */
export const CALLS_PAGE_SIZE = 100;
/**
 * Transcripts are ~50-80 KB each, so the sandbox pages them 10 calls at a time (Gong does not
 * document its transcript page size; large pages of hour-long calls would be multi-megabyte).
 */
export const TRANSCRIPTS_PAGE_SIZE = 10;

export const NO_CALLS = 'No calls found corresponding to the provided filters';

export function callBasic(account: AccountData, call: WorldCall): Record<string, unknown> {
  return {
    id: call.id,
    url: `https://app.gong.io/call?id=${call.id}`,
    title: call.title,
    scheduled: isoSeconds(call.startedMs),
    started: isoSeconds(call.startedMs),
    duration: call.durationSec,
    primaryUserId: call.primaryUserId,
    direction: call.direction,
    system: call.system,
    scope: call.scope,
    media: call.media,
    language: 'eng',
    workspaceId: account.workspaceId,
    meetingUrl: `https://zoom.us/j/${call.id.slice(0, 11)}`,
    isPrivate: false,
    calendarEventId: `evt_${call.id.slice(-10)}`,
  };
}

export interface CallFilter {
  fromMs?: number;
  toMs?: number;
  workspaceId?: string;
  callIds?: string[];
  primaryUserIds?: string[];
}

/** Calls matching the filter, sorted by start time then id (Gong's stable listing order). */
export function selectCalls(account: AccountData, f: CallFilter): WorldCall[] {
  if (f.workspaceId !== undefined && f.workspaceId !== account.workspaceId) return [];
  const ids = f.callIds ? new Set(f.callIds) : undefined;
  const hosts = f.primaryUserIds ? new Set(f.primaryUserIds) : undefined;
  return account.calls
    .filter((c) =>
      (f.fromMs === undefined || c.startedMs >= f.fromMs) &&
      (f.toMs === undefined || c.startedMs < f.toMs) &&
      (!ids || ids.has(c.id)) &&
      (!hosts || hosts.has(c.primaryUserId)))
    .sort((a, b) => a.startedMs - b.startedMs || a.id.localeCompare(b.id));
}

/** Filter fields shared by extensive and transcript requests. */
export function readCallFilter(filter: Record<string, unknown>, withHosts: boolean): CallFilter {
  const f: CallFilter = {};
  const fromMs = parseDateTime(filter['fromDateTime'], 'filter.fromDateTime');
  const toMs = parseDateTime(filter['toDateTime'], 'filter.toDateTime');
  if (fromMs !== undefined) f.fromMs = fromMs;
  if (toMs !== undefined) f.toMs = toMs;
  if (typeof filter['workspaceId'] === 'string' || typeof filter['workspaceId'] === 'number') f.workspaceId = String(filter['workspaceId']);
  const callIds = optionalIdList(filter, 'callIds');
  if (callIds) f.callIds = callIds;
  if (withHosts) {
    const hosts = optionalIdList(filter, 'primaryUserIds');
    if (hosts) f.primaryUserIds = hosts;
  }
  if (f.fromMs !== undefined && f.toMs !== undefined && f.fromMs >= f.toMs) {
    throw badRequest('filter.fromDateTime: must be before filter.toDateTime');
  }
  return f;
}

export const listCalls: Handler = (ctx) => {
  const { req, account } = ctx;
  const f: CallFilter = {};
  const fromMs = parseDateTime(queryOne(req, 'fromDateTime'), 'fromDateTime');
  const toMs = parseDateTime(queryOne(req, 'toDateTime'), 'toDateTime');
  if (fromMs !== undefined) f.fromMs = fromMs;
  if (toMs !== undefined) f.toMs = toMs;
  const ws = queryOne(req, 'workspaceId');
  if (ws) f.workspaceId = ws;
  const calls = selectCalls(account, f);
  if (calls.length === 0) throw notFound(NO_CALLS);
  const hash = inputsHash(`${account.key} GET /v2/calls`, { ...req.query, cursor: undefined });
  const page = paginate(calls, queryOne(req, 'cursor'), hash, CALLS_PAGE_SIZE);
  return ok(ctx, { records: page.records, calls: page.items.map((c) => callBasic(account, c)) });
};

export const getCall: Handler = (ctx) => {
  const id = ctx.params['id'] ?? '';
  const call = ctx.account.calls.find((c) => c.id === id);
  if (!call) throw notFound('Call ID was not found');
  return ok(ctx, { call: callBasic(ctx.account, call) });
};

/** A call's monologues as Gong has them now: none while the call is still being processed. */
export function monologuesOf(ctx: HandlerContext, call: WorldCall): Monologue[] {
  return ctx.transcriptPending(call) ? [] : (ctx.world.transcript(call.id) ?? []);
}

/** Facts planted in a call's transcript, as far as Gong has processed it. */
export function factsOf(ctx: HandlerContext, call: WorldCall): PlantedFact[] {
  return ctx.transcriptPending(call) ? [] : ctx.world.plantedFacts(call.id);
}

export function transcriptOf(ctx: HandlerContext, call: WorldCall): Record<string, unknown> {
  return { callId: call.id, transcript: monologuesOf(ctx, call) };
}

/**
 * Gong's spec describes `callTranscripts` as "one entry per call", so a call still being processed
 * comes back with `transcript: []` by default; real accounts have been reported to leave it out
 * instead, which `pendingTranscripts: 'omit'` plays (a window of only such calls is then a 404).
 */
export const callTranscripts: Handler = (ctx) => {
  const filter = requireFilter(ctx.req);
  const selected = selectCalls(ctx.account, readCallFilter(filter, false));
  const calls = ctx.pendingTranscripts === 'omit' ? selected.filter((c) => !ctx.transcriptPending(c)) : selected;
  if (calls.length === 0) throw notFound(NO_CALLS);
  const body = bodyObject(ctx.req);
  const hash = inputsHash(`${ctx.account.key} POST /v2/calls/transcript`, { filter });
  const page = paginate(calls, body['cursor'], hash, TRANSCRIPTS_PAGE_SIZE);
  return ok(ctx, { records: page.records, callTranscripts: page.items.map((c) => transcriptOf(ctx, c)) });
};
