/**
 * `POST /chat/completions`: validation, the context window, rate limits, faults, the answer, usage
 * and latency, in the order OpenAI applies them. Tokens are counted by the configured tokenizer and
 * the window is enforced in the configured server's words (see overflow-errors.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { agentCompletion } from './agent/completion.ts';
import { offersTools, type AgentModel, type AgentRequest } from './agent/index.ts';
import type { FaultState } from './faults.ts';
import type { RetryAfterStyle } from './options.ts';
import { checkContext, type OverflowStyle } from './overflow-errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { answer } from './responders/index.ts';
import type { Throughput, ThroughputStats } from './throughput.ts';
import type { SandboxTokenizer } from './tokenizers.ts';
import { truncateMessages } from './truncate-prompt.ts';
import {
  ChatCompletionRequest,
  describeValidationError,
  errorBody,
  flattenMessages,
  type LlmResponse,
} from './wire.ts';

export interface ChatSettings {
  contextWindowTokens: number;
  tokenizer: SandboxTokenizer;
  overflowError: OverflowStyle;
  retryAfter: RetryAfterStyle;
  models: readonly string[];
  defaultMaxTokens: number;
  latencyBaseMs: number;
  latencyPerOutputTokenMs: number;
  clock: () => number;
}

/** The model's counters; `ChatStats` adds the served-throughput figures computed on demand. */
export interface ChatCounters {
  /** Chat-completion requests received, whatever their outcome. */
  requests: number;
  /** Prompt tokens of answered requests. */
  promptTokens: number;
  /** Completion tokens of answered requests. */
  completionTokens: number;
  /** Largest prompt seen, including prompts refused for the context window. */
  maxPromptTokensSeen: number;
  /** Requests refused for the context window (in whichever server's words). */
  rejectedContext: number;
  /** Prompts answered after silent truncation to the window (the `ollama` overflow style). */
  truncatedPrompts: number;
  /** 429s sent (real limits and injected bursts). */
  rateLimited: number;
  /** The same 429s by cause: the requests or tokens limit, or an injected burst. */
  rateLimitedBy: { requests: number; tokens: number; burst: number };
  /** Answered requests by schema name (`text` without response_format, `json_object`, `tools` for agent turns). */
  bySchema: Record<string, number>;
}

export type ChatStats = ChatCounters & ThroughputStats;

export interface ChatDeps {
  settings: ChatSettings;
  limiter: RateLimiter;
  throughput: Throughput;
  faults: FaultState;
  stats: ChatCounters;
  nextId: () => string;
  /** Answers requests that carry `tools` (agent turns); without it they get the text model. */
  agent?: AgentModel;
}

/** Returns the response without rate-limit headers; the caller adds those to every response. */
export async function chatCompletion(body: unknown, deps: ChatDeps): Promise<LlmResponse> {
  const { settings, limiter, faults, stats } = deps;
  stats.requests += 1;

  const parsed = ChatCompletionRequest.safeParse(body);
  if (!parsed.success) {
    const { message, param } = describeValidationError(parsed.error);
    return reply(400, errorBody(message, 'invalid_request_error', null, param));
  }
  const request = parsed.data;
  if (request.stream) {
    return reply(400, errorBody('The sandbox model does not support stream=true.', 'invalid_request_error', null, 'stream'));
  }
  if (!settings.models.includes(request.model)) {
    return reply(
      404,
      errorBody(
        `The model \`${request.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      ),
    );
  }

  // Agent turns (requests with tools): validated here, answered by ./agent (docs/agent-protocol.md).
  const turn = deps.agent && offersTools(request) ? deps.agent.prepare(request as AgentRequest) : undefined;
  if (turn && 'message' in turn) return reply(400, errorBody(turn.message, 'invalid_request_error', null, turn.param));

  const { tokenizer } = settings;
  let messages = flattenMessages(request.messages);
  // Tool definitions and earlier tool calls are billed as prompt tokens too.
  if (turn) messages = [...messages, { role: 'system', content: turn.billedExtras }];
  let promptTokens = tokenizer.countChat(messages);
  stats.maxPromptTokensSeen = Math.max(stats.maxPromptTokensSeen, promptTokens);
  const explicitMaxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const verdict = checkContext(settings.overflowError, {
    promptTokens,
    maxTokens: explicitMaxTokens,
    defaultMaxTokens: settings.defaultMaxTokens,
    windowTokens: settings.contextWindowTokens,
  });
  if (verdict.kind === 'refuse') {
    stats.rejectedContext += 1;
    return reply(verdict.status, verdict.body);
  }
  if (verdict.kind === 'truncate') {
    stats.truncatedPrompts += 1;
    messages = truncateMessages(messages, tokenizer, verdict.keepTokens);
    promptTokens = tokenizer.countChat(messages);
  }
  const reservedTokens = verdict.reservedTokens;

  const burst = faults.takeBurst429();
  if (burst) {
    stats.rateLimited += 1;
    stats.rateLimitedBy.burst += 1;
    return rateLimited(settings.retryAfter, 'requests', burst.retryAfterMs, 'Rate limit reached (simulated burst). Please retry.');
  }
  const admission = limiter.admit(promptTokens + reservedTokens);
  if (!admission.ok) {
    stats.rateLimited += 1;
    stats.rateLimitedBy[admission.type] += 1;
    return rateLimited(settings.retryAfter, admission.type, admission.retryAfterMs, admission.message);
  }
  if (faults.roll5xx() || faults.failsPrompt(messages.map((m) => m.content ?? '').join('\n'))) {
    admission.entry.setTokens(promptTokens);
    return reply(
      500,
      errorBody('The server had an error while processing your request. Sorry about that!', 'server_error'),
    );
  }

  // The request's own cap, or the rest of the window on servers that stop there (llama.cpp, vLLM).
  const capTokens = minDefined(explicitMaxTokens, verdict.completionCapTokens);
  if (turn) {
    return agentCompletion({
      turn, model: request.model, promptTokens, capTokens, tokens: tokenizer, clock: settings.clock, nextId: deps.nextId,
      latencyMs: (n) => settings.latencyBaseMs + settings.latencyPerOutputTokenMs * n,
      record: (prompt, completion) => {
        admission.entry.setTokens(prompt + completion);
        stats.promptTokens += prompt;
        stats.completionTokens += completion;
        stats.bySchema['tools'] = (stats.bySchema['tools'] ?? 0) + 1;
        deps.throughput.record(settings.clock(), prompt + completion);
      },
    });
  }

  const startedMs = settings.clock();
  const result = answer(messages, request.response_format);
  let content = result.content;
  let finishReason: 'stop' | 'length' = 'stop';
  if (capTokens !== undefined && tokenizer.count(content) > capTokens) {
    content = tokenizer.truncate(content, capTokens);
    finishReason = 'length';
  }
  const completionTokens = tokenizer.count(content);
  admission.entry.setTokens(promptTokens + completionTokens);
  stats.promptTokens += promptTokens;
  stats.completionTokens += completionTokens;
  stats.bySchema[result.schemaKey] = (stats.bySchema[result.schemaKey] ?? 0) + 1;

  const latencyMs = settings.latencyBaseMs + settings.latencyPerOutputTokenMs * completionTokens;
  if (latencyMs > 0) await sleep(latencyMs);
  deps.throughput.record(settings.clock(), promptTokens + completionTokens);

  return reply(
    200,
    {
      id: `chatcmpl-${deps.nextId()}`,
      object: 'chat.completion',
      created: Math.floor(startedMs / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_sandbox',
    },
    { 'openai-processing-ms': String(Math.max(0, Math.round(settings.clock() - startedMs))) },
  );
}

function rateLimited(style: RetryAfterStyle, type: 'requests' | 'tokens', retryAfterMs: number, message: string): LlmResponse {
  const headers: Record<string, string> = {};
  if (style !== 'none') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  // retry-after-ms is Azure OpenAI's; the openai client prefers it when present.
  if (style === 'both') headers['retry-after-ms'] = String(Math.max(1, Math.round(retryAfterMs)));
  return reply(429, errorBody(message, type, 'rate_limit_exceeded'), headers);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): LlmResponse {
  return { status, headers, body };
}
