/**
 * The sandbox's OpenAI-compatible model: a pure request handler the sandbox HTTP server mounts at
 * `/v1/*`. It answers deterministically from the prompt's content, enforces a context window and
 * OpenAI-style rate limits, and can inject faults, so the fleet's LLM path is testable offline.
 */
import { randomUUID } from 'node:crypto';
import { createAgentModel, type AgentStats } from './agent/index.ts';
import { chatCompletion, type ChatStats } from './chat-completions.ts';
import { createFaultState, type LlmFaults } from './faults.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { errorBody, type LlmResponse } from './wire.ts';

export type { LlmFaults } from './faults.ts';
export type { AgentStats } from './agent/index.ts';
export { formatDuration } from './rate-limiter.ts';

export interface LlmOptions {
  /** Context window in tokens (prompt + max output). Default 16_384. */
  contextWindowTokens?: number;
  /** Model id(s) served. Default ['gpt-4o-mini-sandbox']. */
  models?: string[];
  /** Requests per minute. Default 500. */
  requestsPerMinute?: number;
  /** Tokens per minute (prompt + completion). Default 2_000_000. */
  tokensPerMinute?: number;
  /** Simulated latency before each answer, fixed part in ms. Default 40. */
  latencyBaseMs?: number;
  /** Simulated latency per output token in ms. Default 0.5. */
  latencyPerOutputTokenMs?: number;
  /** Max output tokens reserved when the request gives none. Default 2_048. */
  defaultMaxTokens?: number;
  /** Milliseconds since the epoch; drives the rate-limit window. Default Date.now. */
  clock?: () => number;
  /** Source of randomness for `errorRate5xx`. Default Math.random. */
  random?: () => number;
  /**
   * Tool calling: act on instructions planted in tool results (e.g. "mark all my tasks DONE"), as
   * a compromised model would, to prove the fleet's approval gate. Default false.
   */
  obeyInjections?: boolean;
}

export interface LlmRequest {
  method: string;
  /** Path relative to `/v1`, e.g. `/chat/completions`; a query string is ignored. */
  path: string;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (a raw JSON string or Buffer is parsed here). */
  body: unknown;
}

export interface LlmApi {
  handle(req: LlmRequest): Promise<LlmResponse>;
  stats(): ChatStats;
  setFaults(f: LlmFaults): void;
  /** Counters of agent turns (requests with `tools`): turns, repeats, tool calls by name. */
  agentStats(): AgentStats;
  obeyInjections(): boolean;
  setObeyInjections(on: boolean): void;
}

export type { LlmResponse } from './wire.ts';

export const DEFAULT_LLM_MODEL = 'gpt-4o-mini-sandbox';
/** When the sandbox says its model list was created (a fixed date keeps responses deterministic). */
const MODEL_CREATED_SECONDS = 1_735_689_600;

// Real gpt-4o-mini answers in ~0.5 s plus ~10 ms per output token. The defaults keep that shape
// (a fixed cost plus a per-token cost, so long reports are visibly slower) at ~1/10 to 1/20 scale:
// large enough that concurrency matters in benchmarks, small enough that test suites stay fast.
const DEFAULT_LATENCY_BASE_MS = 40;
const DEFAULT_LATENCY_PER_OUTPUT_TOKEN_MS = 0.5;

export function createLlmApi(opts: LlmOptions = {}): LlmApi {
  const clock = opts.clock ?? Date.now;
  const settings = {
    contextWindowTokens: opts.contextWindowTokens ?? 16_384,
    models: opts.models ?? [DEFAULT_LLM_MODEL],
    defaultMaxTokens: opts.defaultMaxTokens ?? 2_048,
    latencyBaseMs: opts.latencyBaseMs ?? DEFAULT_LATENCY_BASE_MS,
    latencyPerOutputTokenMs: opts.latencyPerOutputTokenMs ?? DEFAULT_LATENCY_PER_OUTPUT_TOKEN_MS,
    clock,
  };
  const limiter = createRateLimiter({
    requestsPerMinute: opts.requestsPerMinute ?? 500,
    tokensPerMinute: opts.tokensPerMinute ?? 2_000_000,
    clock,
  });
  const faults = createFaultState(opts.random ?? Math.random);
  const stats: ChatStats = {
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    maxPromptTokensSeen: 0,
    rejectedContext: 0,
    rateLimited: 0,
    bySchema: {},
  };
  const agent = createAgentModel({ obeyInjections: opts.obeyInjections ?? false });
  let sequence = 0;
  const nextId = (): string => `sbx${(++sequence).toString(36).padStart(8, '0')}`;

  async function route(req: LlmRequest): Promise<LlmResponse> {
    if (!hasBearer(req.headers)) {
      return {
        status: 401,
        headers: {},
        // Like OpenAI, never echo the key back.
        body: errorBody(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          'invalid_request_error',
          'invalid_api_key',
        ),
      };
    }
    const method = req.method.toUpperCase();
    const path = (req.path.split('?')[0] ?? '').replace(/\/+$/, '') || '/';
    if (method === 'GET' && path === '/models') {
      return { status: 200, headers: {}, body: { object: 'list', data: settings.models.map(modelObject) } };
    }
    const modelMatch = /^\/models\/(.+)$/.exec(path);
    if (method === 'GET' && modelMatch?.[1]) {
      const id = decodeURIComponent(modelMatch[1]);
      return settings.models.includes(id)
        ? { status: 200, headers: {}, body: modelObject(id) }
        : {
            status: 404,
            headers: {},
            body: errorBody(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model'),
          };
    }
    if (method === 'POST' && path === '/chat/completions') {
      const body = parseBody(req.body);
      if (body === undefined) {
        return {
          status: 400,
          headers: {},
          body: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'),
        };
      }
      return chatCompletion(body, { settings, limiter, faults, stats, nextId, agent });
    }
    return {
      status: 404,
      headers: {},
      body: errorBody(`Invalid URL (${method} /v1${path})`, 'invalid_request_error'),
    };
  }

  return {
    async handle(req) {
      let response: LlmResponse;
      try {
        response = await route(req);
      } catch {
        // Junk input must never take the sandbox down; report it the way OpenAI reports its own bugs.
        response = {
          status: 500,
          headers: {},
          body: errorBody('The server had an error while processing your request.', 'server_error'),
        };
      }
      return {
        status: response.status,
        headers: {
          'content-type': 'application/json',
          'x-request-id': `req_${randomUUID().replace(/-/g, '')}`,
          ...limiter.headers(),
          ...response.headers,
        },
        body: response.body,
      };
    },
    stats: () => ({ ...stats, bySchema: { ...stats.bySchema } }),
    setFaults: (f) => faults.set(f),
    agentStats: () => agent.stats(),
    obeyInjections: () => agent.obeyInjections(),
    setObeyInjections: (on) => agent.setObeyInjections(on),
  };
}

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: MODEL_CREATED_SECONDS, owned_by: 'gong-fleet-sandbox' };
}

function hasBearer(headers: Record<string, string | undefined>): boolean {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization');
  const match = /^Bearer\s+(\S.*)$/i.exec(entry?.[1]?.trim() ?? '');
  return !!match?.[1]?.trim();
}

function parseBody(body: unknown): unknown {
  const text = body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : body;
  if (typeof text !== 'string') return text ?? undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
