/**
 * The Truto client: tool discovery (cached per account), proxy calls routed from the tool's
 * `resource`/`method`, both pagination styles, and typed errors. It never retries: BullMQ attempts
 * and the rate governor own that, fed by the typed errors and by `gate.observe`.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { openGate, type RequestGate } from '../gate.ts';
import { silentLogger } from '../../platform/index.ts';
import {
  DroppedArgumentError,
  PaginationLimitError,
  TrutoConnectionError,
  TrutoNotFoundError,
  TrutoResponseShapeError,
  TrutoTimeoutError,
  ToolAbsentError,
  makeTrutoError,
} from '../errors.ts';
import { readPage, schemaKeyFor } from './pagination.ts';
import { closestToolNames } from './tool-names.ts';
import { buildProxyRequest, type ProxyRequest } from './routing.ts';
import {
  IntegratedAccountSchema,
  ToolsResponseSchema,
  TrutoListEnvelopeSchema,
  type IntegratedAccount,
  type ToolFilter,
  type ToolPage,
  type ToolResponse,
  type TrutoTool,
} from './types.ts';
import { encodeQuery, headersToRecord, parseJsonLossless, toFormData } from './wire.ts';

export interface TrutoClientOptions {
  /** Truto API base, e.g. https://api.truto.one (a trailing slash is fine). Required. */
  baseUrl: string;
  /** Truto API token. Required; never logged, never put in error messages. */
  apiKey: string;
  /** fetch implementation. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Logger. Default silent. */
  logger?: Logger;
  /** Per-request timeout in ms, body read included. Default 30_000. */
  timeoutMs?: number;
  /** Clock in ms for the tool cache and HTTP-date headers. Default Date.now. */
  clock?: () => number;
  /** How long a tool list stays cached per account and filter, in ms. Default 300_000. */
  toolsTtlMs?: number;
  /** Page cap for iteration before PaginationLimitError. Default 1_000. */
  maxPages?: number;
  /** Fleet rate gate, bucket = integrated account id, for every proxy request. Default openGate. */
  gate?: RequestGate;
  /**
   * The Gong scope a known tool usually needs (e.g. tool-access.ts `requiredScope`): a tool the
   * account does not list fails as ToolAbsentError naming it as a likely cause. Default: none.
   */
  missingToolHint?: (toolName: string) => string | undefined;
}

export interface CallOptions {
  /** Cancels the request; its reason is rethrown as is. Default none. */
  signal?: AbortSignal;
  /** Told, per proxy request, how long the rate gate held it and how long the request took (agent step logs). Default none. */
  onTiming?: (t: RequestTiming) => void;
}

/** One proxy request's timing, in ms. */
export interface RequestTiming {
  /** Time spent in the rate gate (the governor) before the request went out. */
  gateWaitMs: number;
  /** From sending to the whole body read. */
  durationMs: number;
  /** HTTP status (0 when the request never got an answer). */
  status: number;
}

export interface IterateOptions extends CallOptions {
  /** Page cap. Default: the client's maxPages. */
  maxPages?: number;
  /** Name of the items array in a Gong body, e.g. `callTranscripts`. Default: the first array. */
  itemsKey?: string;
  /** Treat Gong's 404 "No calls found…" on the first page as no pages. Default false. */
  notFoundAsEmpty?: boolean;
  /**
   * The arguments for the next page of an answer paged by Gong's `records.cursor`, e.g. the cursor
   * put where the tool's schema declares it. Default: a top-level argument the schema declares as
   * `cursor` (any case or separators), else PaginationLimitError (never a silent first page only).
   */
  withCursor?: (args: Record<string, unknown>, cursor: string) => Record<string, unknown>;
}

export interface CollectOptions<T> extends IterateOptions {
  /** Validates (and may transform) every item; a mismatch throws TrutoResponseShapeError. Default none. */
  itemSchema?: z.ZodType<T>;
}

interface SendSpec {
  label: string;
  httpMethod: string;
  path: string;
  query: Record<string, unknown>;
  body?: Record<string, unknown> | undefined;
  multipart?: boolean;
  /** Gate bucket; only proxy requests pass through the gate. */
  bucket?: string;
  signal?: AbortSignal | undefined;
  onTiming?: CallOptions['onTiming'];
}

function describeZodError(err: z.ZodError): string {
  // Paths only: values may be transcripts or personal data.
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export class TrutoClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly toolsTtlMs: number;
  private readonly maxPages: number;
  private readonly gate: RequestGate;
  private readonly missingToolHint: (toolName: string) => string | undefined;
  private readonly toolCache = new Map<string, { expiresAtMs: number; tools: Promise<TrutoTool[]> }>();

  constructor(opts: TrutoClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.log = opts.logger ?? silentLogger;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.clock = opts.clock ?? Date.now;
    this.toolsTtlMs = opts.toolsTtlMs ?? 300_000;
    this.maxPages = opts.maxPages ?? 1_000;
    this.gate = opts.gate ?? openGate;
    this.missingToolHint = opts.missingToolHint ?? (() => undefined);
  }

  /** Every integrated account visible to the token (`GET /integrated-account`, all pages). */
  async listIntegratedAccounts(opts: CallOptions = {}): Promise<IntegratedAccount[]> {
    const accounts: IntegratedAccount[] = [];
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= this.maxPages) throw new PaginationLimitError(`list integrated accounts: more than ${this.maxPages} pages`, page);
      const res = await this.send({
        label: 'list integrated accounts',
        httpMethod: 'GET',
        path: '/integrated-account',
        query: cursor ? { next_cursor: cursor } : {},
        signal: opts.signal,
      });
      const env = this.parse(TrutoListEnvelopeSchema, res.body, 'list integrated accounts');
      for (const item of env.result) accounts.push(this.parse(IntegratedAccountSchema, item, 'integrated account'));
      if (!env.next_cursor || env.next_cursor === cursor) return accounts;
      cursor = env.next_cursor;
    }
  }

  /**
   * The account's tools, cached for `toolsTtlMs` per account and filter. Reads `result ?? results`.
   * Asks with `has_description=false` unless told otherwise: Truto hides tools without a
   * description by default, and an undocumented method is still a method the fleet can use.
   */
  listTools(accountId: string, filter: ToolFilter = {}): Promise<TrutoTool[]> {
    const methods = filter.methods?.length ? filter.methods.join(',') : undefined;
    const tags = filter.tags?.length ? filter.tags.join(',') : undefined;
    const hasDescription = filter.hasDescription === true ? undefined : 'false';
    const key = `${accountId}\u0000${methods ?? ''}\u0000${tags ?? ''}\u0000${hasDescription ?? ''}`;
    const now = this.clock();
    const hit = this.toolCache.get(key);
    if (hit && hit.expiresAtMs > now) return hit.tools;

    const tools = (async () => {
      const res = await this.send({
        label: 'list tools',
        httpMethod: 'GET',
        path: `/integrated-account/${encodeURIComponent(accountId)}/tools`,
        query: { methods, tags, has_description: hasDescription },
      });
      const parsed = this.parse(ToolsResponseSchema, res.body, 'list tools');
      return parsed.result ?? parsed.results ?? [];
    })();
    this.toolCache.set(key, { expiresAtMs: now + this.toolsTtlMs, tools });
    // A failed discovery must not be served from the cache for five minutes.
    tools.catch(() => {
      if (this.toolCache.get(key)?.tools === tools) this.toolCache.delete(key);
    });
    return tools;
  }

  /**
   * The tool with exactly this name, else ToolAbsentError naming the closest listed tools and (see
   * `missingToolHint`) the scope such a tool usually needs, as a likely cause only.
   */
  async findTool(accountId: string, name: string): Promise<TrutoTool> {
    const tools = await this.listTools(accountId);
    const found = tools.find((t) => t.name === name);
    if (found) return found;
    throw new ToolAbsentError({ accountId, wanted: name, closest: closestToolNames(tools, [name]), likelyScope: this.missingToolHint(name) });
  }

  /** One proxy call. Non-2xx throws the typed error for its status. */
  async callTool(
    accountId: string,
    tool: string | TrutoTool,
    args: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<ToolResponse> {
    const resolved = await this.resolve(accountId, tool);
    return this.sendProxy(resolved, accountId, this.build(resolved, accountId, args), opts.signal, opts.onTiming);
  }

  /**
   * Pages of a tool, in whichever shape the answer comes: Truto's list envelope (`{result,
   * next_cursor}`: the same request again with `?next_cursor=`), Gong's whole body (`records.cursor`:
   * the cursor goes back as an argument, see `withCursor`) or a bare array (one page). Every page is
   * read; a page cap that is hit is an error, never a truncated answer.
   */
  async *iterateTool(
    accountId: string,
    tool: string | TrutoTool,
    args: Record<string, unknown>,
    opts: IterateOptions = {},
  ): AsyncGenerator<ToolPage, void, undefined> {
    const resolved = await this.resolve(accountId, tool);
    const maxPages = opts.maxPages ?? this.maxPages;
    // Truto's own paging parameter is managed here, whatever the method (list or unwrapped POST read).
    const { next_cursor: startCursor, ...base } = args;
    let trutoCursor = typeof startCursor === 'string' && startCursor !== '' ? startCursor : undefined;
    let gongCursor: string | undefined;

    for (let pageIndex = 0; ; pageIndex++) {
      if (pageIndex >= maxPages) {
        throw new PaginationLimitError(
          `${resolved.name}: more than ${maxPages} pages; narrow the filter or raise maxPages`,
          pageIndex,
        );
      }
      const pageArgs = gongCursor === undefined ? base : this.cursorArgs(resolved, base, gongCursor, opts);
      const req = this.build(resolved, accountId, pageArgs);
      if (trutoCursor !== undefined) req.query.next_cursor = trutoCursor;
      let res: ToolResponse;
      try {
        res = await this.sendProxy(resolved, accountId, req, opts.signal, opts.onTiming);
      } catch (err) {
        if (pageIndex === 0 && opts.notFoundAsEmpty && err instanceof TrutoNotFoundError && err.isEmptyResult) return;
        throw err;
      }
      const page = readPage(res.body, opts.itemsKey);
      if (!page) throw new TrutoResponseShapeError(`${resolved.name}: unexpected response shape (neither a list envelope, a Gong body nor an array)`);
      yield { items: page.items, body: res.body, pageIndex, paging: page.paging };
      if (page.next === undefined) return;
      const previous = page.paging === 'truto' ? trutoCursor : gongCursor;
      if (page.next === previous) {
        throw new PaginationLimitError(`${resolved.name}: the server returned the same cursor twice`, pageIndex + 1);
      }
      if (page.paging === 'truto') trutoCursor = page.next;
      else gongCursor = page.next;
    }
  }

  /** Items of every page, optionally validated one by one. */
  async collectAll<T = unknown>(
    accountId: string,
    tool: string | TrutoTool,
    args: Record<string, unknown>,
    opts: CollectOptions<T> = {},
  ): Promise<T[]> {
    const out: T[] = [];
    const label = typeof tool === 'string' ? tool : tool.name;
    for await (const page of this.iterateTool(accountId, tool, args, opts)) {
      for (const item of page.items) {
        out.push(opts.itemSchema ? this.parse(opts.itemSchema, item, `${label} item`) : (item as T));
      }
    }
    return out;
  }

  private resolve(accountId: string, tool: string | TrutoTool): Promise<TrutoTool> {
    return typeof tool === 'string' ? this.findTool(accountId, tool) : Promise.resolve(tool);
  }

  /** The proxy request, or DroppedArgumentError: a request Truto would strip of arguments is never sent. */
  private build(tool: TrutoTool, accountId: string, args: Record<string, unknown>): ProxyRequest {
    const req = buildProxyRequest(tool, accountId, args);
    const dropped = req.droppedKeys.filter((k) => k.includes('.') || args[k] !== undefined);
    if (dropped.length) throw new DroppedArgumentError(tool.name, dropped);
    return req;
  }

  /** The arguments for the page after Gong's `cursor`. */
  private cursorArgs(tool: TrutoTool, args: Record<string, unknown>, cursor: string, opts: IterateOptions): Record<string, unknown> {
    if (opts.withCursor) return opts.withCursor(args, cursor);
    const key = schemaKeyFor(tool, 'cursor');
    if (key === undefined) {
      throw new PaginationLimitError(
        `${tool.name}: the answer has more pages (Gong's records.cursor) but the tool declares no cursor argument to ask for them`,
        1,
      );
    }
    return { ...args, [key]: cursor };
  }

  private sendProxy(tool: TrutoTool, accountId: string, req: ProxyRequest, signal?: AbortSignal, onTiming?: CallOptions['onTiming']): Promise<ToolResponse> {
    return this.send({
      label: tool.name,
      httpMethod: req.httpMethod,
      path: req.path,
      query: req.query,
      body: req.body,
      multipart: req.multipart,
      bucket: accountId,
      signal,
      onTiming,
    });
  }

  private parse<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new TrutoResponseShapeError(`${label}: unexpected response shape (${describeZodError(result.error)})`);
    }
    return result.data;
  }

  private redact(text: string): string {
    return this.apiKey.length >= 4 ? text.split(this.apiKey).join('[REDACTED]') : text;
  }

  private async send(spec: SendSpec): Promise<ToolResponse> {
    const qs = encodeQuery(spec.query);
    const url = `${this.baseUrl}${spec.path}${qs ? `?${qs}` : ''}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'application/json',
      'User-Agent': 'gong-fleet/0.1',
    };
    let body: string | FormData | undefined;
    if (spec.body !== undefined) {
      if (spec.multipart) {
        body = toFormData(spec.body); // fetch sets the multipart boundary header itself
      } else {
        body = JSON.stringify(spec.body);
        headers['Content-Type'] = 'application/json';
      }
    }

    spec.signal?.throwIfAborted();
    const gateKey = spec.bucket === undefined ? undefined : { bucket: spec.bucket };
    const gateStartMs = Date.now();
    if (gateKey) await this.gate.acquire(gateKey);
    const gateWaitMs = Date.now() - gateStartMs;
    spec.signal?.throwIfAborted(); // the gate may have slept past a shutdown

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([timeout.signal, spec.signal]) : timeout.signal;
    const startedMs = Date.now();
    let status: number;
    let resHeaders: Record<string, string>;
    let text: string;
    try {
      const res = await this.fetchImpl(url, { method: spec.httpMethod, headers, body, signal });
      status = res.status;
      resHeaders = headersToRecord(res.headers);
      text = await res.text();
    } catch (err) {
      spec.onTiming?.({ gateWaitMs, durationMs: Date.now() - startedMs, status: 0 });
      if (spec.signal?.aborted) throw spec.signal.reason;
      if (timeout.signal.aborted) throw new TrutoTimeoutError(spec.label, this.timeoutMs, { cause: err });
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      const detail = typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
      this.log.warn({ tool: spec.label, method: spec.httpMethod, path: spec.path, err: this.redact(detail) }, 'truto: connection failed');
      const leaks = err instanceof Error && this.redact(`${err.message}${String(err.stack)}`) !== `${err.message}${String(err.stack)}`;
      throw new TrutoConnectionError(spec.label, this.redact(detail), { cause: leaks ? undefined : err });
    } finally {
      clearTimeout(timer);
    }

    if (gateKey) {
      await this.gate.observe(gateKey, { status, headers: resHeaders }).catch((err: unknown) => {
        this.log.warn({ err: String(err) }, 'truto: gate.observe failed');
      });
    }

    // An error body may echo the Authorization header; scrub it before it reaches message, body or logs.
    const ok = status >= 200 && status < 300;
    const parsedBody = this.parseBody(status, resHeaders, ok ? text : this.redact(text));
    const durationMs = Date.now() - startedMs;
    spec.onTiming?.({ gateWaitMs, durationMs, status });
    this.log.debug({ tool: spec.label, method: spec.httpMethod, path: spec.path, status, durationMs }, 'truto request');
    if (!ok) {
      const err = makeTrutoError(status, resHeaders, parsedBody, { tool: spec.label, nowMs: this.clock() });
      this.log.debug({ tool: spec.label, status, requestId: err.requestId, remote: err.remote }, 'truto: error response');
      throw err;
    }
    return { status, headers: resHeaders, body: parsedBody };
  }

  private parseBody(status: number, headers: Record<string, string>, text: string): unknown {
    if (status === 204 || text === '') return {};
    const type = headers['content-type'] ?? '';
    if (type.includes('json') || /^\s*[[{]/.test(text)) {
      try {
        return parseJsonLossless(text);
      } catch {
        return text;
      }
    }
    return text;
  }
}

