/**
 * The local sandbox: a faithful Truto (auth, proxy, tools, rate limits) over a simulated Gong, plus
 * an OpenAI-compatible model, on one `127.0.0.1` port. The demo, the tests and the benchmarks run
 * against it; `sandbox.env` is what points the fleet at it.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { createGongApi, createWorld, type World } from './gong/index.ts';
import { RateLimits } from './limits/index.ts';
import { createLlmApi, DEFAULT_LLM_MODEL, type AgentStats, type LlmFaults, type LlmOptions } from './llm/index.ts';
import { DEFAULT_INSTRUCTION } from './llm/agent/admin-routes.ts';
import type { ChatStats } from './llm/chat-completions.ts';
import { createSandboxServer } from './server.ts';
import { StatsRecorder, type TrutoStats } from './truto/stats.ts';

export type { FaultOptions, Burst429Options, FaultScope } from './faults.ts';
export type { AccountStats, FaultStats } from './truto/stats.ts';
export type { ChatStats } from './llm/chat-completions.ts';
export type { AgentStats, LlmFaults } from './llm/index.ts';
export { DEFAULT_INSTRUCTION } from './llm/agent/admin-routes.ts';
export { maxInAnyWindow } from './limits/index.ts';
export { TOOL_CATALOG } from './truto/tool-catalog.ts';

export interface SandboxOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Interface to bind, e.g. 0.0.0.0 in a container; `url` still names 127.0.0.1. Default 127.0.0.1. */
  host?: string;
  /** Seed of the generated world (and of fault injection). Default 42. */
  seed?: number;
  /** Small accounts beyond the three standard ones. Default 0. */
  extraAccounts?: number;
  /** Calls in the last 30 days of the deals account. Default 64. */
  callsPerAccount?: number;
  /** Truto API token accepted as Bearer. Default 'truto-sandbox-token'. */
  apiToken?: string;
  /** Gong requests per sliding second per company. Default 3. */
  gongPerSecond?: number;
  /** Gong requests per UTC day per company. Default 10_000. */
  gongPerDay?: number;
  /** Truto requests per 10 s per integrated account. Default 50. */
  trutoPerAccountPer10s?: number;
  /** Truto requests per 10 s per API token. Default 500. */
  trutoPerTokenPer10s?: number;
  /** How long an uploaded CRM file takes to process, in ms. Default: the Gong simulation's (3000). */
  crmProcessingMs?: number;
  /** Faults to inject from the start. Default none. */
  faults?: FaultOptions;
  /** Options of the OpenAI-compatible model (context window, rate limits, latency). Default its own. */
  llm?: LlmOptions;
  /** Logs one debug line per request. Default: no logging. */
  logger?: Logger;
  /** Epoch ms for rate limits, stats and faults. Default Date.now. */
  clock?: () => number;
}

export interface SandboxStats extends TrutoStats {
  /** The model's counters since the last reset (`maxPromptTokensSeen` is since start). */
  llm: ChatStats;
  /** Agent turns (chat requests with `tools`) since the last reset: turns, repeats, tool calls by name. */
  agent: AgentStats;
}

/** The environment that points the fleet at the sandbox (a type alias, so it is also a Record). */
export type SandboxEnv = {
  TRUTO_BASE_URL: string;
  TRUTO_API_KEY: string;
  OPENAI_BASE_URL: string;
  OPENAI_API_KEY: string;
  OPENAI_MODEL: string;
  OPENAI_CONTEXT_TOKENS: string;
  GONG_PER_SECOND: string;
  GONG_PER_DAY: string;
  TRUTO_PER_ACCOUNT_PER_10S: string;
  TRUTO_PER_TOKEN_PER_10S: string;
  LLM_REQUESTS_PER_MINUTE: string;
  LLM_TOKENS_PER_MINUTE: string;
};

export interface Sandbox {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** TRUTO_BASE_URL, TRUTO_API_KEY, OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL and the limits. */
  env: SandboxEnv;
  world: World;
  stats(): SandboxStats;
  /** The model's counters since start (not affected by `resetStats`). */
  llmStats(): ChatStats;
  resetStats(): void;
  setFaults(f: FaultOptions): void;
  /** Replaces the model's own faults (429 bursts, 5xx rate, prompts that always fail). */
  setLlmFaults(f: LlmFaults): void;
  /** Forgets every rate-limit window and forced 429 (between benchmark runs). */
  resetLimits(): void;
  /**
   * Plants an instruction in a call's transcript, said by a customer (default text: "…mark all my
   * tasks DONE…"), as its first words (default) or its last; false for an unknown call. Also
   * `POST /_sandbox/agent/instructions {callId, text?, at?}`.
   */
  plantInstruction(callId: string, text?: string, at?: 'start' | 'end'): boolean;
  /** Whether the model acts on planted instructions. Also `POST /_sandbox/agent/obey-injections {on}`. */
  setObeyInjections(on: boolean): void;
  /**
   * Answers the account's proxy requests with 429 (`retry-after` counting down) for `resetSeconds`
   * from now, or only the next `count` of them; other accounts are untouched. Also
   * `POST /_sandbox/accounts/:id/force-429 {resetSeconds, count?}`.
   */
  force429(accountId: string, resetSeconds: number, count?: number): void;
  close(): Promise<void>;
}

const DEFAULT_API_TOKEN = 'truto-sandbox-token';
// Any non-empty key passes the sandbox model; a recognisable one makes logs obvious.
const SANDBOX_OPENAI_KEY = 'sk-sandbox';

function subtractAgentStats(now: AgentStats, base: AgentStats): AgentStats {
  const byTool: Record<string, number> = {};
  for (const [k, v] of Object.entries(now.byTool)) {
    const d = v - (base.byTool[k] ?? 0);
    if (d > 0) byTool[k] = d;
  }
  return {
    turns: now.turns - base.turns,
    repeatedTurns: now.repeatedTurns - base.repeatedTurns,
    answers: now.answers - base.answers,
    toolCalls: now.toolCalls - base.toolCalls,
    byTool,
    obeyedWrites: now.obeyedWrites - base.obeyedWrites,
  };
}

function subtractStats(now: ChatStats, base: ChatStats): ChatStats {
  const bySchema: Record<string, number> = {};
  for (const [k, v] of Object.entries(now.bySchema)) {
    const d = v - (base.bySchema[k] ?? 0);
    if (d > 0) bySchema[k] = d;
  }
  return {
    requests: now.requests - base.requests,
    promptTokens: now.promptTokens - base.promptTokens,
    completionTokens: now.completionTokens - base.completionTokens,
    maxPromptTokensSeen: now.maxPromptTokensSeen,
    rejectedContext: now.rejectedContext - base.rejectedContext,
    rateLimited: now.rateLimited - base.rateLimited,
    bySchema,
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.clock ?? Date.now;
  const seed = opts.seed ?? 42;
  const startedMs = clock();
  const world = createWorld({
    seed,
    extraAccounts: opts.extraAccounts ?? 0,
    callsPerAccount: opts.callsPerAccount ?? 64,
  });
  const gong = createGongApi(world, {
    ...(opts.crmProcessingMs !== undefined ? { crmProcessingMs: opts.crmProcessingMs } : {}),
    clock,
  });
  const llm = createLlmApi({ clock, ...opts.llm });
  const apiToken = opts.apiToken ?? DEFAULT_API_TOKEN;
  const limits = new RateLimits(
    {
      ...(opts.gongPerSecond !== undefined ? { gongPerSecond: opts.gongPerSecond } : {}),
      ...(opts.gongPerDay !== undefined ? { gongPerDay: opts.gongPerDay } : {}),
      ...(opts.trutoPerAccountPer10s !== undefined ? { trutoPerAccountPer10s: opts.trutoPerAccountPer10s } : {}),
      ...(opts.trutoPerTokenPer10s !== undefined ? { trutoPerTokenPer10s: opts.trutoPerTokenPer10s } : {}),
    },
    (accountId) => world.accounts.find((a) => a.id === accountId)?.gongLimits,
  );
  const faults = new FaultInjector(seed, startedMs, opts.faults ?? {});
  const recorder = new StatsRecorder(clock);
  let llmBaseline = llm.stats();
  let agentBaseline = llm.agentStats();

  const stats = (): SandboxStats => ({
    ...recorder.snapshot(),
    llm: subtractStats(llm.stats(), llmBaseline),
    agent: subtractAgentStats(llm.agentStats(), agentBaseline),
  });
  const resetStats = (): void => {
    recorder.reset();
    llmBaseline = llm.stats();
    agentBaseline = llm.agentStats();
  };
  const plantInstruction = (callId: string, text = DEFAULT_INSTRUCTION, at: 'start' | 'end' = 'start'): { accountId: string } | undefined => {
    const found = world.findCall(callId);
    return found && world.plantInstruction(callId, text, at) ? { accountId: found.account.info.id } : undefined;
  };

  const server = createSandboxServer({
    accounts: () => world.accounts,
    gong,
    llm,
    limits,
    faults,
    stats: recorder,
    apiToken,
    clock,
    ...(opts.logger ? { logger: opts.logger } : {}),
    control: {
      accounts: () => world.accounts,
      addCalls: (accountId, count) => world.addCalls(accountId, count),
      stats,
      resetStats,
      faults: () => faults.current,
      setFaults: (f) => faults.set(f),
      resetLimits: () => limits.reset(),
      force429: (accountId, resetSeconds, count) => limits.force429(accountId, resetSeconds, clock(), count),
      uptimeMs: () => clock() - startedMs,
      agent: {
        obeyInjections: () => llm.obeyInjections(),
        setObeyInjections: (on) => llm.setObeyInjections(on),
        stats: () => stats().agent,
        plantInstruction,
      },
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A dropped client socket must never take the sandbox down.
  server.on('clientError', (_err, socket) => socket.destroy());
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const model = opts.llm?.models?.[0] ?? DEFAULT_LLM_MODEL;

  const env: SandboxEnv = {
    TRUTO_BASE_URL: url,
    TRUTO_API_KEY: apiToken,
    OPENAI_BASE_URL: `${url}/v1`,
    OPENAI_API_KEY: SANDBOX_OPENAI_KEY,
    OPENAI_MODEL: model,
    OPENAI_CONTEXT_TOKENS: String(opts.llm?.contextWindowTokens ?? 16_384),
    GONG_PER_SECOND: String(opts.gongPerSecond ?? 3),
    GONG_PER_DAY: String(opts.gongPerDay ?? 10_000),
    TRUTO_PER_ACCOUNT_PER_10S: String(opts.trutoPerAccountPer10s ?? 50),
    TRUTO_PER_TOKEN_PER_10S: String(opts.trutoPerTokenPer10s ?? 500),
    // The model's own limits, so the fleet's governor paces to them rather than to a real tier.
    LLM_REQUESTS_PER_MINUTE: String(opts.llm?.requestsPerMinute ?? 500),
    LLM_TOKENS_PER_MINUTE: String(opts.llm?.tokensPerMinute ?? 2_000_000),
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    env,
    world,
    stats,
    llmStats: () => llm.stats(),
    resetStats,
    setFaults: (f) => faults.set(f),
    setLlmFaults: (f) => llm.setFaults(f),
    resetLimits: () => limits.reset(),
    force429: (accountId, resetSeconds, count) => limits.force429(accountId, resetSeconds, clock(), count),
    plantInstruction: (callId, text, at) => plantInstruction(callId, text, at) !== undefined,
    setObeyInjections: (on) => llm.setObeyInjections(on),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held (timed-out) requests and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
