/**
 * One model turn of an agent run over OpenAI tool calling (docs/agent-protocol.md): the
 * conversation and the tool definitions in, either tool calls or a final answer out. It runs
 * through `LlmClient.governed`, so it shares the client's LLM bucket in the governor and its error
 * translation (429 → wait, context overflow → ContextOverflowError, other 4xx → permanent), and it
 * sizes itself from the client's prompt budget, never from constants.
 */
import type OpenAI from 'openai';
import { ContextOverflowError } from '../errors.ts';
import type { LlmClient } from './client.ts';
import { countChatTokens, countTokens } from './tokens.ts';

/** A tool call as the model made it; `arguments` is the model's JSON text, unparsed. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A chat message of an agent conversation, in OpenAI's wire shape. */
export type AgentMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A tool offered to the model, in OpenAI's tools format. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface ToolTurnRequest {
  messages: AgentMessage[];
  tools: ToolDefinition[];
  /** `none` makes the model answer now with what it has. Default `auto`. */
  toolChoice?: 'auto' | 'none';
}

export interface ToolTurn {
  /** The answer (Markdown) when the model did not call tools; usually null alongside tool calls. */
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Output tokens an agent turn always keeps for itself. A turn is mostly a tool call (tens of
 * tokens) and a chat answer rarely needs more than ~700 words, so a long conversation may eat
 * into the configured output reservation down to this floor instead of failing: in a 16k window
 * that is the difference between answering from a quarter's 44 scorecards and not.
 */
export const MIN_AGENT_OUTPUT_TOKENS = 1_024;

/** How much an agent turn may send and reserve, from the client (which knows the model's window). */
export interface ToolContext {
  /** The model's whole window (prompt + output). */
  contextTokens: number;
  /** Prompt tokens a turn may use: the window minus MIN_AGENT_OUTPUT_TOKENS. */
  promptBudgetTokens: number;
  /** Output tokens a turn asks for when the window has room: the client's configured reservation. */
  maxOutputTokens: number;
}

export function toolContextOf(llm: Pick<LlmClient, 'promptBudgetTokens' | 'promptBudgetFor'>): ToolContext {
  const contextTokens = llm.promptBudgetFor(0);
  const maxOutputTokens = contextTokens - llm.promptBudgetTokens;
  return { contextTokens, promptBudgetTokens: llm.promptBudgetFor(Math.min(MIN_AGENT_OUTPUT_TOKENS, maxOutputTokens)), maxOutputTokens };
}

/**
 * Prompt tokens of a turn as OpenAI bills them: every message, plus the tool definitions and the
 * earlier tool calls (name and arguments), which the API counts as prompt too.
 */
export function countToolPromptTokens(messages: readonly AgentMessage[], tools: readonly ToolDefinition[]): number {
  const extras = [JSON.stringify(tools)];
  for (const m of messages) {
    if (m.role === 'assistant') for (const c of m.tool_calls ?? []) extras.push(`${c.function.name}(${c.function.arguments})`);
  }
  const counted = messages.map((m) => ({ role: m.role, content: m.content ?? null }));
  return countChatTokens([...counted, { role: 'system', content: extras.join('\n') }]);
}

/** One turn. Throws ContextOverflowError before sending a prompt over the budget. */
export async function completeWithTools(llm: LlmClient, req: ToolTurnRequest): Promise<ToolTurn> {
  const ctx = toolContextOf(llm);
  const promptTokens = countToolPromptTokens(req.messages, req.tools);
  if (promptTokens > ctx.promptBudgetTokens) {
    throw new ContextOverflowError(`agent turn of ${promptTokens} tokens exceeds the prompt budget of ${ctx.promptBudgetTokens}`, promptTokens);
  }
  // The configured reservation when the window has room for it, else what is left (≥ the floor).
  const maxOutput = Math.min(ctx.maxOutputTokens, ctx.contextTokens - promptTokens);
  const completion = await llm.governed(
    promptTokens,
    maxOutput,
    (openai: OpenAI, model: string) =>
      openai.chat.completions
        .create({
          model,
          messages: req.messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
          tools: req.tools as OpenAI.Chat.Completions.ChatCompletionTool[],
          tool_choice: req.toolChoice ?? 'auto',
          max_completion_tokens: maxOutput,
          temperature: 0,
        })
        .withResponse(),
    (data) => data.usage?.total_tokens,
  );
  const choice = completion.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const c of choice?.message.tool_calls ?? []) {
    if (c.type === 'function') toolCalls.push({ id: c.id, name: c.function.name, arguments: c.function.arguments });
  }
  return {
    content: choice?.message.content ?? null,
    toolCalls,
    finishReason: choice?.finish_reason ?? 'stop',
    promptTokens: completion.usage?.prompt_tokens ?? promptTokens,
    completionTokens: completion.usage?.completion_tokens ?? countTokens(choice?.message.content ?? ''),
  };
}
