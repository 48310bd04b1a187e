/**
 * One model turn of an agent run over OpenAI tool calling (docs/agent-protocol.md): the
 * conversation and the tool definitions in, either tool calls or a final answer out. It runs
 * through `LlmClient.chat` under its own prompt kind (`ASK_PROMPT_KIND`), so it shares the client's
 * LLM bucket in the governor, its error translation (429 → wait, context refusal →
 * ContextOverflowError, other 4xx → permanent) and what the client learns about the server, and it
 * sizes itself from the client's budget (the learned window), never from constants.
 */
import type OpenAI from 'openai';
import type { LlmClient } from './client.ts';
import { countRequestTokens, countTokens } from './tokens.ts';

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
 * The prompt kind of agent turns: the client learns a token-count factor per kind, and a
 * conversation of tool definitions and JSON results counts differently from transcripts.
 */
export const ASK_PROMPT_KIND = 'ask';

/**
 * Output tokens an agent turn always keeps for itself. A turn is mostly a tool call (tens of
 * tokens) and a chat answer rarely needs more than ~700 words, so a long conversation may eat
 * into the configured output reservation down to this floor instead of failing: in a 16k window
 * that is the difference between answering from a quarter's 44 scorecards and not.
 */
export const MIN_AGENT_OUTPUT_TOKENS = 1_024;

/** How much an agent turn may send and reserve now (the client's learned window). */
export interface ToolContext {
  /** The model's whole window (prompt + output), as the fleet knows it now. */
  contextTokens: number;
  /** Prompt tokens (fleet count, `countToolPromptTokens`) a turn may use: room for MIN_AGENT_OUTPUT_TOKENS left. */
  promptBudgetTokens: number;
  /** Output tokens a turn asks for when the window has room: the client's configured reservation. */
  maxOutputTokens: number;
}

/**
 * Share of the window an agent turn leaves unused (the client's default is 4%, against the
 * token-count factor varying between unrelated prompts). A turn's prompt is the previous turn's,
 * which the server counted, plus one turn's results, so the factor learned for `ask` misses by far
 * less; and a miss costs one refused request that the step re-sizes and asks again. In the sandbox's
 * 16k window the 3% difference is what lets the quarter's scorecards be read to the end.
 */
export const ASK_WINDOW_MARGIN = 0.01;

const BUDGET_OPTIONS = { kind: ASK_PROMPT_KIND, minOutputTokens: MIN_AGENT_OUTPUT_TOKENS, windowMargin: ASK_WINDOW_MARGIN } as const;
// A turn cut at its output limit is still stored (step.ts notes it), not thrown away.
const TURN_OPTIONS = { ...BUDGET_OPTIONS, acceptCutAnswer: true } as const;

/** The agent's budget now: read again before every turn, since the window may be learned smaller mid-run. */
export async function toolContextOf(llm: Pick<LlmClient, 'budget'>): Promise<ToolContext> {
  const b = await llm.budget(BUDGET_OPTIONS);
  return { contextTokens: b.window.tokens, promptBudgetTokens: b.promptTokens, maxOutputTokens: b.outputTokens };
}

/**
 * Prompt tokens of a turn as the client counts them (`countRequestTokens`, the unit of its
 * budget): every message, the earlier tool calls and the tool definitions.
 */
export function countToolPromptTokens(messages: readonly AgentMessage[], tools: readonly ToolDefinition[]): number {
  return countRequestTokens({ messages, tools });
}

/**
 * One turn. Throws ContextOverflowError when the prompt does not fit: before sending when it is
 * over the budget the client knows, or when the server refuses it (the client has then learned the
 * smaller window, so the caller can re-size the conversation and ask again).
 */
export async function completeWithTools(llm: Pick<LlmClient, 'chat'>, req: ToolTurnRequest): Promise<ToolTurn> {
  // The configured output when the window has room for it, else what is left (≥ the floor).
  const { completion, promptTokens, completionTokens } = await llm.chat(
    {
      messages: req.messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
      tools: req.tools as OpenAI.Chat.Completions.ChatCompletionTool[],
      tool_choice: req.toolChoice ?? 'auto',
      temperature: 0,
    },
    TURN_OPTIONS,
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
    promptTokens,
    completionTokens: completion.usage ? completionTokens : countTokens(choice?.message.content ?? ''),
  };
}
