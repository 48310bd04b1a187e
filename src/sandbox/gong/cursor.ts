/**
 * Opaque, JWT-shaped page cursors. The payload binds the position to a hash of every other input
 * of the request, so a cursor replayed with different inputs is refused like Gong does (400).
 */
import { hash32 } from '../world/prng.ts';
import { badRequest } from './http.ts';

/** Same header as the cursor in Gong's spec example (`{"alg":"HS256"}`). */
const HEADER = 'eyJhbGciOiJIUzI1NiJ9';
const SECRET = 'gong-sandbox-cursor';

interface CursorPayload {
  /** Offset of the next record. */
  o: number;
  /** Page number of the next page. */
  p: number;
  /** Hash of the request inputs (everything except the cursor). */
  h: string;
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const obj = v as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function inputsHash(scope: string, inputs: unknown): string {
  const s = `${scope}|${stableStringify(inputs)}`;
  return hash32(s).toString(36) + hash32(`${s}|2`).toString(36);
}

function sign(payload: string): string {
  return Buffer.from(`${hash32(`${SECRET}|${payload}`).toString(16)}${hash32(`${payload}|${SECRET}`).toString(16)}`).toString('base64url');
}

export function encodeCursor(offset: number, page: number, hash: string): string {
  const payload = Buffer.from(JSON.stringify({ o: offset, p: page, h: hash } satisfies CursorPayload)).toString('base64url');
  return `${HEADER}.${payload}.${sign(payload)}`;
}

/** Position encoded in `cursor`, checked against this request's inputs; undefined → first page. */
export function decodeCursor(cursor: unknown, hash: string): { offset: number; page: number } {
  if (cursor === undefined || cursor === null || cursor === '') return { offset: 0, page: 0 };
  const parts = typeof cursor === 'string' ? cursor.split('.') : [];
  const [header, payload, sig] = parts;
  if (parts.length !== 3 || header !== HEADER || !payload || sig !== sign(payload)) {
    throw badRequest('cursor is invalid');
  }
  let decoded: CursorPayload;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw badRequest('cursor is invalid');
  }
  // Gong's wording when a cursor no longer matches the query it came from.
  if (decoded.h !== hash) throw badRequest('cursor has expired');
  return { offset: decoded.o, page: decoded.p };
}

export interface Page<T> {
  items: T[];
  records: { totalRecords: number; currentPageSize: number; currentPageNumber: number; cursor?: string };
}

/** Slice `all` at the cursor's position; `cursor` in records only when more remain. */
export function paginate<T>(all: T[], cursor: unknown, hash: string, pageSize: number): Page<T> {
  const { offset, page } = decodeCursor(cursor, hash);
  const items = all.slice(offset, offset + pageSize);
  const next = offset + items.length;
  const records: Page<T>['records'] = { totalRecords: all.length, currentPageSize: items.length, currentPageNumber: page };
  if (next < all.length) records.cursor = encodeCursor(next, page + 1, hash);
  return { items, records };
}
