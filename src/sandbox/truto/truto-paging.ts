/**
 * Truto's own paging over a Gong answer (truto-api.md §3): an opaque `next_cursor` that holds
 * Gong's cursor plus an offset into that Gong page, so `limit` can cut a Gong page into several
 * Truto pages. Used by list tools and by POST reads Truto unwraps.
 */
import { trutoError, type HttpReply } from './envelope.ts';
import { asString, type ParsedQuery, type QueryValue } from './query.ts';

/** Gong's cursor of the page being served (null = Gong's first page) and the offset into it. */
export interface TrutoCursor {
  g: string | null;
  o: number;
}

export function encodeTrutoCursor(c: TrutoCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeTrutoCursor(text: string): TrutoCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<TrutoCursor>;
    const g = parsed.g === null || typeof parsed.g === 'string' ? parsed.g : undefined;
    const o = typeof parsed.o === 'number' && Number.isSafeInteger(parsed.o) && parsed.o >= 0 ? parsed.o : undefined;
    return g === undefined || o === undefined ? undefined : { g, o };
  } catch {
    return undefined;
  }
}

function parseLimit(value: QueryValue | undefined): number | undefined | 'invalid' {
  const text = asString(value);
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : 'invalid';
}

export interface PagingRequest {
  cursor: TrutoCursor;
  limit?: number;
}

/** `limit` and `next_cursor` from the query, or Truto's 400. */
export function readPaging(query: ParsedQuery): PagingRequest | HttpReply {
  const limit = parseLimit(query.limit);
  if (limit === 'invalid') return trutoError(400, 'limit must be a positive integer');
  const text = asString(query.next_cursor);
  // The toolset always sends `next_cursor=` on the first page: empty means "from the start".
  if (!text) return { cursor: { g: null, o: 0 }, ...(limit !== undefined ? { limit } : {}) };
  const cursor = decodeTrutoCursor(text);
  if (!cursor) return trutoError(400, 'next_cursor is invalid or expired');
  return { cursor, ...(limit !== undefined ? { limit } : {}) };
}

/** Gong's `records.cursor`, when more pages remain. */
export function gongNextCursor(body: Record<string, unknown>): string | null {
  const records = body.records;
  const cursor = typeof records === 'object' && records !== null ? (records as Record<string, unknown>).cursor : undefined;
  return typeof cursor === 'string' && cursor !== '' ? cursor : null;
}

/**
 * Truto's list envelope for one Gong page's `items`. A Truto page never spans two Gong pages, so
 * the page at a Gong page boundary may be short.
 */
export function listEnvelope(items: unknown[], paging: PagingRequest, gongNext: string | null): HttpReply {
  const { cursor, limit } = paging;
  const end = limit === undefined ? items.length : Math.min(items.length, cursor.o + limit);
  const page = items.slice(cursor.o, end);
  let next: TrutoCursor | null = null;
  if (end < items.length) next = { g: cursor.g, o: end };
  else if (gongNext) next = { g: gongNext, o: 0 };
  return {
    status: 200,
    headers: {},
    body: { result: page, next_cursor: next ? encodeTrutoCursor(next) : null, prev_cursor: null, result_count: page.length },
  };
}
