/**
 * How the sandbox model counts tokens: the fleet's own o200k counter (default, so both sides agree),
 * or a "foreign" characters-per-token rule that plays a server whose tokenizer is not the fleet's.
 * Whatever is chosen is what `usage` reports and what the context window is enforced against.
 */
import { countChatTokens, countTokens, truncateToTokens } from '../../shared/upstream/index.ts';

/**
 * `o200k` = the fleet's tokenizer; `chars4` / `chars3` = ceil(characters / N) per text. Measured on
 * the sandbox's calls: o200k spends ~3.7 characters a token on rendered transcript lines (timestamps
 * and names are costly) and ~4.6 on plain English. So `chars4` counts ~7% FEWER than the fleet on
 * transcript prompts (the fleet over-estimates: safe) but ~20% more on prose, and `chars3` counts
 * ~25% more than the fleet on both (a 32k-vocabulary model: the fleet's prompts get refused).
 */
export type TokenizerName = 'o200k' | 'chars4' | 'chars3';
export const TOKENIZER_NAMES: readonly TokenizerName[] = ['o200k', 'chars4', 'chars3'];

/** A chat message as the counter sees it (content already flattened to text). */
export interface CountedMessage {
  role: string;
  content: string | null;
  name?: string;
}

export interface SandboxTokenizer {
  readonly name: TokenizerName;
  /** Tokens in a plain text (a completion). */
  count(text: string): number;
  /** Prompt tokens of a chat request: content plus per-message framing. */
  countChat(messages: readonly CountedMessage[]): number;
  /** The longest prefix of `text` within `maxTokens`. */
  truncate(text: string, maxTokens: number): string;
  /** `text` without its first `tokens` tokens (how a server that truncates drops the oldest input). */
  dropLeading(text: string, tokens: number): string;
}

/**
 * Framing of the charsN tokenizers, shaped like a Llama-3 chat template (`<|start_header_id|>role
 * <|end_header_id|>\n\n … <|eot_id|>` per message, BOS plus the assistant header to prime the reply).
 * Deliberately not OpenAI's 3 + 3, so a client that hard-codes OpenAI's framing is off by a little.
 */
const CHARS_TOKENS_PER_MESSAGE = 5;
const CHARS_TOKENS_PER_NAME = 1;
const CHARS_REPLY_PRIMING_TOKENS = 5;

export function createTokenizer(name: TokenizerName = 'o200k'): SandboxTokenizer {
  if (name === 'o200k') {
    return {
      name,
      count: countTokens,
      countChat: countChatTokens,
      truncate: truncateToTokens,
      dropLeading(text, tokens) {
        // Keep the last (total - tokens) tokens: truncate the reversed problem by length.
        const total = countTokens(text);
        if (tokens <= 0) return text;
        if (tokens >= total) return '';
        const keep = truncateToTokens(text, tokens);
        return text.slice(keep.length);
      },
    };
  }
  const charsPerToken = name === 'chars4' ? 4 : 3;
  const count = (text: string): number => Math.ceil(codePoints(text) / charsPerToken);
  return {
    name,
    count,
    countChat(messages) {
      let total = CHARS_REPLY_PRIMING_TOKENS;
      for (const m of messages) {
        total += CHARS_TOKENS_PER_MESSAGE + count(m.content ?? '');
        if (m.name) total += CHARS_TOKENS_PER_NAME + count(m.name);
      }
      return total;
    },
    truncate(text, maxTokens) {
      return sliceCodePoints(text, 0, Math.max(0, maxTokens) * charsPerToken);
    },
    dropLeading(text, tokens) {
      return tokens <= 0 ? text : sliceCodePoints(text, tokens * charsPerToken);
    },
  };
}

/** Unicode code points, so an emoji or a CJK character counts once, as a reader would count it. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
}

function sliceCodePoints(text: string, start: number, end?: number): string {
  // Fast path: no surrogates means code points are UTF-16 units.
  if (!/[\ud800-\udfff]/.test(text)) return text.slice(start, end);
  return Array.from(text).slice(start, end).join('');
}
