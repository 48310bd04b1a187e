/**
 * `POST /chat/completions`: validation, the context window, rate limits, faults, the answer, usage
 * and latency, in the order OpenAI applies them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { countChatTokens, countTokens, truncateToTokens } from '../../shared/llm/tokens.ts';
import { agentCompletion } from './agent/completion.ts';
import { offersTools, type AgentModel, type AgentRequest } from './agent/index.ts';
import type { FaultState } from './faults.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { answer } from './responders/index.ts';
import {
  ChatCompletionRequest,
  describeValidationError,
  errorBody,
  flattenMessages,
  type LlmResponse,
} from './wire.ts';

export interface ChatSettings {
  contextWindowTokens: number;
  models: readonly string[];
  defaultMaxTokens: number;
  latencyBaseMs: number;
  latencyPerOutputTokenMs: number;
  clock: () => number;
}

export interface ChatStats {
  /** Chat-completion requests received, whatever their outcome. */
  requests: number;
  /** Prompt tokens of answered requests. */
  promptTokens: number;
  /** Completion tokens of answered requests. */
  completionTokens: number;
  /** Largest prompt seen, including prompts refused for the context window. */
  maxPromptTokensSeen: number;
  /** Requests refused with `context_length_exceeded`. */
  rejectedContext: number;
  /** 429s sent (real limits and injected bursts). */
  rateLimited: number;
  /** Answered requests by schema name (`text` without response_format, `json_object`). */
  bySchema: Record<string, number>;
}

export interface ChatDeps {
  settings: ChatSettings;
  limiter: RateLimiter;
  faults: FaultState;
  stats: ChatStats;
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

  const messages = flattenMessages(request.messages);
  const promptTokens = countChatTokens(turn ? [...messages, { role: 'system', content: turn.billedExtras }] : messages);
  stats.maxPromptTokensSeen = Math.max(stats.maxPromptTokensSeen, promptTokens);
  const explicitMaxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const reservedTokens = explicitMaxTokens ?? settings.defaultMaxTokens;
  if (promptTokens + reservedTokens > settings.contextWindowTokens) {
    stats.rejectedContext += 1;
    return reply(
      400,
      errorBody(
        `This model's maximum context length is ${settings.contextWindowTokens} tokens. However, your messages ` +
          `resulted in ${promptTokens} tokens and ${reservedTokens} were reserved for the completion ` +
          `(${promptTokens + reservedTokens} in total). Please reduce the length of the messages or completion.`,
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      ),
    );
  }

  const burst = faults.takeBurst429();
  if (burst) {
    stats.rateLimited += 1;
    return rateLimited('requests', burst.retryAfterMs, 'Rate limit reached (simulated burst). Please retry.');
  }
  const admission = limiter.admit(promptTokens + reservedTokens);
  if (!admission.ok) {
    stats.rateLimited += 1;
    return rateLimited(admission.type, admission.retryAfterMs, admission.message);
  }
  if (faults.roll5xx() || faults.failsPrompt(messages.map((m) => m.content ?? '').join('\n'))) {
    admission.entry.setTokens(promptTokens);
    return reply(
      500,
      errorBody('The server had an error while processing your request. Sorry about that!', 'server_error'),
    );
  }

  if (turn) {
    return agentCompletion({
      turn, model: request.model, promptTokens, explicitMaxTokens, clock: settings.clock, nextId: deps.nextId,
      latencyMs: (n) => settings.latencyBaseMs + settings.latencyPerOutputTokenMs * n,
      record: (prompt, completion) => {
        admission.entry.setTokens(prompt + completion);
        stats.promptTokens += prompt;
        stats.completionTokens += completion;
        stats.bySchema['tools'] = (stats.bySchema['tools'] ?? 0) + 1;
      },
    });
  }

  const startedMs = settings.clock();
  const result = answer(messages, request.response_format);
  let content = result.content;
  let finishReason: 'stop' | 'length' = 'stop';
  if (explicitMaxTokens !== undefined && countTokens(content) > explicitMaxTokens) {
    content = truncateToTokens(content, explicitMaxTokens);
    finishReason = 'length';
  }
  const completionTokens = countTokens(content);
  admission.entry.setTokens(promptTokens + completionTokens);
  stats.promptTokens += promptTokens;
  stats.completionTokens += completionTokens;
  stats.bySchema[result.schemaKey] = (stats.bySchema[result.schemaKey] ?? 0) + 1;

  const latencyMs = settings.latencyBaseMs + settings.latencyPerOutputTokenMs * completionTokens;
  if (latencyMs > 0) await sleep(latencyMs);

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

function rateLimited(type: 'requests' | 'tokens', retryAfterMs: number, message: string): LlmResponse {
  return reply(429, errorBody(message, type, 'rate_limit_exceeded'), {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'retry-after-ms': String(Math.max(1, Math.round(retryAfterMs))),
  });
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): LlmResponse {
  return { status, headers, body };
}
