/**
 * One proxy call as the Truto layer holds it, and the single Gong request behind it: the mapped
 * arguments in Gong's keys, the path id (or the id as a Gong query parameter), and Gong's errors
 * wrapped as Truto remote errors.
 */
import type { GongApi, GongRequest, GongResponse } from '../types.ts';
import type { MappedArgs } from './arg-style.ts';
import { remoteError, type HttpReply } from './envelope.ts';
import { toGongQuery, type ParsedQuery } from './query.ts';
import type { ProfileTool } from './tool-view.ts';

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

export interface ResolvedProxyCall {
  tool: ProfileTool;
  call: ProxyCall;
  id?: string;
  /** The arguments in Gong's keys, and the ones the tool's schema does not declare. */
  args: MappedArgs;
}

/** Calls Gong; a throwing handler becomes Gong's own 500 rather than taking the server down. */
export async function callGong(gong: GongApi, req: GongRequest): Promise<GongResponse> {
  try {
    return await gong.handle(req);
  } catch {
    return { status: 500, body: { requestId: 'sandbox', errors: ['Failed to complete the operation due to an unexpected error'] } };
  }
}

export function wrapError(res: GongResponse, tool: ProfileTool): HttpReply {
  return remoteError(res.status, res.body, res.headers ?? {}, tool.scope);
}

/** Gong's request for a non-list tool: path id or id-as-query, mapped query, body and files. */
export function gongRequest(resolved: ResolvedProxyCall): GongRequest {
  const { tool, call, id, args } = resolved;
  const gong = tool.base.gong;
  const query = toGongQuery(args.query);
  if (gong.idQuery && id !== undefined) query[gong.idQuery] = id;
  const req: GongRequest = {
    accountId: call.accountId,
    method: gong.method,
    path: gong.idQuery ? gong.path : gong.path.replace(':id', id ?? ''),
    query,
  };
  if (args.body !== undefined) req.body = args.body;
  if (args.files) req.files = args.files;
  return req;
}

