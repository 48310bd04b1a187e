/**
 * The context budget of an agent run. Every turn resends the whole conversation (append-only), so
 * what a result shows now is paid for on every later turn: envelopes are sized so the next turn
 * still fits with room to spare, and when that room is gone the model is asked to answer with
 * what it has (tool_choice "none") instead of the run failing on an oversized prompt.
 */
import { countToolPromptTokens, type AgentMessage, type ToolDefinition } from '../../upstream/index.ts';

/** Tokens kept free after a turn's results: the next tool call and a useful slice of its result. */
export const NEXT_TURN_RESERVE_TOKENS = 400;
/** Below this much room a turn may not call tools any more: it answers now. */
export const MIN_TURN_ROOM_TOKENS = 300;

export function promptTokensOf(messages: readonly AgentMessage[], tools: readonly ToolDefinition[]): number {
  return countToolPromptTokens(messages, tools);
}

/** Tokens the envelopes of a turn may add, given the prompt so far (through the turn's tool calls). */
export function roomForResults(promptBudgetTokens: number, promptTokens: number): number {
  return promptBudgetTokens - promptTokens - NEXT_TURN_RESERVE_TOKENS;
}
