/**
 * How to find the items and the next page in an answer. Three shapes exist, and a Truto method
 * decides which one it sends (its `response_path` and `pagination`, truto-api.md "Corrections"):
 * - Truto's list envelope `{result, next_cursor}`: the next page is the same request again with
 *   `?next_cursor=` (list tools, and POST reads Truto unwraps);
 * - Gong's whole body with `records.cursor` (POST reads proxied 1:1): the cursor goes back as an
 *   argument of the request (a top-level body `cursor` in Gong's own terms);
 * - a bare array: everything in one answer, not paged.
 */
import type { TrutoTool } from './types.ts';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The page's main array: `itemsKey` when given, else the first array-valued property other than
 * `records` (`calls`, `callTranscripts`, `users`, `usersAggregateActivity`, `answeredScorecards`…).
 */
export function extractItems(body: unknown, itemsKey?: string): unknown[] {
  if (Array.isArray(body)) return body;
  const rec = asRecord(body);
  if (!rec) return [];
  if (itemsKey !== undefined) {
    const named = rec[itemsKey];
    return Array.isArray(named) ? named : [];
  }
  for (const [key, value] of Object.entries(rec)) {
    if (key !== 'records' && Array.isArray(value)) return value;
  }
  return [];
}

/** Gong's cursor for the next page; absent on the last page. */
export function gongNextCursor(body: unknown): string | undefined {
  const cursor = asRecord(asRecord(body)?.records)?.cursor;
  return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

/** How an answer is paged: Truto's envelope, Gong's body cursor, or not at all (a bare array). */
export type PagingStyle = 'truto' | 'gong' | 'none';

export interface ReadPage {
  items: unknown[];
  paging: PagingStyle;
  /** The cursor of the next page in this style; undefined on the last page. */
  next: string | undefined;
}

/** Items and next cursor of one answer, whatever its shape; undefined for a body of no known shape. */
export function readPage(body: unknown, itemsKey?: string): ReadPage | undefined {
  if (Array.isArray(body)) return { items: body, paging: 'none', next: undefined };
  const rec = asRecord(body);
  if (!rec) return undefined;
  // Truto's envelope; some of its docs spell the list `results`.
  const listed = Array.isArray(rec.result) ? rec.result : Array.isArray(rec.results) ? rec.results : undefined;
  if (listed) {
    const named = itemsKey === undefined ? undefined : rec[itemsKey];
    const next = typeof rec.next_cursor === 'string' && rec.next_cursor !== '' ? rec.next_cursor : undefined;
    return { items: Array.isArray(named) ? named : listed, paging: 'truto', next };
  }
  return { items: extractItems(rec, itemsKey), paging: 'gong', next: gongNextCursor(rec) };
}

/** A key compared the way schemas vary it: case, `_` and `-` ignored (`client_request_id` = `clientRequestId`). */
export function looseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The top-level key a tool's schemas declare for `name` (exact first, then loosely), body before query. */
export function schemaKeyFor(tool: Pick<TrutoTool, 'body_schema' | 'query_schema'>, name: string): string | undefined {
  const keys = [...Object.keys(tool.body_schema?.properties ?? {}), ...Object.keys(tool.query_schema?.properties ?? {})];
  return keys.find((k) => k === name) ?? keys.find((k) => looseKey(k) === looseKey(name));
}
