/**
 * Tool result envelopes (docs/agent-protocol.md §3) and how much of a result each one shows.
 * A result is stored whole, by ref, as compact JSON text; the envelope shows it whole when it
 * fits, else its first characters as a string with `truncated: true` and `next_offset`, and
 * `read_result` serves the following slices. How many characters a slice gets comes from the
 * tokens the turn may still add to the conversation (budget.ts), never from a constant alone.
 */
import { countTokens } from '../../upstream/index.ts';
import type { ResultStatus } from './run-model.ts';

/** Fewest characters a slice shows; a smaller allowance means the budget is spent. */
export const MIN_SLICE_CHARS = 200;
/** Longest error text shown. */
const MAX_ERROR_CHARS = 400;
/** Per tool message framing (OpenAI's chat format: role and separators). */
export const MESSAGE_OVERHEAD_TOKENS = 5;

export interface EnvelopeSource {
  ref: string;
  tool: string;
  status: ResultStatus;
  /** The whole result as compact JSON text (ok results; small error bodies). */
  text?: string;
  error?: string;
}

export interface Envelope {
  content: string;
  /** Characters of the result shown, and the whole result's length. */
  shownChars: number;
  totalChars: number;
  tokens: number;
}

function shortError(error: string | undefined): string | undefined {
  if (error === undefined) return undefined;
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error;
}

/** The envelope of a fresh result showing characters [0, chars) (the whole result when it fits). */
export function resultEnvelope(src: EnvelopeSource, chars: number): Envelope {
  const head = `{"ref":${JSON.stringify(src.ref)},"tool":${JSON.stringify(src.tool)},"status":${JSON.stringify(src.status)}`;
  const text = src.text ?? 'null';
  const error = shortError(src.error);
  const tail = error === undefined ? '' : `,"error":${JSON.stringify(error)}`;
  if (src.status !== 'ok') {
    // Error bodies are context, not data to page through: shown whole when small, else left out.
    const body = text.length <= MAX_ERROR_CHARS ? text : 'null';
    const content = `${head},"result":${body},"truncated":false${tail}}`;
    return { content, shownChars: body === 'null' ? 0 : body.length, totalChars: text.length, tokens: tokensOf(content) };
  }
  if (chars >= text.length) {
    const content = `${head},"result":${text},"truncated":false${tail}}`;
    return { content, shownChars: text.length, totalChars: text.length, tokens: tokensOf(content) };
  }
  const shown = text.slice(0, chars);
  const content = `${head},"result":${JSON.stringify(shown)},"truncated":true,"next_offset":${chars}${tail}}`;
  return { content, shownChars: chars, totalChars: text.length, tokens: tokensOf(content) };
}

/** A `read_result` slice [offset, offset + chars) of a stored result (its ref is the source's). */
export function sliceEnvelope(ref: string, text: string, offset: number, chars: number): Envelope {
  const from = Math.min(Math.max(0, offset), text.length);
  const to = Math.min(text.length, from + Math.max(0, chars));
  const more = to < text.length;
  const content = `{"ref":${JSON.stringify(ref)},"tool":"read_result","status":"ok","result":${JSON.stringify(text.slice(from, to))},"truncated":${more}${more ? `,"next_offset":${to}` : ''}}`;
  return { content, shownChars: to - from, totalChars: text.length, tokens: tokensOf(content) };
}

/** An envelope that carries only an error (unknown ref, bad arguments, a denied write). */
export function errorEnvelope(ref: string, tool: string, status: 'error' | 'denied', error: string): Envelope {
  return resultEnvelope({ ref, tool, status, error }, 0);
}

function tokensOf(content: string): number {
  return countTokens(content) + MESSAGE_OVERHEAD_TOKENS;
}

/**
 * The largest envelope of at most `maxChars` characters whose tokens fit `allowTokens`
 * (`make(chars)` builds the envelope for a slice length). Never below MIN_SLICE_CHARS, so a
 * slice always says something; the caller stops offering tools when the budget is spent.
 */
export function fitEnvelope(make: (chars: number) => Envelope, maxChars: number, allowTokens: number): Envelope {
  let chars = Math.max(MIN_SLICE_CHARS, maxChars);
  let env = make(chars);
  for (let i = 0; i < 12 && env.tokens > allowTokens && chars > MIN_SLICE_CHARS; i++) {
    // Shrink in proportion, a little more than needed so it converges in a few steps.
    chars = Math.max(MIN_SLICE_CHARS, Math.floor(chars * (allowTokens / env.tokens) * 0.95));
    env = make(chars);
  }
  return env;
}

/**
 * Splits `available` tokens over envelopes that each want `needs[i]`: small ones get all they
 * want, the rest share what is left equally (water-filling). Returns each one's allowance.
 */
export function allocateTokens(needs: readonly number[], available: number): number[] {
  const out = new Array<number>(needs.length).fill(0);
  const order = needs.map((n, i) => ({ n, i })).sort((a, b) => a.n - b.n);
  let left = Math.max(0, available);
  let count = order.length;
  for (const { n, i } of order) {
    const share = count > 0 ? Math.floor(left / count) : 0;
    out[i] = Math.min(n, share);
    left -= out[i]!;
    count -= 1;
  }
  return out;
}
