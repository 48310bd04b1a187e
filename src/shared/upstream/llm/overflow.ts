/**
 * Reads a context-window refusal in any OpenAI-compatible server's words: whether a refused
 * request was refused for context length, and what the error says about the window (the limit,
 * the server's count of the prompt, the completion it counted). Pure functions of status and raw
 * body, so every dialect is unit-tested from real bodies. The raw body matters: vLLM ≤ 0.9 sends
 * a flat `{"object":"error","message":…}` that the openai client reports as "400 status code (no body)".
 *
 * | server            | status | where the numbers are                                                   |
 * |-------------------|--------|-------------------------------------------------------------------------|
 * | OpenAI            | 400    | code context_length_exceeded; "maximum context length is L … resulted in P" / "(P in the messages, M in the completion)" |
 * | vLLM ≤ 0.9        | 400    | flat body, the same sentences as OpenAI                                 |
 * | vLLM ≥ 0.10       | 400    | "…is L tokens. However, your request has P input tokens" / "'max_tokens' … is too large: M … L tokens … P input tokens" |
 * | llama.cpp         | 400    | type exceed_context_size_error, n_prompt_tokens / n_ctx (older builds: no numbers) |
 * | TGI               | 422    | "`inputs` must have less than N tokens. Given: P" / "… must be <= L. Given: P `inputs` tokens and M `max_new_tokens`" |
 * | LM Studio         | 400    | "Trying to keep the first P tokens … context length of only L tokens"   |
 * | OpenRouter        | 400    | "This endpoint's maximum context length is L tokens … (P of text input, M in the output)" |
 * | Ollama            | 200    | never refuses: it truncates silently (see context-budget.ts)            |
 */

export type RefusalDialect = 'openai' | 'vllm' | 'llamacpp' | 'tgi' | 'lmstudio' | 'openrouter' | 'unknown';

/** What a context-length refusal says. Any number may be missing (older servers name none). */
export interface ContextRefusal {
  dialect: RefusalDialect;
  /** The window the server enforces, in its tokens. */
  limitTokens?: number;
  /** The server's count of the refused prompt, in its tokens. */
  promptTokens?: number;
  /** The completion tokens the server counted against the window. */
  completionTokens?: number;
  /** The server's own message (at most 300 characters), for logs. */
  message: string;
}

/** Statuses a context refusal comes with: 400 almost everywhere, 422 from TGI, 413 from some gateways. */
const REFUSAL_STATUSES = new Set([400, 413, 422]);

const CONTEXT_WORDS =
  /maximum context length|context length|context size|context window|context the overflows|must have less than \d+ tokens|inputs` tokens \+ `max_new_tokens`|prompt is too long|too many tokens/i;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const num = (re: RegExp, text: string): number | undefined => {
  const m = re.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

/**
 * The context refusal in a response, or null when the response is something else. `rawBody` is
 * the body as sent (text); `fallbackMessage` is what the client library reported, used when the
 * body was not captured.
 */
export function parseContextRefusal(status: number, rawBody: string | undefined, fallbackMessage = ''): ContextRefusal | null {
  if (!REFUSAL_STATUSES.has(status)) return null;
  const body = rawBody === undefined ? undefined : parseJson(rawBody);
  const rec = asRecord(body);
  const err = asRecord(rec?.error);
  const message = String(
    (typeof err?.message === 'string' && err.message) ||
      (typeof rec?.error === 'string' && rec.error) ||
      (typeof rec?.message === 'string' && rec.message) ||
      (typeof rec?.detail === 'string' && rec.detail) ||
      (rawBody && rawBody.trim() !== '' && body === undefined ? rawBody : '') ||
      fallbackMessage,
  );
  const code = err?.code ?? rec?.code;
  const type = err?.type ?? rec?.type;
  const isContext = code === 'context_length_exceeded' || type === 'exceed_context_size_error' || CONTEXT_WORDS.test(message);
  if (!isContext) return null;
  const out: ContextRefusal = { dialect: dialectOf(status, rec, err, message), message: message.slice(0, 300) };

  // llama.cpp puts the numbers in the error object itself (newer builds).
  const nCtx = Number(err?.n_ctx);
  const nPrompt = Number(err?.n_prompt_tokens);
  if (Number.isFinite(nCtx) && nCtx > 0) out.limitTokens = nCtx;
  if (Number.isFinite(nPrompt) && nPrompt > 0) out.promptTokens = nPrompt;

  out.limitTokens ??=
    num(/maximum context length is (\d+)/i, message) ??
    num(/available context size \((\d+) tokens?\)/i, message) ??
    num(/context length of only (\d+)/i, message) ??
    num(/must be <= (\d+)/i, message) ??
    // TGI's max_input_tokens defaults to max_total_tokens - 1: the window is one more.
    plusOne(num(/must have less than (\d+) tokens/i, message));
  out.promptTokens ??=
    num(/resulted in (\d+) tokens/i, message) ??
    num(/\((\d+) in the messages/i, message) ??
    num(/requested (\d+) tokens in the messages/i, message) ??
    num(/request has (\d+) input tokens/i, message) ??
    num(/request \((\d+) tokens?\) exceeds/i, message) ??
    num(/keep the first (\d+) tokens/i, message) ??
    num(/\((\d+) of text input/i, message) ??
    num(/Given: (\d+)/i, message);
  const completion =
    num(/(\d+) in the completion/i, message) ??
    num(/(\d+) in the output/i, message) ??
    num(/and (\d+) `max_new_tokens`/i, message) ??
    num(/is too large: (\d+)/i, message);
  if (completion !== undefined) out.completionTokens = completion;
  return out;
}

function plusOne(n: number | undefined): number | undefined {
  return n === undefined ? undefined : n + 1;
}

function dialectOf(
  status: number,
  rec: Record<string, unknown> | undefined,
  err: Record<string, unknown> | undefined,
  message: string,
): RefusalDialect {
  if (err?.type === 'exceed_context_size_error' || /available context size/i.test(message)) return 'llamacpp';
  if (status === 422 || rec?.error_type === 'validation') return 'tgi';
  if (/context the overflows/i.test(message)) return 'lmstudio';
  if (/endpoint's maximum context length/i.test(message)) return 'openrouter';
  if (rec?.object === 'error' || err?.type === 'BadRequestError') return 'vllm';
  if (err?.code === 'context_length_exceeded') return 'openai';
  return 'unknown';
}
