/**
 * Context-overflow refusals in each real server's words, over HTTP: status, exact body, and what the
 * official openai client makes of it (status / code / type / param / message), plus each server's
 * rule for whether the requested completion counts against the window.
 *
 * The model counts with `chars4` so the arithmetic is exact: one user message of c characters is
 * 5 (reply priming) + 5 (message framing) + ceil(c / 4) prompt tokens.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { OverflowStyle } from '../../src/sandbox/llm/options.ts';
import { closeSandboxesAfterEach, errorOf, llmSandbox } from './support/llm-sandbox.ts';

closeSandboxesAfterEach();

const WINDOW = 4_000;
/** 16,000 characters: 4,010 prompt tokens, over the window on its own. */
const TOO_LONG = 'x'.repeat(16_000);
/** 400 characters: 110 prompt tokens; with max_tokens 3,950 the total (4,060) is over. */
const SHORT = 'y'.repeat(400);

async function model(overflowError: OverflowStyle) {
  return llmSandbox({ overflowError, tokenizer: 'chars4', contextWindowTokens: WINDOW, defaultMaxTokens: 256 });
}

describe('overflow errors: the prompt alone is too long (4,010 tokens, window 4,000)', () => {
  const cases: { style: OverflowStyle; status: number; body: unknown; client: Record<string, unknown>; clientClass: unknown }[] = [
    {
      style: 'openai',
      status: 400,
      body: {
        error: {
          message: "This model's maximum context length is 4000 tokens. However, your messages resulted in 4010 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
      client: { code: 'context_length_exceeded', type: 'invalid_request_error', param: 'messages' },
      clientClass: OpenAI.BadRequestError,
    },
    {
      style: 'vllm',
      status: 400,
      body: {
        object: 'error',
        message: "This model's maximum context length is 4000 tokens. However, you requested 4010 tokens in the messages, Please reduce the length of the messages.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
      // The flat body has no `error` key: the openai client keeps nothing of it.
      client: { code: undefined, type: undefined, message: '400 status code (no body)', error: undefined },
      clientClass: OpenAI.BadRequestError,
    },
    {
      style: 'vllm-new',
      status: 400,
      body: {
        error: {
          message: "This model's maximum context length is 4000 tokens. However, your request has 4010 input tokens. (parameter=input_tokens, value=4010)",
          type: 'BadRequestError',
          param: 'input_tokens',
          code: 400,
        },
      },
      client: { code: 400, type: 'BadRequestError', param: 'input_tokens' },
      clientClass: OpenAI.BadRequestError,
    },
    {
      style: 'llamacpp',
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'request (4010 tokens) exceeds the available context size (4000 tokens), try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 4010,
          n_ctx: 4000,
        },
      },
      client: { code: 400, type: 'exceed_context_size_error', param: undefined },
      clientClass: OpenAI.BadRequestError,
    },
    {
      style: 'llamacpp-old',
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 4010,
          n_ctx: 4000,
        },
      },
      client: { code: 400, type: 'exceed_context_size_error' },
      clientClass: OpenAI.BadRequestError,
    },
    {
      style: 'tgi',
      status: 422,
      body: { error: 'Input validation error: `inputs` must have less than 3999 tokens. Given: 4010', error_type: 'validation' },
      // `error` is a string: the client JSON-encodes it into the message and has no code.
      client: { code: undefined, message: '422 "Input validation error: `inputs` must have less than 3999 tokens. Given: 4010"' },
      clientClass: OpenAI.UnprocessableEntityError,
    },
    {
      style: 'lmstudio',
      status: 400,
      body: {
        error:
          'Trying to keep the first 4010 tokens when context the overflows. However, the model is loaded with context length of only 4000 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input',
      },
      client: { code: undefined, type: undefined },
      clientClass: OpenAI.BadRequestError,
    },
  ];

  it.each(cases)('$style → $status', async ({ style, status, body, client, clientClass }) => {
    const m = await model(style);
    const res = await m.chat(TOO_LONG);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);

    const err = await errorOf(m.client().chat.completions.create({ model: m.model, messages: [{ role: 'user', content: TOO_LONG }] }));
    expect(err).toBeInstanceOf(clientClass);
    expect(err.status).toBe(status);
    expect(err).toMatchObject(client);
    if (!('message' in client)) {
      const message = (body as { error: { message?: string } | string }).error;
      expect(err.message).toBe(`${status} ${typeof message === 'string' ? JSON.stringify(message) : message.message}`);
    }
    expect(m.sb.stats().llm).toMatchObject({ requests: 2, rejectedContext: 2, maxPromptTokensSeen: 4010, promptTokens: 0 });
  });

  it('openrouter words it its own way (and counts max_tokens)', async () => {
    const m = await model('openrouter');
    const res = await m.chat(SHORT, { max_tokens: 3_950 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        message:
          "This endpoint's maximum context length is 4000 tokens. However, you requested about 4060 tokens (110 of text input, 3950 in the output). Please reduce the length of either one, or use the \"middle-out\" transform to compress your prompt automatically.",
        code: 400,
        metadata: { provider_name: null },
      },
    });
    const err = await errorOf(m.client().chat.completions.create({ model: m.model, max_tokens: 3_950, messages: [{ role: 'user', content: SHORT }] }));
    expect(err).toMatchObject({ status: 400, code: 400 });
  });
});

describe('overflow errors: prompt fits, prompt + max_tokens does not (110 + 3,950 > 4,000)', () => {
  it('openai counts the completion: "you requested 4060 tokens (110 in the messages, 3950 in the completion)"', async () => {
    const m = await model('openai');
    const res = await m.chat(SHORT, { max_tokens: 3_950 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "This model's maximum context length is 4000 tokens. However, you requested 4060 tokens (110 in the messages, 3950 in the completion). Please reduce the length of the messages or completion.",
    );
    // Without max_tokens the sandbox's default reservation (256 here) is what counts.
    expect((await m.chat(SHORT)).status).toBe(200);
  });

  it('vllm (flat) and vllm-new word the same refusal differently', async () => {
    const old = await model('vllm');
    const oldRes = await old.chat(SHORT, { max_completion_tokens: 3_950 });
    expect(oldRes.status).toBe(400);
    expect(oldRes.body).toEqual({
      object: 'error',
      message:
        "This model's maximum context length is 4000 tokens. However, you requested 4060 tokens (110 in the messages, 3950 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    const fresh = await model('vllm-new');
    const err = await errorOf(fresh.client().chat.completions.create({ model: fresh.model, max_tokens: 3_950, messages: [{ role: 'user', content: SHORT }] }));
    expect(err).toMatchObject({ status: 400, code: 400, type: 'BadRequestError', param: 'max_tokens' });
    expect(err.message).toBe(
      "400 'max_tokens' or 'max_completion_tokens' is too large: 3950. This model's maximum context length is 4000 tokens and your request has 110 input tokens (3950 > 4000 - 110). (parameter=max_tokens, value=3950)",
    );
    // Exactly the rest of the window is allowed.
    expect((await fresh.chat(SHORT, { max_tokens: 3_890 })).status).toBe(200);
  });

  it('tgi refuses with 422 MaxTotalTokens', async () => {
    const m = await model('tgi');
    const res = await m.chat(SHORT, { max_tokens: 3_950 });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4000. Given: 110 `inputs` tokens and 3950 `max_new_tokens`',
      error_type: 'validation',
    });
  });

  it.each(['llamacpp', 'lmstudio'] as const)('%s counts only the prompt: answered', async (style) => {
    const m = await model(style);
    const res = await m.chat(SHORT, { max_tokens: 50_000 });
    expect(res.status).toBe(200);
    expect(res.body.usage.prompt_tokens).toBe(110);
  });
});

describe('window edges and the completion cap', () => {
  // 15,948 characters: 10 + 3,987 = 3,997 prompt tokens, 3 left in the window.
  const NEAR_FULL = 'Alpha beta gamma. '.repeat(886);

  it.each(['llamacpp', 'vllm-new', 'vllm'] as const)('%s: a prompt 3 tokens short of the window gets a 3-token answer cut with finish_reason length', async (style) => {
    const m = await model(style);
    const out = await m.client().chat.completions.create({ model: m.model, messages: [{ role: 'user', content: NEAR_FULL }] });
    expect(out.usage).toMatchObject({ prompt_tokens: 3_997, completion_tokens: 3, total_tokens: 4_000 });
    expect(out.choices[0]!.finish_reason).toBe('length');
    expect(out.choices[0]!.message.content).toBe('Alpha beta g');
  });

  it.each([
    ['vllm-new', 3_999, 200],
    ['vllm-new', 4_000, 400],
    ['llamacpp', 4_000, 400],
    ['tgi', 3_999, 200],
    ['tgi', 4_000, 422],
    ['lmstudio', 4_000, 400],
  ] as const)('%s with a %i-token prompt → %i', async (style, promptTokens, status) => {
    const m = await model(style);
    const res = await m.chat('z'.repeat((promptTokens - 10) * 4));
    expect(res.status).toBe(status);
  });
});

describe('ollama: never refuses, silently truncates the oldest text', () => {
  it('answers 200 from the tail of the prompt and reports the truncated size in usage', async () => {
    const m = await model('ollama');
    const prompt = `Opening instructions are here. ${'filler words. '.repeat(1_500)}The closing sentence survives.`;
    const out = await m.client().chat.completions.create({
      model: m.model,
      messages: [
        { role: 'system', content: 'You are a careful analyst. Never invent quotes.' },
        { role: 'user', content: prompt },
      ],
    });
    expect(out.usage!.prompt_tokens).toBeLessThanOrEqual(WINDOW);
    expect(out.usage!.prompt_tokens).toBeGreaterThan(WINDOW - 10);
    const answer = out.choices[0]!.message.content!;
    expect(answer).not.toContain('Opening instructions');
    expect(answer).toContain('filler words.');
    expect(m.sb.stats().llm).toMatchObject({ rejectedContext: 0, truncatedPrompts: 1, maxPromptTokensSeen: 5_293 });
    // A prompt that fits is untouched.
    const small = await m.client().chat.completions.create({ model: m.model, messages: [{ role: 'user', content: 'Short one.' }] });
    expect(small.choices[0]!.message.content).toBe('Short one.');
    expect(m.sb.stats().llm.truncatedPrompts).toBe(1);
  });
});
