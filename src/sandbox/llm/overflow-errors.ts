/**
 * What the sandbox model does with a prompt that does not fit its context window, in the words
 * (status, body, message) and by the rule (does the requested completion count?) of each real
 * OpenAI-compatible server. Sources per style are in `docs` of each branch below.
 */

/**
 * - `openai`: 400 `context_length_exceeded`; prompt + (max_tokens, else the default reservation)
 *   must fit (the sandbox's behaviour before styles existed).
 * - `vllm`: vLLM ≤ 0.9, the flat `{"object":"error",…}` body; prompt + max_tokens must fit.
 * - `vllm-new`: vLLM ≥ 0.10, `{"error":{…,"type":"BadRequestError","code":400}}` with
 *   `(parameter=…, value=…)` appended to the message; prompt must be < window, max_tokens ≤ the rest.
 * - `llamacpp`: 400 `exceed_context_size_error` with `n_prompt_tokens` / `n_ctx`; only the prompt
 *   counts, the completion stops (finish_reason `length`) when the window is full.
 * - `llamacpp-old`: the same body with the older message that names no numbers.
 * - `tgi`: 422 `{"error":"Input validation error: …","error_type":"validation"}`; prompt + max_new_tokens.
 * - `lmstudio`: 400 `{"error":"Trying to keep the first N tokens when context the overflows…"}`.
 * - `openrouter`: 400 `{"error":{"message":"This endpoint's maximum context length is …","code":400}}`.
 * - `ollama`: never refuses: the prompt is silently truncated to the window (oldest text first) and
 *   answered with 200; `usage.prompt_tokens` reports the truncated size.
 */
export type OverflowStyle =
  | 'openai'
  | 'vllm'
  | 'vllm-new'
  | 'llamacpp'
  | 'llamacpp-old'
  | 'tgi'
  | 'lmstudio'
  | 'openrouter'
  | 'ollama';

export const OVERFLOW_STYLES: readonly OverflowStyle[] = [
  'openai',
  'vllm',
  'vllm-new',
  'llamacpp',
  'llamacpp-old',
  'tgi',
  'lmstudio',
  'openrouter',
  'ollama',
];

export interface ContextCheck {
  promptTokens: number;
  /** `max_completion_tokens ?? max_tokens` from the request, if any. */
  maxTokens: number | undefined;
  /** What the `openai` style reserves when the request names no max (the sandbox's default). */
  defaultMaxTokens: number;
  windowTokens: number;
}

export type ContextVerdict =
  | {
      kind: 'fits';
      /** Tokens the rate limiter reserves for the answer. */
      reservedTokens: number;
      /** Most completion tokens this server will generate (the rest of the window), if bounded. */
      completionCapTokens: number | undefined;
    }
  | { kind: 'refuse'; status: number; body: unknown }
  | { kind: 'truncate'; keepTokens: number; reservedTokens: number; completionCapTokens: number | undefined };

/** Applies `style`'s rule to a request; a refusal carries the server's exact status and body. */
export function checkContext(style: OverflowStyle, c: ContextCheck): ContextVerdict {
  const { promptTokens: p, maxTokens: m, windowTokens: l } = c;
  const rest = Math.max(0, l - p);
  const fits = (reserved: number, cap: number | undefined): ContextVerdict => ({
    kind: 'fits',
    reservedTokens: reserved,
    completionCapTokens: cap,
  });
  switch (style) {
    case 'openai': {
      // OpenAI's own wording; both sentences are in its public error catalogue and client fixtures.
      const reserved = m ?? c.defaultMaxTokens;
      if (p + reserved <= l) return fits(reserved, undefined);
      const message =
        p > l
          ? `This model's maximum context length is ${l} tokens. However, your messages resulted in ${p} tokens. ` +
            'Please reduce the length of the messages.'
          : `This model's maximum context length is ${l} tokens. However, you requested ${p + reserved} tokens ` +
            `(${p} in the messages, ${reserved} in the completion). Please reduce the length of the messages or completion.`;
      return refuse(400, {
        error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
      });
    }
    case 'vllm': {
      // vllm/entrypoints/openai/serving_engine.py `_validate_input` (v0.8-0.9); ErrorResponse was flat.
      if (m === undefined ? p < l : p + m <= l) return fits(m ?? rest, m ?? rest);
      const message =
        m === undefined
          ? `This model's maximum context length is ${l} tokens. However, you requested ${p} tokens in the messages, ` +
            'Please reduce the length of the messages.'
          : `This model's maximum context length is ${l} tokens. However, you requested ${p + m} tokens ` +
            `(${p} in the messages, ${m} in the completion). Please reduce the length of the messages or completion.`;
      return refuse(400, { object: 'error', message, type: 'BadRequestError', param: null, code: 400 });
    }
    case 'vllm-new': {
      // chat_completion/serving.py (`prompt_len >= max_model_len`), the max_tokens check, and
      // VLLMValidationError.__str__ appending "(parameter=…, value=…)"; ErrorResponse wraps `error`.
      if (p >= l) {
        const message = `This model's maximum context length is ${l} tokens. However, your request has ${p} input tokens. (parameter=input_tokens, value=${p})`;
        return refuse(400, { error: { message, type: 'BadRequestError', param: 'input_tokens', code: 400 } });
      }
      if (m !== undefined && m > rest) {
        const message =
          `'max_tokens' or 'max_completion_tokens' is too large: ${m}. This model's maximum context length is ${l} tokens ` +
          `and your request has ${p} input tokens (${m} > ${l} - ${p}). (parameter=max_tokens, value=${m})`;
        return refuse(400, { error: { message, type: 'BadRequestError', param: 'max_tokens', code: 400 } });
      }
      return fits(m ?? rest, m ?? rest);
    }
    case 'llamacpp':
    case 'llamacpp-old': {
      // tools/server/server-context.cpp: `n_tokens >= slot.n_ctx` → ERROR_TYPE_EXCEED_CONTEXT_SIZE;
      // server-task.cpp adds n_prompt_tokens / n_ctx to that error's JSON. max_tokens is not checked.
      if (p < l) return fits(Math.min(m ?? rest, rest), rest);
      const message =
        style === 'llamacpp'
          ? `request (${p} tokens) exceeds the available context size (${l} tokens), try increasing it`
          : 'the request exceeds the available context size, try increasing it';
      return refuse(400, {
        error: { code: 400, message, type: 'exceed_context_size_error', n_prompt_tokens: p, n_ctx: l },
      });
    }
    case 'tgi': {
      // text-generation-inference router validation; max_input_tokens defaults to max_total_tokens - 1.
      const maxInput = l - 1;
      if (p > maxInput) {
        return refuse(422, {
          error: `Input validation error: \`inputs\` must have less than ${maxInput} tokens. Given: ${p}`,
          error_type: 'validation',
        });
      }
      if (m !== undefined && p + m > l) {
        return refuse(422, {
          error:
            `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${l}. ` +
            `Given: ${p} \`inputs\` tokens and ${m} \`max_new_tokens\``,
          error_type: 'validation',
        });
      }
      return fits(m ?? rest, m ?? rest);
    }
    case 'lmstudio': {
      if (p < l) return fits(Math.min(m ?? rest, rest), rest);
      return refuse(400, {
        error:
          `Trying to keep the first ${p} tokens when context the overflows. However, the model is loaded with ` +
          `context length of only ${l} tokens, which is not enough. Try to load the model with a larger context ` +
          'length, or provide a shorter input',
      });
    }
    case 'openrouter': {
      const wanted = m ?? 0;
      if (p + wanted <= l) return fits(m ?? rest, m ?? rest);
      return refuse(400, {
        error: {
          message:
            `This endpoint's maximum context length is ${l} tokens. However, you requested about ${p + wanted} tokens ` +
            `(${p} of text input, ${wanted} in the output). Please reduce the length of either one, or use the ` +
            '"middle-out" transform to compress your prompt automatically.',
          code: 400,
          metadata: { provider_name: null },
        },
      });
    }
    case 'ollama': {
      // Ollama's runner logs "truncating input prompt" and keeps going; the client is never told.
      const reserved = m ?? 0;
      if (p <= l) return fits(reserved, undefined);
      return { kind: 'truncate', keepTokens: l, reservedTokens: reserved, completionCapTokens: undefined };
    }
  }
}

function refuse(status: number, body: unknown): ContextVerdict {
  return { kind: 'refuse', status, body };
}
