/**
 * The sandbox's HTTP front door (plain `node:http`): Truto's platform and proxy routes, the
 * OpenAI-compatible model under `/v1` (and the native model endpoints of the server it plays, such
 * as llama.cpp's `/props` or Ollama's `/api/show`), and `/_sandbox/` controls. It must survive any input, so
 * every failure is answered in an envelope (Truto's, or OpenAI's under `/v1`) and never thrown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FaultInjector, FaultVerdict } from './faults.ts';
import type { RateLimits } from './limits/index.ts';
import type { LlmApi } from './llm/index.ts';
import { errorBody as openAiError } from './llm/wire.ts';
import { listIntegratedAccounts, listTools, integratedAccount } from './truto/accounts.ts';
import { handleAdmin, type SandboxControl } from './truto/admin-routes.ts';
import { remoteError, trutoError, type HttpReply } from './truto/envelope.ts';
import { executeProxyCall, resolveProxyCall, routeLabel } from './truto/proxy.ts';
import { parseQuery, asString, type ParsedQuery } from './truto/query.ts';
import type { TrutoProfile } from './truto/profile.ts';
import type { StatsRecorder } from './truto/stats.ts';
import type { ProfileTool } from './truto/tool-view.ts';
import type { GongApi, SandboxAccountInfo } from './types.ts';

export interface ServerDeps {
  accounts: () => readonly SandboxAccountInfo[];
  gong: GongApi;
  llm: LlmApi;
  limits: RateLimits;
  faults: FaultInjector;
  stats: StatsRecorder;
  control: SandboxControl;
  /** The Truto API token accepted as Bearer. */
  apiToken: string;
  /** Epoch ms. */
  clock: () => number;
  logger?: Logger;
  /** Largest request body accepted, in bytes. Default 64 MiB (Gong allows 200 MB CRM files; tests don't). */
  maxBodyBytes?: number;
  /** Which real-world Truto variant to play (tools, argument style, bodies, rate headers). */
  profile: TrutoProfile;
  /** The profile's tools: what `/tools` lists and the proxy routes. */
  tools: readonly ProfileTool[];
  /** Scopes Truto recorded when the account connected; the live token may have lost some since. */
  connectedScopes: (account: SandboxAccountInfo) => readonly string[];
}

interface Body {
  json?: unknown;
  files?: Record<string, Buffer>;
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new BodyError(413, `Request body exceeds ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON, multipart (files become Buffers, other fields JSON-parsed when they parse), or nothing. */
async function readBody(req: IncomingMessage, url: URL, maxBytes: number): Promise<Body> {
  const raw = await readRaw(req, maxBytes);
  if (raw.length === 0) return {};
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    } catch {
      throw new BodyError(400, 'Invalid multipart/form-data body');
    }
    const files: Record<string, Buffer> = {};
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        try {
          fields[name] = JSON.parse(value) as unknown;
        } catch {
          fields[name] = value;
        }
      } else {
        files[name] = Buffer.from(await value.arrayBuffer());
      }
    }
    return { files, ...(Object.keys(fields).length > 0 ? { json: fields } : {}) };
  }
  const text = raw.toString('utf8');
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    throw new BodyError(400, 'Request body is not valid JSON');
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  return match?.[1];
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function send(res: ServerResponse, reply: HttpReply): void {
  if (res.headersSent || res.destroyed) return;
  let payload: string;
  try {
    payload = JSON.stringify(reply.body ?? null);
  } catch {
    payload = JSON.stringify(trutoError(500, 'Response could not be serialised').body);
    reply = { ...reply, status: 500 };
  }
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(payload);
}

/** Holds a request for `holdMs`, or until the client gives up; true if the client is still there. */
function hold(res: ServerResponse, holdMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, holdMs);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

export function createSandboxServer(deps: ServerDeps): Server {
  const maxBodyBytes = deps.maxBodyBytes ?? 64 * 1024 * 1024;
  const findAccount = (id: string): SandboxAccountInfo | undefined => deps.accounts().find((a) => a.id === id);

  /** A 429/5xx/timeout chosen by the fault injector, in the side's own envelope, or undefined. */
  async function applyFault(
    side: 'truto' | 'llm',
    res: ServerResponse,
  ): Promise<{ reply: HttpReply; cause: string } | 'gone' | undefined> {
    const latencyMs = deps.faults.latencyMs(side);
    if (latencyMs > 0) await sleep(latencyMs);
    const verdict: FaultVerdict = deps.faults.decide(side, deps.clock());
    if (verdict.kind === 'none') return undefined;
    if (verdict.kind === 'timeout') {
      deps.stats.fault(side, 'timeouts');
      const present = await hold(res, verdict.holdMs);
      if (!present) return 'gone';
      const reply =
        side === 'truto'
          ? trutoError(504, 'The upstream API did not respond in time')
          : { status: 504, headers: {}, body: openAiError('Request timed out.', 'server_error', 'timeout') };
      return { reply, cause: 'fault-timeout' };
    }
    if (verdict.kind === '429') {
      deps.stats.fault(side, 'bursts429');
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      if (side === 'llm') {
        const headers = { 'retry-after': String(seconds), 'retry-after-ms': String(Math.ceil(verdict.retryAfterMs)) };
        const body = openAiError('Rate limit reached (sandbox 429 burst). Please try again later.', 'requests', 'rate_limit_exceeded');
        return { reply: { status: 429, headers, body }, cause: 'fault' };
      }
      const headers = {
        'retry-after': String(seconds),
        'ratelimit-limit': '3;w=1',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(seconds),
      };
      const gongBody = { requestId: 'sandbox-burst', errors: ['API request limit exceeded'] };
      return { reply: remoteError(429, gongBody, headers), cause: 'fault' };
    }
    deps.stats.fault(side, 'errors5xx');
    if (side === 'llm') {
      const body = openAiError('The server had an error while processing your request. Sorry about that!', 'server_error');
      return { reply: { status: verdict.status, headers: {}, body }, cause: 'fault' };
    }
    // 503 reads as Gong being down (a remote error); 500 and 502 are Truto's own failures.
    const reply =
      verdict.status === 503
        ? remoteError(503, { requestId: 'sandbox-fault', errors: ['Service Unavailable'] })
        : trutoError(verdict.status, verdict.status === 502 ? 'The upstream API gave no clean response' : 'Internal Server Error');
    return { reply, cause: 'fault' };
  }

  /** With `rateHeaders: 'none'` no answer carries `ratelimit-*`; 429s keep `retry-after` only. */
  function shapeRateHeaders(reply: HttpReply): HttpReply {
    if (deps.profile.rateHeaders === 'ietf') return reply;
    const headers = Object.fromEntries(Object.entries(reply.headers).filter(([k]) => !k.toLowerCase().startsWith('ratelimit-')));
    return { ...reply, headers };
  }

  async function handleProxy(req: IncomingMessage, res: ServerResponse, url: URL, query: ParsedQuery, token: string): Promise<HttpReply | undefined> {
    const reply = await proxyReply(req, res, url, query, token);
    return reply && shapeRateHeaders(reply);
  }

  async function proxyReply(req: IncomingMessage, res: ServerResponse, url: URL, query: ParsedQuery, token: string): Promise<HttpReply | undefined> {
    const segments = url.pathname.split('/').filter(Boolean).slice(1);
    const accountId = asString(query.integrated_account_id);
    if (!accountId) {
      return trutoError(400, 'integrated_account_id is required', {}, { failures: [{ path: 'integrated_account_id', message: 'is required' }] });
    }
    const account = findAccount(accountId);
    if (!account) return trutoError(404, `Integrated account ${accountId} not found`);
    if (segments.length < 1 || segments.length > 2) return trutoError(404, `Route ${url.pathname} not found`);
    const body = await readBody(req, url, maxBodyBytes);
    const { integrated_account_id: _ia, ...rest } = query;
    const resolved = resolveProxyCall({
      accountId,
      httpMethod: req.method ?? 'GET',
      resource: decodeURIComponent(segments[0] ?? ''),
      ...(segments[1] !== undefined ? { segment: decodeURIComponent(segments[1]) } : {}),
      query: rest,
      ...(body.json !== undefined ? { body: body.json } : {}),
      ...(body.files ? { files: body.files } : {}),
    }, deps.tools, deps.profile.argStyle);
    if ('status' in resolved) return { ...resolved, headers: { ...deps.limits.trutoHeaders(accountId, deps.clock()), ...resolved.headers } };

    deps.stats.arrived(accountId, routeLabel(resolved), deps.clock());
    deps.stats.toolCalled(resolved.tool.name, resolved.args.unknown);
    const fault = await applyFault('truto', res);
    if (fault === 'gone') return undefined;
    if (fault) {
      deps.stats.answered(accountId, fault.reply.status, fault.cause);
      return fault.reply;
    }
    const decision = deps.limits.check(accountId, token, deps.clock());
    if (!decision.allowed) {
      deps.stats.answered(accountId, 429, decision.tier);
      const gongSide = decision.tier === 'gong-second' || decision.tier === 'gong-day';
      return gongSide
        ? remoteError(429, { requestId: 'sandbox-rate-limit', errors: [decision.message] }, decision.headers)
        : trutoError(429, decision.message, decision.headers);
    }
    deps.stats.forwarded(accountId, deps.clock());
    const reply = await executeProxyCall(deps.gong, resolved);
    deps.stats.answered(accountId, reply.status);
    return { ...reply, headers: { ...reply.headers, ...deps.limits.trutoHeaders(accountId, deps.clock()) } };
  }

  async function handleLlm(req: IncomingMessage, res: ServerResponse, url: URL): Promise<HttpReply | undefined> {
    let json: unknown;
    try {
      json = (await readBody(req, url, maxBodyBytes)).json;
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 400;
      return { status, headers: {}, body: openAiError('We could not parse the JSON body of your request.', 'invalid_request_error') };
    }
    const path = url.pathname.slice('/v1'.length) || '/';
    // Faults hit completions only: a failing model list would break clients before any real work.
    if (req.method === 'POST' && path.replace(/\/+$/, '') === '/chat/completions' && bearer(req)) {
      const fault = await applyFault('llm', res);
      if (fault === 'gone') return undefined;
      if (fault) return fault.reply;
    }
    const answer = await deps.llm.handle({ method: req.method ?? 'GET', path, headers: flatHeaders(req), body: json });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }

  /** A native model endpoint at the root (only those the model's server style serves). */
  async function handleLlmRoot(req: IncomingMessage, url: URL): Promise<HttpReply> {
    let json: unknown;
    try {
      json = (await readBody(req, url, maxBodyBytes)).json;
    } catch (err) {
      return { status: err instanceof BodyError ? err.status : 400, headers: {}, body: { error: 'invalid JSON body' } };
    }
    const answer = await deps.llm.handleRoot({ method: req.method ?? 'GET', path: url.pathname, headers: flatHeaders(req), body: json });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<HttpReply | undefined> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    if (path === '/v1' || path.startsWith('/v1/')) return handleLlm(req, res, url);
    if (deps.llm.servesRootPath(method, path)) return handleLlmRoot(req, url);
    if (path.startsWith('/_sandbox/')) {
      const body = await readBody(req, url, maxBodyBytes);
      return handleAdmin(deps.control, method, path, body.json);
    }

    const token = bearer(req);
    if (!token) return trutoError(401, 'Missing API token: send Authorization: Bearer <api_token>');
    if (token !== deps.apiToken) return trutoError(401, 'Invalid API token');
    const query = parseQuery(url.searchParams);

    if (path === '/proxy' || path.startsWith('/proxy/')) return handleProxy(req, res, url, query, token);

    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'integrated-account' && method === 'GET') {
      if (parts.length === 1) return listIntegratedAccounts(deps.accounts(), query, deps.connectedScopes);
      const account = findAccount(decodeURIComponent(parts[1] ?? ''));
      if (!account) return trutoError(404, `Integrated account ${parts[1]} not found`);
      if (parts.length === 2) return { status: 200, headers: {}, body: integratedAccount(account, deps.connectedScopes(account)) };
      if (parts.length === 3 && parts[2] === 'tools') {
        return listTools(deps.tools, deps.profile.listUnscopedTools ? undefined : deps.connectedScopes(account), query);
      }
    }
    return trutoError(404, `Route ${method} ${path} not found`);
  }

  return createServer((req, res) => {
    const startedMs = deps.clock();
    // The pathname only: query strings may carry ids, and headers (Authorization) are never logged.
    const logPath = (req.url ?? '/').split('?')[0];
    res.on('finish', () => {
      deps.logger?.debug({ method: req.method, path: logPath, status: res.statusCode, ms: deps.clock() - startedMs }, 'sandbox request');
    });
    route(req, res)
      .then((reply) => {
        if (reply) send(res, reply);
        else if (!res.destroyed && !res.headersSent) res.destroy();
      })
      .catch((err: unknown) => {
        if (err instanceof BodyError) {
          send(res, trutoError(err.status, err.message));
          return;
        }
        deps.logger?.warn({ err: err instanceof Error ? err.message : String(err), path: logPath }, 'sandbox route failed');
        send(res, trutoError(500, 'Internal Server Error'));
      });
  });
}
