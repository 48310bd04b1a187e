/**
 * What the autopsy benchmark measures, read from the sandbox's own counters (so the fleet and the
 * baseline are counted the same way), and the theoretical minimum wall time a run is held to.
 */
import type { Sandbox } from '../../src/sandbox/index.ts';

export interface SandboxCounters {
  /** Proxy requests that reached Truto (every Gong call: listing and transcripts). */
  upstreamRequests: number;
  /** 429s Truto/Gong sent. */
  upstream429: number;
  /** 429s the model sent. */
  llm429: number;
  /** Completions the model answered. */
  llmRequests: number;
  /** Requests the model refused with context_length_exceeded. */
  llmRejectedContext: number;
  promptTokens: number;
  completionTokens: number;
}

export interface RunMeasure extends SandboxCounters {
  runId: string;
  wallMs: number;
  calls: number;
  /** Calls in the report with a summary (now or from cache). */
  summarized: number;
  /** Calls summarized by this run's LLM requests. */
  summarizedNow: number;
  missing: number;
  mapLlmRequests: number;
  mapCompletionTokens: number;
  reduceLlmCalls: number;
  reduceCompletionTokens: number;
  chunkedCalls: number;
  /** One line on how the run ended. */
  outcome: string;
}

export function sandboxCounters(sandbox: Sandbox): SandboxCounters {
  const s = sandbox.stats();
  const accounts = Object.values(s.accounts);
  return {
    upstreamRequests: s.proxyRequests,
    upstream429: accounts.reduce((n, a) => n + a.rateLimited, 0),
    llm429: s.llm.rateLimited,
    llmRequests: Object.values(s.llm.bySchema).reduce((n, x) => n + x, 0),
    llmRejectedContext: s.llm.rejectedContext,
    promptTokens: s.llm.promptTokens,
    completionTokens: s.llm.completionTokens,
  };
}

/** The sandbox model's timing and limits, which the minimum is computed from. */
export interface ModelTiming {
  /** Fixed latency per completion, ms. */
  latencyBaseMs: number;
  /** Latency per output token, ms. */
  latencyPerOutputTokenMs: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export interface TheoreticalMinimum {
  upstreamMs: number;
  mapMs: number;
  /** Which bound set the map phase: concurrency, requests/min or tokens/min. */
  mapBoundBy: 'concurrency' | 'rpm' | 'tpm';
  reduceMs: number;
  totalMs: number;
  /** The same with the model's per-minute limits taken as even rates (a provider that paces within the minute). */
  pacedTotalMs: number;
}

/**
 * Minimum wall time = upstream requests / the account's rate + LLM time, where LLM time is the
 * map phase (the model's own latency for every map completion, spread over `llmConcurrency`
 * completions in flight, unless the model's requests/min or tokens/min bound is slower) plus the
 * reduce completions, which depend on every map result and so run after them. The per-minute
 * limits are sliding 60 s windows (as the sandbox, and the governor, count them): sending N units
 * under L per minute takes at least floor((N - 1) / L) whole minutes, so a run whose totals fit one
 * minute's allowance is bound by model latency and concurrency alone. `pacedTotalMs` is the
 * stricter bound for a provider that enforces even rates within the minute. Model latency is
 * the sandbox's deterministic base + per-output-token time; HTTP, JSON and tokenizer CPU time
 * count as overhead, not as part of the minimum.
 */
export function theoreticalMinimum(
  m: RunMeasure,
  ratePerSecond: number,
  llmConcurrency: number,
  t: ModelTiming,
  upstreamLatencyMs = 0,
): TheoreticalMinimum {
  const latency = (requests: number, completionTokens: number) => requests * t.latencyBaseMs + completionTokens * t.latencyPerOutputTokenMs;
  const mapTokens = m.promptTokens + m.completionTokens; // reduce tokens included: a slight over-estimate of the tpm bound
  const windows = (units: number, perMinute: number) => Math.floor(Math.max(0, units - 1) / perMinute) * 60_000;
  const bounds = {
    concurrency: latency(m.mapLlmRequests, m.mapCompletionTokens) / llmConcurrency,
    rpm: windows(m.mapLlmRequests, t.requestsPerMinute),
    tpm: windows(mapTokens, t.tokensPerMinute),
  };
  const paced = Math.max(bounds.concurrency, (m.mapLlmRequests / t.requestsPerMinute) * 60_000, (mapTokens / t.tokensPerMinute) * 60_000);
  const [mapBoundBy, mapMs] = (Object.entries(bounds) as [TheoreticalMinimum['mapBoundBy'], number][]).reduce((a, b) => (b[1] > a[1] ? b : a));
  // Paced requests plus the wait for the last answer: the final transcript arrives one latency after it is sent.
  const upstreamMs = (m.upstreamRequests / ratePerSecond) * 1000 + upstreamLatencyMs;
  const reduceMs = latency(m.reduceLlmCalls, m.reduceCompletionTokens);
  return { upstreamMs, mapMs, mapBoundBy, reduceMs, totalMs: upstreamMs + mapMs + reduceMs, pacedTotalMs: upstreamMs + paced + reduceMs };
}
