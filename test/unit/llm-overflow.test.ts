/**
 * Context-length refusals in every server's words: the real bodies (as the servers' sources and
 * public reports show them) and the sandbox model's (src/sandbox/llm/overflow-errors.ts), parsed
 * into the window, the server's count of the prompt and the completion it counted.
 */
import { describe, expect, it } from 'vitest';
import { checkContext, OVERFLOW_STYLES } from '../../src/sandbox/llm/overflow-errors.ts';
import { parseContextRefusal } from '../../src/shared/upstream/index.ts';

const json = (body: unknown) => JSON.stringify(body);

describe('parseContextRefusal: real bodies', () => {
  it.each([
    [
      'OpenAI, prompt alone too long',
      400,
      json({ error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130614 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
      { dialect: 'openai', limitTokens: 128_000, promptTokens: 130_614 },
    ],
    [
      'OpenAI, prompt + completion',
      400,
      json({ error: { message: "This model's maximum context length is 16385 tokens. However, you requested 17000 tokens (15000 in the messages, 2000 in the completion). Please reduce the length of the messages or completion.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
      { dialect: 'openai', limitTokens: 16_385, promptTokens: 15_000, completionTokens: 2_000 },
    ],
    [
      'vLLM ≤ 0.9, flat body',
      400,
      json({ object: 'error', message: "This model's maximum context length is 8192 tokens. However, you requested 9048 tokens (7000 in the messages, 2048 in the completion). Please reduce the length of the messages or completion.", type: 'BadRequestError', param: null, code: 400 }),
      { dialect: 'vllm', limitTokens: 8_192, promptTokens: 7_000, completionTokens: 2_048 },
    ],
    [
      'vLLM ≤ 0.9, no max_tokens',
      400,
      json({ object: 'error', message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens in the messages, Please reduce the length of the messages.", type: 'BadRequestError', param: null, code: 400 }),
      { dialect: 'vllm', limitTokens: 8_192, promptTokens: 9_000 },
    ],
    [
      'vLLM ≥ 0.10, input tokens',
      400,
      json({ error: { message: "This model's maximum context length is 8192 tokens. However, your request has 9000 input tokens. (parameter=input_tokens, value=9000)", type: 'BadRequestError', param: 'input_tokens', code: 400 } }),
      { dialect: 'vllm', limitTokens: 8_192, promptTokens: 9_000 },
    ],
    [
      'vLLM ≥ 0.10, max_tokens',
      400,
      json({ error: { message: "'max_tokens' or 'max_completion_tokens' is too large: 2048. This model's maximum context length is 8192 tokens and your request has 7000 input tokens (2048 > 8192 - 7000). (parameter=max_tokens, value=2048)", type: 'BadRequestError', param: 'max_tokens', code: 400 } }),
      { dialect: 'vllm', limitTokens: 8_192, promptTokens: 7_000, completionTokens: 2_048 },
    ],
    [
      'llama.cpp',
      400,
      json({ error: { code: 400, message: 'request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 9000, n_ctx: 8192 } }),
      { dialect: 'llamacpp', limitTokens: 8_192, promptTokens: 9_000 },
    ],
    [
      'llama.cpp, older builds (no numbers)',
      400,
      json({ error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } }),
      { dialect: 'llamacpp' },
    ],
    [
      'TGI, input too long',
      422,
      json({ error: 'Input validation error: `inputs` must have less than 8191 tokens. Given: 9000', error_type: 'validation' }),
      { dialect: 'tgi', limitTokens: 8_192, promptTokens: 9_000 },
    ],
    [
      'TGI, input + max_new_tokens',
      422,
      json({ error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 8192. Given: 7000 `inputs` tokens and 2048 `max_new_tokens`', error_type: 'validation' }),
      { dialect: 'tgi', limitTokens: 8_192, promptTokens: 7_000, completionTokens: 2_048 },
    ],
    [
      'LM Studio',
      400,
      json({ error: 'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 8192 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input' }),
      { dialect: 'lmstudio', limitTokens: 8_192, promptTokens: 9_000 },
    ],
    [
      'OpenRouter',
      400,
      json({ error: { message: "This endpoint's maximum context length is 8192 tokens. However, you requested about 9000 tokens (7000 of text input, 2000 in the output). Please reduce the length of either one, or use the \"middle-out\" transform to compress your prompt automatically.", code: 400, metadata: { provider_name: null } } }),
      { dialect: 'openrouter', limitTokens: 8_192, promptTokens: 7_000, completionTokens: 2_000 },
    ],
  ])('%s', (_label, status, body, expected) => {
    const parsed = parseContextRefusal(status, body);
    expect(parsed).toMatchObject(expected);
    for (const field of ['limitTokens', 'promptTokens', 'completionTokens'] as const) {
      if (!(field in expected)) expect(parsed?.[field]).toBeUndefined();
    }
  });

  it('reads the openai client message when the body was not captured', () => {
    const parsed = parseContextRefusal(400, undefined, "400 This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens.");
    expect(parsed).toMatchObject({ limitTokens: 4_096, promptTokens: 5_000 });
  });

  it.each([
    ['a bad response_format', 400, json({ error: { message: "Invalid value for 'response_format': schema must be an object.", type: 'invalid_request_error', param: 'response_format', code: null } })],
    ['a missing key', 401, json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } })],
    ['a rate limit naming tokens', 429, json({ error: { message: 'Rate limit reached for tokens per min (TPM): Limit 200000, Used 199000, Requested 5000.', type: 'tokens', code: 'rate_limit_exceeded' } })],
    ['a server error', 500, json({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } })],
    ['a flat vLLM error about something else', 400, json({ object: 'error', message: 'temperature must be non-negative', type: 'BadRequestError', param: null, code: 400 })],
  ])('is null for %s', (_label, status, body) => {
    expect(parseContextRefusal(status, body)).toBeNull();
  });
});

describe('parseContextRefusal: the sandbox model in each server style', () => {
  const refusing = OVERFLOW_STYLES.filter((s) => s !== 'ollama');
  it.each(refusing)('%s: finds the window and the prompt tokens the model counted', (style) => {
    const verdict = checkContext(style, { promptTokens: 9_000, maxTokens: 2_048, defaultMaxTokens: 2_048, windowTokens: 8_000 });
    expect(verdict.kind).toBe('refuse');
    if (verdict.kind !== 'refuse') return;
    const parsed = parseContextRefusal(verdict.status, JSON.stringify(verdict.body));
    expect(parsed).not.toBeNull();
    if (style === 'llamacpp-old') {
      // The message names nothing, but the error object still carries n_ctx / n_prompt_tokens.
      expect(parsed).toMatchObject({ limitTokens: 8_000, promptTokens: 9_000 });
      return;
    }
    expect(parsed?.limitTokens).toBe(8_000);
    expect(parsed?.promptTokens).toBe(9_000);
  });

  it('vllm-new refusing only max_tokens: the window, the prompt and the completion', () => {
    const verdict = checkContext('vllm-new', { promptTokens: 7_000, maxTokens: 2_048, defaultMaxTokens: 2_048, windowTokens: 8_000 });
    expect(verdict.kind).toBe('refuse');
    if (verdict.kind !== 'refuse') return;
    expect(parseContextRefusal(verdict.status, JSON.stringify(verdict.body))).toMatchObject({ limitTokens: 8_000, promptTokens: 7_000, completionTokens: 2_048 });
  });
});
