/**
 * Token counting shared by the fleet (to size prompts and chunk transcripts) and the sandbox's model
 * (to enforce its context window and bill usage), so both sides always agree on a prompt's size.
 * o200k_base is the encoding of the gpt-4o / gpt-4.1 / gpt-5 families.
 */
import { decode, encode, countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

// The OpenAI API treats "<|endoftext|>" inside user content as plain text, not a special token;
// gpt-tokenizer throws on it by default, which would let a transcript crash the counter.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Per-message framing OpenAI adds around each chat message (`<|start|>role<|message|>…<|end|>`)
 * and the priming of the assistant's reply, from OpenAI's cookbook "How to count tokens".
 */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

/** Tokens in `text` under o200k_base. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return countO200k(text, PLAIN_TEXT);
}

/** A chat message as far as token counting is concerned. */
export interface TokenCountedMessage {
  role: string;
  content: string | null;
  name?: string;
}

/** Prompt tokens of a chat request as OpenAI bills them: content plus per-message overhead. */
export function countChatTokens(messages: readonly TokenCountedMessage[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + countTokens(message.role) + countTokens(message.content ?? '');
    if (message.name) total += TOKENS_PER_NAME + countTokens(message.name);
  }
  return total;
}

/** The longest prefix of `text` that fits in `maxTokens` tokens (the whole text if it fits). */
export function truncateToTokens(text: string, maxTokens: number): string {
  const tokens = encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  return decode(tokens.slice(0, Math.max(0, maxTokens)));
}

/** A chat request as far as its prompt size is concerned: any message shape, optional tools. */
export interface CountedRequest {
  messages: readonly { role: string; content?: unknown; name?: string; tool_calls?: unknown }[];
  tools?: unknown;
}

/**
 * Prompt tokens of any chat request: text parts of every message, tool calls and tool
 * definitions as the JSON the server renders into the prompt. An estimate (servers frame tools in
 * their own templates); the LLM client corrects it with each server's own counts.
 */
export function countRequestTokens(request: CountedRequest): number {
  const flat: TokenCountedMessage[] = request.messages.map((m) => {
    const text = typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map(partText).join('\n') : '';
    const calls = m.tool_calls === undefined ? '' : JSON.stringify(m.tool_calls);
    return { role: m.role, content: calls ? `${text}${text ? '\n' : ''}${calls}` : text, ...(m.name ? { name: m.name } : {}) };
  });
  const tools = request.tools === undefined ? 0 : countTokens(JSON.stringify(request.tools));
  return countChatTokens(flat) + tools;
}

function partText(part: unknown): string {
  const rec = typeof part === 'object' && part !== null ? (part as { text?: unknown }) : {};
  return typeof rec.text === 'string' ? rec.text : '';
}
