/**
 * Truto API errors, one class per status family, built by `makeTrutoError` (openai-node's pattern).
 * Each extends FleetError, so `retryable` (taken from the shared retry policy) is what the worker
 * runtime reads. Messages name the tool and the status, never the API key or a payload.
 */
import { FleetError, NonRetryableError, type FleetErrorOptions } from '../platform/errors.ts';
import { retryDecision, serverDelayMs } from '../platform/retry-policy.ts';

/** Truto's error envelope. Provider errors add `truto_is_remote_error` and `raw_response`. */
export interface TrutoErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  truto_is_remote_error?: boolean;
  /** The provider's body (Gong: `{requestId, errors: string[]}`), JSON if it parsed, else text. */
  raw_response?: unknown;
  [key: string]: unknown;
}

export interface TrutoErrorContext {
  /** Tool name or request label, for the message. */
  tool?: string;
  cause?: unknown;
  /** Time base for HTTP-date `retry-after`. Default Date.now(). */
  nowMs?: number;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The most specific human text in an error body: Truto's message, else the provider's errors. */
export function errorDetail(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  const rec = asRecord(body);
  if (!rec) return '';
  const raw = rec.raw_response;
  const rawRec = asRecord(raw);
  const rawErrors = rawRec && Array.isArray(rawRec.errors) ? rawRec.errors.map(String).join('; ') : undefined;
  const parts = [typeof rec.message === 'string' ? rec.message : '', rawErrors ?? (typeof raw === 'string' ? raw : '')];
  const text = parts.filter((p, i) => p && parts.indexOf(p) === i).join(' | ');
  return (text || (typeof rec.error === 'string' ? rec.error : '')).slice(0, 300);
}

/** Base of every Truto HTTP error. */
export class TrutoApiError extends FleetError {
  readonly status: number;
  /** Response headers, lower-cased names. */
  readonly headers: Record<string, string>;
  /** Gong's or Truto's request id, when present. */
  readonly requestId: string | undefined;
  /** The parsed error body (Truto envelope, `raw_response` kept). */
  readonly body: unknown;
  /** True when the provider (Gong), not Truto, produced the error. */
  readonly remote: boolean;
  readonly tool: string | undefined;
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}, extra = '') {
    const detail = errorDetail(body);
    const where = ctx.tool ? ` on ${ctx.tool}` : '';
    super(
      `Truto ${status}${where}${extra ? `: ${extra}` : ''}${detail ? ` (${detail})` : ''}`,
      retryDecision({ status, headers, attempt: 1 }).retry,
      { cause: ctx.cause },
    );
    this.name = 'TrutoApiError';
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.tool = ctx.tool;
    const rec = asRecord(body);
    this.remote = rec?.truto_is_remote_error === true;
    const rawId = asRecord(rec?.raw_response)?.requestId ?? rec?.requestId;
    this.requestId = headers['x-request-id'] ?? headers['x-truto-request-id'] ?? (typeof rawId === 'string' ? rawId : undefined);
  }
}

export class TrutoValidationError extends TrutoApiError {
  override readonly name = 'TrutoValidationError';
}
export class TrutoAuthError extends TrutoApiError {
  override readonly name = 'TrutoAuthError';
}
export class TrutoPaymentRequiredError extends TrutoApiError {
  override readonly name = 'TrutoPaymentRequiredError';
}
export class TrutoNotFoundError extends TrutoApiError {
  override readonly name = 'TrutoNotFoundError';
  /** Gong answers an empty window with 404 "No calls found…"; callers treat that as empty. */
  get isEmptyResult(): boolean {
    return /no calls found|no .* found corresponding/i.test(errorDetail(this.body));
  }
}
export class TrutoConflictError extends TrutoApiError {
  override readonly name = 'TrutoConflictError';
}
export class TrutoUnprocessableError extends TrutoApiError {
  override readonly name = 'TrutoUnprocessableError';
}
export class TrutoServerError extends TrutoApiError {
  override readonly name = 'TrutoServerError';
}

// Gong scopes look like `api:calls:read:transcript`, `api:crm:get-objects`, `api:ai-briefer:read`.
const SCOPE_RE = /\bapi(?::[a-z0-9][a-z0-9-]*)+/gi;

/** The Gong OAuth scope a 403 says is missing, from `forbidden_error`, the message or raw_response. */
export function parseMissingScope(body: unknown): string | undefined {
  const rec = asRecord(body);
  const insight = asRecord(asRecord(rec?.forbidden_error)?.value) ?? asRecord(asRecord(asRecord(rec?.truto_error_insight)?.forbidden_error)?.value);
  const listed = insight?.missing_scopes;
  if (Array.isArray(listed) && typeof listed[0] === 'string') return listed[0];
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.match(SCOPE_RE)?.[0];
}

export class TrutoScopeError extends TrutoApiError {
  override readonly name = 'TrutoScopeError';
  /** e.g. `api:calls:read:transcript`; undefined when the body did not say. */
  readonly missingScope: string | undefined;
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}) {
    const missingScope = parseMissingScope(body);
    super(status, headers, body, ctx, missingScope ? `missing Gong scope ${missingScope}` : 'forbidden');
    this.missingScope = missingScope;
  }
}

export class TrutoRateLimitError extends TrutoApiError {
  override readonly name = 'TrutoRateLimitError';
  /** Wait the server asked for (retry-after-ms, retry-after, ratelimit-reset), in ms. */
  readonly resetMs: number | undefined;
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}) {
    const reset = serverDelayMs(headers, ctx.nowMs ?? Date.now());
    super(status, headers, body, ctx, reset ? `rate limited, reset in ${reset.delayMs} ms` : 'rate limited');
    this.resetMs = reset?.delayMs;
  }
  /** Same as `resetMs`, under the name RetryAfterError uses, so a runtime can read either. */
  get retryAfterMs(): number | undefined {
    return this.resetMs;
  }
}

/** The request did not finish within `timeoutMs`. */
export class TrutoTimeoutError extends FleetError {
  override readonly name = 'TrutoTimeoutError';
  readonly tool: string | undefined;
  constructor(tool: string | undefined, timeoutMs: number, options: FleetErrorOptions = {}) {
    super(`Truto request${tool ? ` ${tool}` : ''} timed out after ${timeoutMs} ms`, true, options);
    this.tool = tool;
  }
}

/** No HTTP response at all: DNS, refused or reset connection. */
export class TrutoConnectionError extends FleetError {
  override readonly name = 'TrutoConnectionError';
  readonly tool: string | undefined;
  constructor(tool: string | undefined, detail: string, options: FleetErrorOptions = {}) {
    super(`Truto connection failed${tool ? ` for ${tool}` : ''}: ${detail}`, true, options);
    this.tool = tool;
  }
}

/** A 2xx body that does not have the shape the fleet relies on. Retrying returns the same body. */
export class TrutoResponseShapeError extends NonRetryableError {
  override readonly name = 'TrutoResponseShapeError';
}

/** Pagination would exceed `maxPages` or loop on the same cursor; never a silent truncation. */
export class PaginationLimitError extends NonRetryableError {
  override readonly name = 'PaginationLimitError';
  readonly pages: number;
  constructor(message: string, pages: number) {
    super(message);
    this.pages = pages;
  }
}

/** Maps an HTTP error response to its typed error. */
export function makeTrutoError(
  status: number,
  headers: Record<string, string>,
  body: unknown,
  ctx: TrutoErrorContext = {},
): TrutoApiError {
  switch (status) {
    case 400:
      return new TrutoValidationError(status, headers, body, ctx);
    case 401:
      return new TrutoAuthError(status, headers, body, ctx);
    case 402:
      return new TrutoPaymentRequiredError(status, headers, body, ctx);
    case 403:
      return new TrutoScopeError(status, headers, body, ctx);
    case 404:
      return new TrutoNotFoundError(status, headers, body, ctx);
    case 409:
      return new TrutoConflictError(status, headers, body, ctx);
    case 422:
      return new TrutoUnprocessableError(status, headers, body, ctx);
    case 429:
      return new TrutoRateLimitError(status, headers, body, ctx);
    default:
      return status >= 500 ? new TrutoServerError(status, headers, body, ctx) : new TrutoApiError(status, headers, body, ctx);
  }
}
