/**
 * Truto's proxy API over the simulated Gong: resolves `/proxy/:resource[/:id]` plus the HTTP verb
 * to a catalog tool, turns it into Gong's request, and wraps Gong's answer the way Truto does
 * (truto-api.md §2-§3): lists become `{result, next_cursor, prev_cursor, result_count}`, everything
 * else is Gong's body verbatim, and Gong's errors become remote-error envelopes.
 */
import type { GongApi, GongRequest, GongResponse } from '../types.ts';
import { remoteError, trutoError, type HttpReply } from './envelope.ts';
import { asString, toGongQuery, type ParsedQuery, type QueryValue } from './query.ts';
import { findTool, hasResource, type CatalogTool } from './tool-catalog.ts';

export interface ProxyCall {
  accountId: string;
  httpMethod: string;
  resource: string;
  /** The path segment after the resource: a record id or a custom method name. */
  segment?: string;
  /** Parsed query without `integrated_account_id`. */
  query: ParsedQuery;
  body?: unknown;
  files?: Record<string, Buffer>;
}

export type ResolvedProxyCall = { tool: CatalogTool; call: ProxyCall; id?: string };

/** Finds the tool a proxy call means, or the Truto 404/405 to send. */
export function resolveProxyCall(call: ProxyCall): ResolvedProxyCall | HttpReply {
  if (!hasResource(call.resource)) {
    return trutoError(404, `Resource ${call.resource} not found for integration gong`);
  }
  const verb = call.httpMethod.toUpperCase();
  const hasSegment = call.segment !== undefined && call.segment !== '';
  let method: string | undefined;
  if (verb === 'GET') method = hasSegment ? 'get' : 'list';
  else if (verb === 'POST') method = hasSegment ? call.segment : 'create';
  else if (verb === 'PATCH' || verb === 'PUT') method = hasSegment ? 'update' : undefined;
  else if (verb === 'DELETE') method = hasSegment ? 'delete' : undefined;
  const tool = method === undefined ? undefined : findTool(call.resource, method);
  if (!tool) {
    const what = method ?? `${verb} without an id`;
    return trutoError(404, `Method ${what} not found on resource ${call.resource} for integration gong`);
  }
  const withId = tool.method === 'get' || tool.method === 'update' || tool.method === 'delete';
  return withId ? { tool, call, id: call.segment } : { tool, call };
}

/** A Truto list cursor: Gong's own cursor plus an offset into that Gong page (for `limit`). */
interface ListCursor {
  g: string | null;
  o: number;
}

function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string): ListCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ListCursor>;
    const g = parsed.g === null || typeof parsed.g === 'string' ? parsed.g : undefined;
    const o = typeof parsed.o === 'number' && Number.isSafeInteger(parsed.o) && parsed.o >= 0 ? parsed.o : undefined;
    return g === undefined || o === undefined ? undefined : { g, o };
  } catch {
    return undefined;
  }
}

const isOk = (status: number): boolean => status >= 200 && status < 300;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Truto's own paging keys, and the toolset's echo of `id`, never reach Gong. */
function gongQuery(query: ParsedQuery, drop: readonly string[]): Record<string, string | string[]> {
  const rest: ParsedQuery = {};
  for (const [k, v] of Object.entries(query)) if (!drop.includes(k)) rest[k] = v;
  return toGongQuery(rest);
}

/** Calls Gong; a throwing handler becomes Gong's own 500 rather than taking the server down. */
async function callGong(gong: GongApi, req: GongRequest): Promise<GongResponse> {
  try {
    return await gong.handle(req);
  } catch {
    return { status: 500, body: { requestId: 'sandbox', errors: ['Failed to complete the operation due to an unexpected error'] } };
  }
}

function wrapError(res: GongResponse, tool: CatalogTool): HttpReply {
  return remoteError(res.status, res.body, res.headers ?? {}, tool.scope);
}

export async function executeProxyCall(gong: GongApi, resolved: ResolvedProxyCall): Promise<HttpReply> {
  const { tool, call, id } = resolved;
  if (tool.method === 'list') return executeList(gong, tool, call);

  const req: GongRequest = {
    accountId: call.accountId,
    method: tool.gong.method,
    path: tool.gong.path.replace(':id', id ?? ''),
    query: gongQuery(call.query, ['id']),
  };
  if (call.body !== undefined) req.body = call.body;
  if (call.files) req.files = call.files;
  const res = await callGong(gong, req);
  if (!isOk(res.status)) return wrapError(res, tool);
  if (tool.method === 'delete') return { status: 200, headers: {}, body: { id } };
  return { status: res.status, headers: {}, body: res.body };
}

function parseLimit(value: QueryValue | undefined): number | undefined | 'invalid' {
  const text = asString(value);
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : 'invalid';
}

async function executeList(gong: GongApi, tool: CatalogTool, call: ProxyCall): Promise<HttpReply> {
  const limit = parseLimit(call.query.limit);
  if (limit === 'invalid') return trutoError(400, 'limit must be a positive integer');
  const cursorText = asString(call.query.next_cursor);
  let cursor: ListCursor = { g: null, o: 0 };
  // The toolset always sends `next_cursor=` on the first page: empty means "from the start".
  if (cursorText) {
    const decoded = decodeCursor(cursorText);
    if (!decoded) return trutoError(400, 'next_cursor is invalid or expired');
    cursor = decoded;
  }

  const req: GongRequest = { accountId: call.accountId, method: tool.gong.method, path: tool.gong.path, query: {} };
  const passthrough = gongQuery(call.query, ['limit', 'next_cursor', 'id', ...(tool.filterKeys ?? []), 'filter']);
  if (tool.gong.method === 'GET') {
    req.query = passthrough;
    if (cursor.g) req.query.cursor = cursor.g;
    // Gong's GET /v2/crm/entities also takes its ids as a JSON body on the GET (gong-api.md §5).
    if (call.body !== undefined) req.body = call.body;
  } else {
    req.query = {};
    const filter: Record<string, unknown> = isRecord(call.query.filter) ? { ...call.query.filter } : {};
    for (const key of tool.filterKeys ?? []) {
      const v = call.query[key];
      if (v !== undefined) filter[key] = v;
    }
    req.body = { filter, ...(cursor.g ? { cursor: cursor.g } : {}) };
  }

  const res = await callGong(gong, req);
  if (!isOk(res.status)) return wrapError(res, tool);
  const body = isRecord(res.body) ? res.body : {};
  const items = tool.listFrom?.(body) ?? [];
  const end = limit === undefined ? items.length : Math.min(items.length, cursor.o + limit);
  const page = items.slice(cursor.o, end);
  const records = isRecord(body.records) ? body.records : {};
  const gongNext = typeof records.cursor === 'string' && records.cursor !== '' ? records.cursor : null;
  let next: ListCursor | null = null;
  if (end < items.length) next = { g: cursor.g, o: end };
  else if (gongNext) next = { g: gongNext, o: 0 };
  return {
    status: 200,
    headers: {},
    body: { result: page, next_cursor: next ? encodeCursor(next) : null, prev_cursor: null, result_count: page.length },
  };
}

/** Route label for stats: the resource and verb, with ids folded into `:id`. */
export function routeLabel(resolved: ResolvedProxyCall): string {
  const { tool } = resolved;
  const suffix = resolved.id !== undefined ? '/:id' : '';
  const verb = { list: 'GET', get: 'GET', create: 'POST', update: 'PATCH', delete: 'DELETE' }[tool.method];
  return `${verb} /proxy/${tool.resource}${suffix}`;
}
