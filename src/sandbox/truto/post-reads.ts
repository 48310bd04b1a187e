/**
 * Gong POST reads exposed as create tools (transcripts, calls-extensive, aggregate-by-period, the
 * tasks list, users-extensive) when the Truto method sets its own `response_path` (SKILLS
 * `authoring-integrations.md`):
 * - `unwrapped`: Truto's list envelope `{result, next_cursor, prev_cursor, result_count}` of the
 *   items, paged like a list tool: the next page is asked for with `?next_cursor=<value>` (and
 *   optionally `?limit=`) on the same POST with the same body. Gong's `cursor` is Truto's business.
 * - `array`: a bare JSON array of every item; Truto follows Gong's `records.cursor` itself, so
 *   the answer is not paged. The sandbox counts the whole call once against its rate limits.
 * A Gong error on any page is the answer (Truto never returns part of a list as a success).
 */
import type { GongApi, GongRequest } from '../types.ts';
import type { HttpReply } from './envelope.ts';
import { callGong, gongRequest, wrapError, type ResolvedProxyCall } from './gong-call.ts';
import { gongNextCursor, listEnvelope, readPaging } from './truto-paging.ts';

/** Most Gong pages one `array` answer collects; a loop guard, far above any sandbox world. */
const MAX_COLLECTED_PAGES = 1_000;

const isOk = (status: number): boolean => status >= 200 && status < 300;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request with Gong's body cursor set (a top-level body field next to `filter`). */
function withCursor(req: GongRequest, cursor: string | null): GongRequest {
  if (!cursor) return req;
  const body = isRecord(req.body) ? req.body : {};
  return { ...req, body: { ...body, cursor } };
}

function itemsOf(body: unknown, key: string | undefined): unknown[] {
  const value = isRecord(body) && key !== undefined ? body[key] : undefined;
  return Array.isArray(value) ? value : [];
}

export async function executeRead(gong: GongApi, resolved: ResolvedProxyCall): Promise<HttpReply> {
  const { tool, call } = resolved;
  const key = tool.base.readItems;
  const base = gongRequest(resolved);

  if (tool.bodies === 'unwrapped') {
    const paging = readPaging(call.query);
    if ('status' in paging) return paging;
    const res = await callGong(gong, withCursor(base, paging.cursor.g));
    if (!isOk(res.status)) return wrapError(res, tool);
    const body = isRecord(res.body) ? res.body : {};
    return listEnvelope(itemsOf(body, key), paging, gongNextCursor(body));
  }

  const all: unknown[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_COLLECTED_PAGES; page++) {
    const res = await callGong(gong, withCursor(base, cursor));
    if (!isOk(res.status)) return wrapError(res, tool);
    const body = isRecord(res.body) ? res.body : {};
    all.push(...itemsOf(body, key));
    cursor = gongNextCursor(body);
    if (!cursor) break;
  }
  return { status: 200, headers: {}, body: all };
}
