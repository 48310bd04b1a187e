/** Response helpers shared by the Gong handlers: Gong's error body, request ids, date parsing. */
import type { GongRequest, GongResponse } from '../types.ts';
import type { World } from '../world/world.ts';
import type { AccountData, WorldCall } from '../world/types.ts';

/** Thrown inside handlers; the router turns it into Gong's `{requestId, errors:[…]}` body. */
export class GongHttpError extends Error {
  override name = 'GongHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface HandlerContext {
  req: GongRequest;
  world: World;
  account: AccountData;
  requestId: string;
  /** Current time from the injected clock (ms). */
  clockMs: number;
  /** Path parameters captured by the route, e.g. `{ id: '123' }`. */
  params: Record<string, string>;
  /** True while Gong is still processing the call: its transcript (and what derives from it) is empty. */
  transcriptPending: (call: WorldCall) => boolean;
  /** Whether a pending call is left out of transcript answers (`omit`) or sent with `transcript: []`. */
  pendingTranscripts: 'empty' | 'omit';
}

export type Handler = (ctx: HandlerContext) => GongResponse;

let requestCounter = 0;
/** Gong-style request id: 19 lowercase base-36 characters. */
export function newRequestId(clockMs: number): string {
  requestCounter = (requestCounter + 1) % 1_000_000;
  const base = clockMs.toString(36) + requestCounter.toString(36).padStart(4, '0') + Math.random().toString(36).slice(2);
  return base.slice(0, 19).padEnd(19, '0');
}

export function ok(ctx: HandlerContext, body: Record<string, unknown>, status = 200): GongResponse {
  return { status, body: { requestId: ctx.requestId, ...body } };
}

export function errorBody(requestId: string, status: number, message: string, headers?: Record<string, string>): GongResponse {
  return { status, body: { requestId, errors: [message] }, ...(headers ? { headers } : {}) };
}

export function badRequest(message: string): GongHttpError {
  return new GongHttpError(400, message);
}

export function notFound(message: string): GongHttpError {
  return new GongHttpError(404, message);
}

/** ISO-8601 without milliseconds, as Gong prints date-times. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** First value of a query parameter (repeated keys arrive as arrays). */
export function queryOne(req: GongRequest, name: string): string | undefined {
  const v = req.query[name];
  return Array.isArray(v) ? v[0] : v;
}

export function queryAll(req: GongRequest, name: string): string[] {
  const v = req.query[name] ?? req.query[`${name}[]`];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function parseDateTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw badRequest(`${field}: must be a valid ISO-8601 date-time, e.g. 2024-01-01T00:00:00Z`);
  }
  return Date.parse(value);
}

/** `YYYY-MM-DD` in the company time zone (the sandbox companies all run on UTC). */
export function parseDay(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badRequest(`${field}: must be a date in the format YYYY-MM-DD`);
  }
  return Date.parse(`${value}T00:00:00Z`);
}

export function bodyObject(req: GongRequest): Record<string, unknown> {
  const body = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('Malformed request: body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A request `filter` object; required on most POST endpoints. */
export function requireFilter(req: GongRequest): Record<string, unknown> {
  const filter = bodyObject(req)['filter'];
  if (filter === undefined || filter === null) throw badRequest('filter: must not be null');
  if (typeof filter !== 'object' || Array.isArray(filter)) throw badRequest('filter: must be an object');
  return filter as Record<string, unknown>;
}

/** Optional id list: absent/null is fine, `[]` is Gong's 400, non-strings are malformed. */
export function optionalIdList(filter: Record<string, unknown>, field: string, prefix = 'filter'): string[] | undefined {
  const v = filter[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw badRequest(`${prefix}.${field}: must be an array`);
  if (v.length === 0) throw badRequest(`${prefix}.${field}: must not be empty but can be null or can be omitted`);
  return v.map((x) => String(x));
}
