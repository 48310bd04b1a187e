/**
 * Truto's proxy API over the simulated Gong: resolves `/proxy/:resource[/:id]` plus the HTTP verb
 * to a tool of the profile's view, maps its declared arguments back to Gong's request (undeclared
 * ones are reported and dropped), and wraps Gong's answer the way Truto does (truto-api.md §2-§3):
 * lists become `{result, next_cursor, prev_cursor, result_count}`, POST reads follow the profile's
 * `bodies` mode (post-reads.ts), everything else is Gong's body verbatim, and Gong's errors become
 * remote-error envelopes.
 */
import type { GongApi, GongRequest } from '../types.ts';
import { mapArgs } from './arg-style.ts';
import { trutoError, type HttpReply } from './envelope.ts';
import { callGong, gongRequest, wrapError, type ProxyCall, type ResolvedProxyCall } from './gong-call.ts';
import { executeRead } from './post-reads.ts';
import type { ArgStyle } from './profile.ts';
import { toGongQuery } from './query.ts';
import { findTool, hasResource, type ProfileTool } from './tool-view.ts';
import { gongNextCursor, listEnvelope, readPaging } from './truto-paging.ts';

export type { ProxyCall, ResolvedProxyCall } from './gong-call.ts';

/** Finds the tool a proxy call means and maps its arguments, or the Truto 404/405 to send. */
export function resolveProxyCall(call: ProxyCall, tools: readonly ProfileTool[], style: ArgStyle): ResolvedProxyCall | HttpReply {
  if (!hasResource(tools, call.resource)) {
    return trutoError(404, `Resource ${call.resource} not found for integration gong`);
  }
  const verb = call.httpMethod.toUpperCase();
  const hasSegment = call.segment !== undefined && call.segment !== '';
  let method: string | undefined;
  if (verb === 'GET') method = hasSegment ? 'get' : 'list';
  else if (verb === 'POST') method = hasSegment ? call.segment : 'create';
  else if (verb === 'PATCH' || verb === 'PUT') method = hasSegment ? 'update' : undefined;
  else if (verb === 'DELETE') method = hasSegment ? 'delete' : undefined;
  const tool = method === undefined ? undefined : findTool(tools, call.resource, method);
  if (!tool) {
    const what = method ?? `${verb} without an id`;
    return trutoError(404, `Method ${what} not found on resource ${call.resource} for integration gong`);
  }
  const withId = tool.method === 'get' || tool.method === 'update' || tool.method === 'delete';
  // The toolset echoes the path id as `?id=` when the schema declares it; it is the path's, not Gong's.
  const reserved = new Set([...tool.paging, ...(withId ? ['id'] : [])]);
  const args = mapArgs(tool.args, style, { query: call.query, body: call.body, ...(call.files ? { files: call.files } : {}) }, reserved);
  return withId ? { tool, call, id: call.segment, args } : { tool, call, args };
}

const isOk = (status: number): boolean => status >= 200 && status < 300;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function executeProxyCall(gong: GongApi, resolved: ResolvedProxyCall): Promise<HttpReply> {
  const { tool, id } = resolved;
  if (tool.method === 'list') return executeList(gong, resolved);
  if (tool.bodies === 'unwrapped' || tool.bodies === 'array') return executeRead(gong, resolved);

  const res = await callGong(gong, gongRequest(resolved));
  if (!isOk(res.status)) return wrapError(res, tool);
  if (tool.method === 'delete') return { status: 200, headers: {}, body: { id } };
  return { status: res.status, headers: {}, body: res.body };
}

async function executeList(gong: GongApi, resolved: ResolvedProxyCall): Promise<HttpReply> {
  const { tool, call, args } = resolved;
  const paging = readPaging(call.query);
  if ('status' in paging) return paging;
  const base = tool.base;
  const req: GongRequest = { accountId: call.accountId, method: base.gong.method, path: base.gong.path, query: {} };
  if (base.gong.method === 'GET') {
    req.query = toGongQuery(args.query);
    if (paging.cursor.g) req.query.cursor = paging.cursor.g;
    // Gong's GET /v2/crm/entities also takes its ids as a JSON body on the GET (gong-api.md §5).
    if (args.body !== undefined) req.body = args.body;
  } else {
    // A list over a Gong POST read: the query's filter fields move into the body's `filter`.
    const filter: Record<string, unknown> = {};
    for (const key of base.filterKeys ?? []) {
      const v = args.query[key];
      if (v !== undefined) filter[key] = v;
    }
    req.body = { filter, ...(paging.cursor.g ? { cursor: paging.cursor.g } : {}) };
  }

  const res = await callGong(gong, req);
  if (!isOk(res.status)) return wrapError(res, tool);
  const body = isRecord(res.body) ? res.body : {};
  return listEnvelope(base.listFrom?.(body) ?? [], paging, gongNextCursor(body));
}

/** Route label for stats: the resource and verb, with ids folded into `:id`. */
export function routeLabel(resolved: ResolvedProxyCall): string {
  const { tool } = resolved;
  const suffix = resolved.id !== undefined ? '/:id' : '';
  const verb = { list: 'GET', get: 'GET', create: 'POST', update: 'PATCH', delete: 'DELETE' }[tool.method];
  return `${verb} /proxy/${tool.resource}${suffix}`;
}
