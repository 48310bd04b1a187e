/**
 * The sandbox's OpenAI-compatible model: a pure request handler the sandbox HTTP server mounts at
 * `/v1/*` (plus, for some server styles, their native endpoints at the root). It answers
 * deterministically from the prompt's content, enforces a context window and rate limits, and can
 * inject faults, so the fleet's LLM path is testable offline. Options (options.ts) make it behave
 * like a particular real server: its tokenizer, its model-info endpoints, its context-overflow
 * refusals and its rate-limit headers.
 */
import { randomUUID } from 'node:crypto';
import { createAgentModel, type AgentStats } from './agent/index.ts';
import { chatCompletion, type ChatCounters, type ChatStats } from './chat-completions.ts';
import { createFaultState, type LlmFaults } from './faults.ts';
import { modelsRoute, rootRoute, servesRootPath } from './models-info.ts';
import { resolveLlmOptions, type LlmOptions, type ResolvedLlmOptions } from './options.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createThroughput } from './throughput.ts';
import { createTokenizer } from './tokenizers.ts';
import { errorBody, type LlmResponse } from './wire.ts';

export type { LlmFaults } from './faults.ts';
export type { AgentStats } from './agent/index.ts';
export { formatDuration } from './rate-limiter.ts';
export * from './options.ts';

export interface LlmRequest {
  method: string;
  /** Path relative to `/v1`, e.g. `/chat/completions` (for `handleRoot`: the full path); a query string is ignored. */
  path: string;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (a raw JSON string or Buffer is parsed here). */
  body: unknown;
}

export interface LlmApi {
  handle(req: LlmRequest): Promise<LlmResponse>;
  /** Whether this server style answers `method path` outside `/v1` (llama.cpp `/props`, Ollama `/api/*`…). */
  servesRootPath(method: string, path: string): boolean;
  /** Answers a root path `servesRootPath` accepted. */
  handleRoot(req: LlmRequest): Promise<LlmResponse>;
  /** Counters since start; throughput figures (peaks, first/last answer) since `sinceMs` if given. */
  stats(sinceMs?: number): ChatStats;
  setFaults(f: LlmFaults): void;
  /** Forgets the requests/tokens-per-minute window. */
  resetLimits(): void;
  /** What the model does after its profile is applied (window, limits, styles). */
  readonly settings: ResolvedLlmOptions;
  /** Counters of agent turns (requests with `tools`): turns, repeats, tool calls by name. */
  agentStats(): AgentStats;
  obeyInjections(): boolean;
  setObeyInjections(on: boolean): void;
}

export type { LlmResponse } from './wire.ts';

export const DEFAULT_LLM_MODEL = 'gpt-4o-mini-sandbox';

// Real gpt-4o-mini answers in ~0.5 s plus ~10 ms per output token. The defaults keep that shape
// (a fixed cost plus a per-token cost, so long reports are visibly slower) at ~1/10 to 1/20 scale:
// large enough that concurrency matters in benchmarks, small enough that test suites stay fast.
const DEFAULT_LATENCY_BASE_MS = 40;
const DEFAULT_LATENCY_PER_OUTPUT_TOKEN_MS = 0.5;

const UNAUTHORIZED: LlmResponse = {
  status: 401,
  headers: {},
  // Like OpenAI, never echo the key back.
  body: errorBody(
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    'invalid_request_error',
    'invalid_api_key',
  ),
};

export function createLlmApi(opts: LlmOptions = {}): LlmApi {
  const clock = opts.clock ?? Date.now;
  const resolved = resolveLlmOptions(opts);
  const models = opts.models ?? [DEFAULT_LLM_MODEL];
  const settings = {
    contextWindowTokens: resolved.contextWindowTokens,
    tokenizer: createTokenizer(resolved.tokenizer),
    overflowError: resolved.overflowError,
    retryAfter: resolved.retryAfter,
    models,
    defaultMaxTokens: opts.defaultMaxTokens ?? 2_048,
    latencyBaseMs: opts.latencyBaseMs ?? DEFAULT_LATENCY_BASE_MS,
    latencyPerOutputTokenMs: opts.latencyPerOutputTokenMs ?? DEFAULT_LATENCY_PER_OUTPUT_TOKEN_MS,
    clock,
  };
  const modelsInfo = {
    style: resolved.modelsInfo,
    models,
    windowTokens: resolved.contextWindowTokens,
    trainedContextTokens: resolved.trainedContextTokens,
  };
  const limiter = createRateLimiter({
    requestsPerMinute: resolved.requestsPerMinute,
    tokensPerMinute: resolved.tokensPerMinute,
    sendHeaders: resolved.rateLimitHeaders,
    clock,
  });
  const throughput = createThroughput();
  const faults = createFaultState(opts.random ?? Math.random);
  const stats: ChatCounters = {
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    maxPromptTokensSeen: 0,
    rejectedContext: 0,
    truncatedPrompts: 0,
    rateLimited: 0,
    rateLimitedBy: { requests: 0, tokens: 0, burst: 0 },
    bySchema: {},
  };
  const agent = createAgentModel({ obeyInjections: opts.obeyInjections ?? false });
  let sequence = 0;
  const nextId = (): string => `sbx${(++sequence).toString(36).padStart(8, '0')}`;

  async function route(req: LlmRequest): Promise<LlmResponse> {
    if (!hasBearer(req.headers)) return UNAUTHORIZED;
    const method = req.method.toUpperCase();
    const path = (req.path.split('?')[0] ?? '').replace(/\/+$/, '') || '/';
    const models = modelsRoute(modelsInfo, method, path);
    if (models) return models;
    if (method === 'POST' && path === '/chat/completions') {
      const body = parseBody(req.body);
      if (body === undefined) {
        return {
          status: 400,
          headers: {},
          body: errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'),
        };
      }
      return chatCompletion(body, { settings, limiter, throughput, faults, stats, nextId, agent });
    }
    return {
      status: 404,
      headers: {},
      body: errorBody(`Invalid URL (${method} /v1${path})`, 'invalid_request_error'),
    };
  }

  async function guarded(run: () => Promise<LlmResponse>): Promise<LlmResponse> {
    try {
      return await run();
    } catch {
      // Junk input must never take the sandbox down; report it the way OpenAI reports its own bugs.
      return {
        status: 500,
        headers: {},
        body: errorBody('The server had an error while processing your request.', 'server_error'),
      };
    }
  }

  return {
    async handle(req) {
      const response = await guarded(() => route(req));
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
    servesRootPath: (method, path) => servesRootPath(modelsInfo.style, method, path.split('?')[0] ?? ''),
    async handleRoot(req) {
      const path = req.path.split('?')[0] ?? '';
      // llama.cpp guards /props with its --api-key like /v1; Ollama and LM Studio have no auth.
      if (path.replace(/\/+$/, '') === '/props' && !hasBearer(req.headers)) return UNAUTHORIZED;
      const response = await guarded(async () => rootRoute(modelsInfo, req.method, path, parseBody(req.body)));
      return { ...response, headers: { 'content-type': 'application/json', ...response.headers } };
    },
    stats(sinceMs) {
      return {
        ...stats,
        rateLimitedBy: { ...stats.rateLimitedBy },
        bySchema: { ...stats.bySchema },
        ...throughput.summary(clock(), sinceMs),
      };
    },
    setFaults: (f) => faults.set(f),
    resetLimits: () => limiter.reset(),
    settings: resolved,
    agentStats: () => agent.stats(),
    obeyInjections: () => agent.obeyInjections(),
    setObeyInjections: (on) => agent.setObeyInjections(on),
  };
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
