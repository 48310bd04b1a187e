/**
 * The chat completion of an agent turn: the same envelope, usage, stats and latency as the text
 * model's (chat-completions.ts), with `message.tool_calls` and `finish_reason: 'tool_calls'` when
 * the turn calls tools. Kept apart so the text path stays exactly as it was.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LlmResponse } from '../wire.ts';
import type { PreparedTurn } from './index.ts';

export interface AgentCompletionInput {
  turn: PreparedTurn;
  model: string;
  promptTokens: number;
  /** A final answer longer than this is cut (`length`): the request's max tokens or the window's rest. */
  capTokens: number | undefined;
  /** The server's tokenizer (the same one that counted the prompt). */
  tokens: { count(text: string): number; truncate(text: string, maxTokens: number): string };
  clock: () => number;
  nextId: () => string;
  /** Simulated latency for this many output tokens. */
  latencyMs: (completionTokens: number) => number;
  /** Books the answered request (rate-limit window, usage stats, throughput), after the latency. */
  record: (promptTokens: number, completionTokens: number) => void;
}

export async function agentCompletion(input: AgentCompletionInput): Promise<LlmResponse> {
  const startedMs = input.clock();
  const out = input.turn.run(startedMs);
  let content = out.content;
  let finishReason: 'stop' | 'length' | 'tool_calls' = out.finishReason;
  if (content !== null && input.capTokens !== undefined && input.tokens.count(content) > input.capTokens) {
    content = input.tokens.truncate(content, input.capTokens);
    finishReason = 'length';
  }
  const completionTokens = input.tokens.count(content ?? out.completionText);
  const latencyMs = input.latencyMs(completionTokens);
  if (latencyMs > 0) await sleep(latencyMs);
  input.record(input.promptTokens, completionTokens);

  return {
    status: 200,
    headers: { 'openai-processing-ms': String(Math.max(0, Math.round(input.clock() - startedMs))) },
    body: {
      id: `chatcmpl-${input.nextId()}`,
      object: 'chat.completion',
      created: Math.floor(startedMs / 1000),
      model: input.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            ...(out.toolCalls && finishReason === 'tool_calls' ? { tool_calls: out.toolCalls } : {}),
            refusal: null,
            annotations: [],
          },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: input.promptTokens,
        completion_tokens: completionTokens,
        total_tokens: input.promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_sandbox',
    },
  };
}
