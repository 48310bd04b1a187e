/**
 * Every error class of the upstream tier, in one place: the Truto HTTP errors (one class per
 * status family, built by `makeTrutoError`, openai-node's pattern), the Truto client's tool-lookup
 * errors, the rate governor's waits, the LLM client's context overflow, and the write guard's
 * refusal. All extend the platform's FleetError family, so `retryable` (from the one retry policy)
 * and `retryAfterMs` are what the worker runtime reads. Messages name the tool and the status,
 * never the API key or a payload.
 */
import { FleetError, NonRetryableError, RetryAfterError, retryDecision, serverDelayMs, type FleetErrorOptions } from '../platform/index.ts';

/** How long a 429 that named no reset makes a job wait, in ms (what the worker runtime always assumed). */
export const DEFAULT_429_WAIT_MS = 10_000;

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
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}, extra = '', retryAfterMs?: number) {
    const detail = errorDetail(body);
    const where = ctx.tool ? ` on ${ctx.tool}` : '';
    super(
      `Truto ${status}${where}${extra ? `: ${extra}` : ''}${detail ? ` (${detail})` : ''}`,
      retryDecision({ status, headers, attempt: 1 }).retry,
      { cause: ctx.cause, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
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

/**
 * The Gong OAuth scopes a 403 says are missing: Truto's insight
 * (`truto_error_insight.forbidden_error.value.missing_scopes`, or a top-level `forbidden_error` as
 * older docs show it) when it lists any, else scopes named in the message or raw_response.
 */
export function parseMissingScopes(body: unknown): string[] {
  const rec = asRecord(body);
  const insight = asRecord(asRecord(asRecord(rec?.truto_error_insight)?.forbidden_error)?.value) ?? asRecord(asRecord(rec?.forbidden_error)?.value);
  const listed = insight?.missing_scopes;
  if (Array.isArray(listed)) {
    const scopes = listed.filter((s): s is string => typeof s === 'string' && s !== '');
    if (scopes.length > 0) return [...new Set(scopes)];
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return [...new Set(text.match(SCOPE_RE) ?? [])];
}

/** The first missing scope a 403 names (see parseMissingScopes). */
export function parseMissingScope(body: unknown): string | undefined {
  return parseMissingScopes(body)[0];
}

export class TrutoScopeError extends TrutoApiError {
  override readonly name = 'TrutoScopeError';
  /** e.g. `api:calls:read:transcript`; undefined when the body did not say. */
  readonly missingScope: string | undefined;
  /** Every scope the 403 names as missing (a fact from Truto or Gong); empty when it names none. */
  readonly missingScopes: string[];
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}) {
    const missingScopes = parseMissingScopes(body);
    const extra = missingScopes.length ? `missing Gong scope${missingScopes.length > 1 ? 's' : ''} ${missingScopes.join(', ')}` : 'forbidden';
    super(status, headers, body, ctx, extra);
    this.missingScopes = missingScopes;
    this.missingScope = missingScopes[0];
  }
}

/**
 * A 429. It is a `RetryAfterError` too (see platform/errors.ts): `retryAfterMs` is the server's
 * reset, or DEFAULT_429_WAIT_MS when the response named none, so the worker runtime delays the
 * job instead of spending an attempt.
 */
export class TrutoRateLimitError extends TrutoApiError {
  override readonly name = 'TrutoRateLimitError';
  /** Wait the server asked for (retry-after-ms, retry-after, ratelimit-reset), in ms; undefined if none. */
  readonly resetMs: number | undefined;
  declare readonly retryAfterMs: number;
  constructor(status: number, headers: Record<string, string>, body: unknown, ctx: TrutoErrorContext = {}) {
    const reset = serverDelayMs(headers, ctx.nowMs ?? Date.now());
    super(status, headers, body, ctx, reset ? `rate limited, reset in ${reset.delayMs} ms` : 'rate limited', reset?.delayMs ?? DEFAULT_429_WAIT_MS);
    this.resetMs = reset?.delayMs;
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

/** No tool of that name on the account; lists the closest names. */
export class UnknownToolError extends NonRetryableError {
  override readonly name: string = 'UnknownToolError';
  readonly suggestions: string[];
  constructor(toolName: string, accountId: string, suggestions: string[]) {
    const hint = suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '';
    super(`Unknown Truto tool ${toolName} on integrated account ${accountId}${hint}`);
    this.suggestions = suggestions;
  }
}

/**
 * The account's `/tools` lists no tool for what the fleet wanted. Truto's list is all the fleet can
 * see: a tool may be absent because the integration maps that Gong endpoint under another name (or
 * not at all), or because the connection lacks a scope. So the error names what was looked for,
 * the listed tools whose names are closest, and the scope the tool usually needs as a *likely*
 * cause, never as a fact (a 403 naming missing scopes is the fact: TrutoScopeError).
 */
export class ToolAbsentError extends UnknownToolError {
  override readonly name = 'ToolAbsentError';
  /** What was looked for, e.g. `create_a_gong_calls_transcript` or `transcripts by call ids`. */
  readonly wanted: string;
  /** Tool names (and `resource/method` pairs) that would have served. */
  readonly candidates: string[];
  /** The Gong scope such a tool usually needs; a likely cause, not confirmed. */
  readonly likelyScope: string | undefined;
  constructor(opts: { accountId: string; wanted: string; candidates?: string[]; closest: string[]; likelyScope?: string | undefined }) {
    super(opts.wanted, opts.accountId, opts.closest);
    const looked = opts.candidates?.length ? ` (looked for ${opts.candidates.join(', ')})` : '';
    const closest = opts.closest.length ? `; closest listed: ${opts.closest.join(', ')}` : '; it lists no similar tool';
    const scope = opts.likelyScope
      ? `; likely cause (not confirmed): the connection lacks Gong scope ${opts.likelyScope}, or the integration does not map this endpoint`
      : '';
    this.message = `integrated account ${opts.accountId} lists no tool for ${opts.wanted}${looked} in /tools${closest}${scope}`;
    this.wanted = opts.wanted;
    this.candidates = opts.candidates ?? [];
    this.likelyScope = opts.likelyScope;
  }
}

/**
 * An argument the fleet must send has no home in the tool's schema (or the tool requires a key
 * the fleet has no value for). Raised before any request: sending it would lose the argument or
 * earn Gong's 400 for the missing field.
 */
export class ArgumentHomeError extends NonRetryableError {
  override readonly name = 'ArgumentHomeError';
  readonly tool: string;
  /** The logical argument (Gong's name, e.g. `filter.callIds`) or the tool's required key. */
  readonly argument: string;
  constructor(tool: string, argument: string, message: string) {
    super(message);
    this.tool = tool;
    this.argument = argument;
  }
}

/**
 * The client refused to send a request: arguments its tool's schema does not declare would be
 * dropped by Truto (its toolset sends only declared keys), so the request would silently do
 * something other than what was asked.
 */
export class DroppedArgumentError extends NonRetryableError {
  override readonly name = 'DroppedArgumentError';
  readonly tool: string;
  /** Undeclared keys, nested ones dotted (`filter.foo`). */
  readonly keys: string[];
  constructor(tool: string, keys: string[]) {
    super(`refusing to call ${tool}: its schema does not declare ${keys.map((k) => `\`${k}\``).join(', ')}, so Truto would drop ${keys.length === 1 ? 'it' : 'them'}`);
    this.tool = tool;
    this.keys = keys;
  }
}

/** A job without `writes: true` tried to use a write tool. Never retried. */
export class WriteRefusedError extends NonRetryableError {
  constructor(tool: string) {
    super(`write tool ${tool} refused: this job is read-only (only jobs defined with writes: true may write to Gong)`);
    this.name = 'WriteRefusedError';
  }
}

/**
 * A prompt that does not fit the model's context window. Retryable when the server refused it
 * (or cut it) and the fleet learned a smaller window from that: the next attempt, split to the new
 * budget, can fit. Not retryable when the client saw before sending that the prompt exceeds the
 * budget it already knows. Callers that can split (map, reduce) catch it either way and re-split.
 */
export class ContextOverflowError extends FleetError {
  /** The prompt's size in fleet tokens. */
  readonly promptTokens: number;
  /** What a prompt of this kind may use now, in fleet tokens, when the client knows. */
  readonly budgetTokens: number | undefined;
  constructor(message: string, promptTokens: number, options: FleetErrorOptions & { retryable?: boolean; budgetTokens?: number } = {}) {
    super(message, options.retryable ?? false, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ContextOverflowError';
    this.promptTokens = promptTokens;
    this.budgetTokens = options.budgetTokens;
  }
}

/**
 * The model stopped at the output limit (finish_reason "length"), so its answer is cut and
 * unusable. The same request would stop at the same place: callers ask for less (a smaller input).
 */
export class OutputLengthError extends NonRetryableError {
  readonly maxOutputTokens: number;
  constructor(message: string, maxOutputTokens: number) {
    super(message);
    this.name = 'OutputLengthError';
    this.maxOutputTokens = maxOutputTokens;
  }
}

/** Why the rate governor cannot let a request go out now. */
export type WaitReason = 'blocked' | 'rate' | 'daily';

/**
 * The next governor slot is further away than a worker should sleep. "Delay the job by
 * `retryAfterMs`, don't burn an attempt": waiting on a limit is not a failure. Carries the bucket
 * and why it waits, so logs can say which account is throttled and by what.
 */
export class RateLimitWaitError extends RetryAfterError {
  readonly bucket: string;
  readonly reason: WaitReason;
  /** Time until the earliest slot; `retryAfterMs` may be shorter (ask again once it is near). */
  readonly waitMs: number;
  constructor(bucket: string, reason: WaitReason, retryAfterMs: number, waitMs = retryAfterMs, options: Omit<FleetErrorOptions, 'retryAfterMs'> = {}) {
    super(`rate governor: ${bucket} is ${describeWait(reason)}; retry in ${Math.ceil(retryAfterMs)} ms`, retryAfterMs, options);
    this.name = 'RateLimitWaitError';
    this.bucket = bucket;
    this.reason = reason;
    this.waitMs = Math.ceil(waitMs);
  }
}

/**
 * The governor's wait exceeds `maxTotalWaitMs` (usually Gong's daily budget spent early in the UTC
 * day, or a very long block): holding the job that long would hide the problem, so it fails for good.
 */
export class DailyBudgetExhaustedError extends NonRetryableError {
  readonly bucket: string;
  readonly reason: WaitReason;
  /** How long the governor would have made the caller wait. */
  readonly waitMs: number;
  constructor(bucket: string, reason: WaitReason, waitMs: number, options: Omit<FleetErrorOptions, 'retryAfterMs'> = {}) {
    super(
      `rate governor: ${bucket} is ${describeWait(reason)} for ${Math.ceil(waitMs / 60_000)} more minutes, longer than the fleet waits`,
      options,
    );
    this.name = 'DailyBudgetExhaustedError';
    this.bucket = bucket;
    this.reason = reason;
    this.waitMs = Math.ceil(waitMs);
  }
}

function describeWait(reason: WaitReason): string {
  if (reason === 'daily') return 'out of its daily request budget';
  if (reason === 'blocked') return 'blocked by upstream rate-limit headers';
  return 'at its request rate';
}

/**
 * A read outside a job (a producer's plan) failed transiently on every attempt `retryRead` gave
 * it. Names the read, the attempts and the last failure. Still retryable: a later run, or a job
 * that planned (a scheduled sweep), may well succeed.
 */
export class ReadRetriesExhaustedError extends FleetError {
  readonly label: string;
  readonly attempts: number;
  constructor(label: string, attempts: number, last: Error) {
    super(`${label} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last.message}`, true, { cause: last });
    this.name = 'ReadRetriesExhaustedError';
    this.label = label;
    this.attempts = attempts;
  }
}
