/**
 * The local sandbox: a faithful Truto (auth, proxy, tools, rate limits) over a simulated Gong, plus
 * an OpenAI-compatible model, on one `127.0.0.1` port. The demo, the tests and the benchmarks run
 * against it; `sandbox.env` is what points the fleet at it. The model can play a real server
 * (vLLM, llama.cpp, Ollama, LM Studio, OpenRouter, TGI: `llm.profile` and the options in
 * llm/options.ts), and `exportLlmHints` decides whether `env` tells the fleet its window and limits.
 * `truto` picks which real-world Truto variant it plays (truto/profile.ts: tool set, argument style, POST-read bodies, rate headers);
 * the default is the `full` profile.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FaultInjector, type FaultOptions } from './faults.ts';
import { createGongApi, createWorld, GLOBEX, type LateTranscripts, type World } from './gong/index.ts';
import { RateLimits } from './limits/index.ts';
import { createLlmApi, DEFAULT_LLM_MODEL, type LlmFaults, type LlmOptions, type ResolvedLlmOptions } from './llm/index.ts';
import type { ChatStats } from './llm/chat-completions.ts';
import { DEFAULT_INSTRUCTION } from './llm/agent/admin-routes.ts';
import { subtractAgentStats, type AgentStats } from './llm/agent/index.ts';
import { createSandboxServer } from './server.ts';
import { resolveProfile, type TrutoProfile, type TrutoProfileOptions } from './truto/profile.ts';
import { StatsRecorder, type TrutoStats } from './truto/stats.ts';
import { buildToolView } from './truto/tool-view.ts';

export type { FaultOptions, Burst429Options, FaultScope } from './faults.ts';
export type { AccountStats, FaultStats } from './truto/stats.ts';
export type { ChatStats } from './llm/chat-completions.ts';
export type { AgentStats } from './llm/agent/index.ts';
export { DEFAULT_INSTRUCTION } from './llm/agent/admin-routes.ts';
export type { LlmFaults, LlmOptions, ResolvedLlmOptions, LlmProfile, TokenizerName, ModelsInfoStyle, OverflowStyle, RetryAfterStyle } from './llm/index.ts';
export { maxInAnyWindow } from './limits/index.ts';
export { TOOL_CATALOG } from './truto/tool-catalog.ts';
export { SEED_TOOL_NAMES } from './truto/seed-tools.ts';
export {
  PROFILE_PRESETS, PROFILE_NAMES, resolveProfile,
  TOOL_SETS, ARG_STYLES, BODY_MODES, RATE_HEADER_MODES,
  type TrutoProfile, type TrutoProfileOptions, type ProfileName, type ToolSet, type ArgStyle, type BodyMode, type RateHeaderMode,
} from './truto/profile.ts';
export type { LateTranscripts } from './gong/index.ts';

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
  /**
   * Options of the OpenAI-compatible model: context window, tokenizer, server profile and styles
   * (models info, overflow errors), rate limits and headers, latency. Default: an OpenAI-like model
   * with the fleet's own tokenizer (see llm/options.ts).
   */
  llm?: LlmOptions;
  /**
   * Which LLM facts `env` tells the fleet. `false` = none, as a user who knows nothing about the
   * server; an object picks: `contextTokens` (OPENAI_CONTEXT_TOKENS), `rateLimits`
   * (LLM_REQUESTS_PER_MINUTE / LLM_TOKENS_PER_MINUTE, only for limits the model enforces).
   * Default true (both).
   */
  exportLlmHints?: boolean | { contextTokens?: boolean; rateLimits?: boolean };
  /** Logs one debug line per request. Default: no logging. */
  logger?: Logger;
  /** Epoch ms for rate limits, stats, faults and late transcripts. Default Date.now. */
  clock?: () => number;
  /** Which real-world Truto variant to play: a `profile` preset and/or single settings. Default the `full` preset. */
  truto?: TrutoProfileOptions;
  /**
   * Gong keeps a call's transcript empty until it has processed the call: calls that ended less
   * than this many minutes ago answer an empty transcript (and no trackers, key points or brief
   * facts). When > 0 the deals account also gets {@link LATE_CALLS} Globex calls that ended moments
   * ago (a fifth and half of the window). Default 0 = every transcript is ready, no extra calls.
   */
  lateTranscriptMinutes?: number;
  /** A late call's transcript answer: 'empty' (`transcript: []`, the spec's one entry per call) or 'omit'. Default 'empty'. */
  lateTranscriptShape?: LateTranscripts['shape'];
}

/** Calls added to the deals account when late transcripts are on. */
export const LATE_CALLS = 2;

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
  /** Absent when the hint is withheld (`exportLlmHints`). */
  OPENAI_CONTEXT_TOKENS?: string;
  GONG_PER_SECOND: string;
  GONG_PER_DAY: string;
  TRUTO_PER_ACCOUNT_PER_10S: string;
  TRUTO_PER_TOKEN_PER_10S: string;
  /** Absent when withheld or when the model enforces no such limit. */
  LLM_REQUESTS_PER_MINUTE?: string;
  LLM_TOKENS_PER_MINUTE?: string;
};

export interface Sandbox {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The Truto variant being played, presets resolved. */
  profile: TrutoProfile;
  /** Ids of the calls that ended moments ago (late transcripts on), oldest first; empty otherwise. */
  lateCallIds: string[];
  /** TRUTO_BASE_URL, TRUTO_API_KEY, OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL and the limits. */
  env: SandboxEnv;
  world: World;
  stats(): SandboxStats;
  /** The model's counters since start (not affected by `resetStats`). */
  llmStats(): ChatStats;
  /** What the model does once its profile is applied: window, tokenizer, styles, limits, headers. */
  llmSettings: ResolvedLlmOptions;
  resetStats(): void;
  setFaults(f: FaultOptions): void;
  /** Replaces the model's own faults (429 bursts, 5xx rate, prompts that always fail). */
  setLlmFaults(f: LlmFaults): void;
  /** Forgets every rate-limit window (Truto's, Gong's and the model's) and forced 429 (between benchmark runs). */
  resetLimits(): void;
  /**
   * Answers the account's proxy requests with 429 (`retry-after` counting down) for `resetSeconds`
   * from now, or only the next `count` of them; other accounts are untouched. Also
   * `POST /_sandbox/accounts/:id/force-429 {resetSeconds, count?}`.
   */
  force429(accountId: string, resetSeconds: number, count?: number): void;
  /** Changes late transcripts at run time; also `POST /_sandbox/late-transcripts {minutes, shape?}`. */
  setLateTranscripts(l: LateTranscripts): void;
  /**
   * The account's live token loses `scope` (as after a re-consent with fewer scopes): Gong answers
   * 403 for it, while Truto's `/tools` still lists the tools it granted at connect time. Also
   * `POST /_sandbox/accounts/:id/revoke-scope {scope}`.
   */
  revokeScope(accountId: string, scope: string): void;
  /**
   * Plants an instruction in a call's transcript, said by a customer (default text: "…mark all my
   * tasks DONE…"), as its first words (default) or its last; false for an unknown call. Also
   * `POST /_sandbox/agent/instructions {callId, text?, at?}`.
   */
  plantInstruction(callId: string, text?: string, at?: 'start' | 'end'): boolean;
  /** Whether the model acts on planted instructions. Also `POST /_sandbox/agent/obey-injections {on}`. */
  setObeyInjections(on: boolean): void;
  close(): Promise<void>;
}

const DEFAULT_API_TOKEN = 'truto-sandbox-token';
// Any non-empty key passes the sandbox model; a recognisable one makes logs obvious.
const SANDBOX_OPENAI_KEY = 'sk-sandbox';

/** Counters since `base`; the throughput figures in `now` are already measured since the reset. */
function subtractStats(now: ChatStats, base: ChatStats): ChatStats {
  const bySchema: Record<string, number> = {};
  for (const [k, v] of Object.entries(now.bySchema)) {
    const d = v - (base.bySchema[k] ?? 0);
    if (d > 0) bySchema[k] = d;
  }
  return {
    ...now,
    requests: now.requests - base.requests,
    promptTokens: now.promptTokens - base.promptTokens,
    completionTokens: now.completionTokens - base.completionTokens,
    maxPromptTokensSeen: now.maxPromptTokensSeen,
    rejectedContext: now.rejectedContext - base.rejectedContext,
    truncatedPrompts: now.truncatedPrompts - base.truncatedPrompts,
    rateLimited: now.rateLimited - base.rateLimited,
    rateLimitedBy: {
      requests: now.rateLimitedBy.requests - base.rateLimitedBy.requests,
      tokens: now.rateLimitedBy.tokens - base.rateLimitedBy.tokens,
      burst: now.rateLimitedBy.burst - base.rateLimitedBy.burst,
    },
    bySchema,
  };
}

function hintsWanted(opt: SandboxOptions['exportLlmHints']): { contextTokens: boolean; rateLimits: boolean } {
  if (opt === undefined || opt === true) return { contextTokens: true, rateLimits: true };
  if (opt === false) return { contextTokens: false, rateLimits: false };
  return { contextTokens: opt.contextTokens ?? true, rateLimits: opt.rateLimits ?? true };
}

/**
 * Globex calls (the flagship deal, so summarize and autopsy both meet them) that ended a fifth and
 * a half of the late window before `nowMs`: still being processed when the sandbox starts.
 */
function addLateCalls(world: World, minutes: number, nowMs: number): string[] {
  const dealsId = world.accountIdOf('deals');
  const deal = world.findDeal(dealsId, GLOBEX);
  return [0.5, 0.2].flatMap((fraction) =>
    world.addCalls(dealsId, 1, { endedMs: nowMs - fraction * minutes * 60_000, ...(deal ? { deal } : {}) }));
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
  const profile = resolveProfile(opts.truto);
  const tools = buildToolView(profile);
  let late: LateTranscripts = { minutes: opts.lateTranscriptMinutes ?? 0, shape: opts.lateTranscriptShape ?? 'empty' };
  if (!(late.minutes >= 0)) throw new Error(`sandbox lateTranscriptMinutes must be ≥ 0, got ${late.minutes}`);
  const lateCallIds = late.minutes > 0 ? addLateCalls(world, late.minutes, startedMs) : [];
  // Truto keeps the scopes granted at connect time; `revokeScope` changes only the live token's.
  const connected = new Map(world.accounts.map((a) => [a.id, [...a.scopes]]));
  const gong = createGongApi(world, {
    ...(opts.crmProcessingMs !== undefined ? { crmProcessingMs: opts.crmProcessingMs } : {}),
    clock,
    lateTranscripts: () => late,
  });
  const setLateTranscripts = (l: LateTranscripts): void => {
    late = { ...l };
  };
  const revokeScope = (accountId: string, scope: string): void => {
    const account = world.accounts.find((a) => a.id === accountId);
    if (!account) throw new Error(`unknown sandbox account ${accountId}`);
    const i = account.scopes.indexOf(scope);
    if (i >= 0) account.scopes.splice(i, 1);
  };
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
  let llmSinceMs = startedMs;

  const stats = (): SandboxStats => ({
    ...recorder.snapshot(),
    llm: subtractStats(llm.stats(llmSinceMs), llmBaseline),
    agent: subtractAgentStats(llm.agentStats(), agentBaseline),
  });
  const resetStats = (): void => {
    recorder.reset();
    llmBaseline = llm.stats();
    agentBaseline = llm.agentStats();
    llmSinceMs = clock();
  };
  const plantInstruction = (callId: string, text = DEFAULT_INSTRUCTION, at: 'start' | 'end' = 'start'): { accountId: string } | undefined => {
    const found = world.findCall(callId);
    return found && world.plantInstruction(callId, text, at) ? { accountId: found.account.info.id } : undefined;
  };
  const resetLimits = (): void => {
    limits.reset();
    llm.resetLimits();
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
    profile,
    tools,
    connectedScopes: (a) => connected.get(a.id) ?? a.scopes,
    ...(opts.logger ? { logger: opts.logger } : {}),
    control: {
      accounts: () => world.accounts,
      addCalls: (accountId, count, endedSecondsAgo) =>
        world.addCalls(accountId, count, endedSecondsAgo === undefined ? {} : { endedMs: clock() - endedSecondsAgo * 1000 }),
      stats,
      resetStats,
      faults: () => faults.current,
      setFaults: (f) => faults.set(f),
      resetLimits,
      force429: (accountId, resetSeconds, count) => limits.force429(accountId, resetSeconds, clock(), count),
      uptimeMs: () => clock() - startedMs,
      lateTranscripts: () => late,
      setLateTranscripts,
      revokeScope,
      profile: () => profile,
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

  const hints = hintsWanted(opts.exportLlmHints);
  const { contextWindowTokens, requestsPerMinute, tokensPerMinute } = llm.settings;
  const env: SandboxEnv = {
    TRUTO_BASE_URL: url,
    TRUTO_API_KEY: apiToken,
    OPENAI_BASE_URL: `${url}/v1`,
    OPENAI_API_KEY: SANDBOX_OPENAI_KEY,
    OPENAI_MODEL: model,
    ...(hints.contextTokens ? { OPENAI_CONTEXT_TOKENS: String(contextWindowTokens) } : {}),
    GONG_PER_SECOND: String(opts.gongPerSecond ?? 3),
    GONG_PER_DAY: String(opts.gongPerDay ?? 10_000),
    TRUTO_PER_ACCOUNT_PER_10S: String(opts.trutoPerAccountPer10s ?? 50),
    TRUTO_PER_TOKEN_PER_10S: String(opts.trutoPerTokenPer10s ?? 500),
    // The model's own limits, so the fleet's governor paces to them rather than to a real tier.
    ...(hints.rateLimits && requestsPerMinute !== null ? { LLM_REQUESTS_PER_MINUTE: String(requestsPerMinute) } : {}),
    ...(hints.rateLimits && tokensPerMinute !== null ? { LLM_TOKENS_PER_MINUTE: String(tokensPerMinute) } : {}),
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    profile,
    lateCallIds,
    env,
    world,
    stats,
    llmStats: () => llm.stats(),
    llmSettings: llm.settings,
    resetStats,
    setFaults: (f) => faults.set(f),
    setLlmFaults: (f) => llm.setFaults(f),
    resetLimits,
    force429: (accountId, resetSeconds, count) => limits.force429(accountId, resetSeconds, clock(), count),
    setLateTranscripts,
    revokeScope,
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
