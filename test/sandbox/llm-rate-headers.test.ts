/**
 * The model's rate limits over HTTP on a fake clock: OpenAI's `x-ratelimit-*` headers on and off,
 * 429s with each retry-after style (and what the openai client exposes), a self-hosted server that
 * refuses nothing, and the served-throughput stats a benchmark reads.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, errorOf, llmSandbox } from './support/llm-sandbox.ts';

closeSandboxesAfterEach();

const T0 = 1_800_000_000_000;
const RATE_HEADERS = [
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
];

function fakeClock() {
  const c = { now: T0, clock: () => c.now };
  return c;
}

const present = (h: Headers) => RATE_HEADERS.filter((name) => h.has(name));

/** 20,000 characters with max_tokens 10 under chars4: 5,010 prompt + 10 completion = 5,020 tokens. */
const BIG = 'x'.repeat(20_000);

describe('x-ratelimit-* headers', () => {
  it('on (default): all six, OpenAI duration format, on every answer', async () => {
    const m = await llmSandbox();
    const res = await m.chat('Hello there.');
    expect(present(res.headers)).toEqual(RATE_HEADERS);
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('500');
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('2000000');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('499');
    expect(res.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|(\d+m)?[\d.]+s)$/);
  });

  it('off: none on answers or on 429s, while the limit is still enforced', async () => {
    const m = await llmSandbox({ rateLimitHeaders: false, requestsPerMinute: 1 });
    const ok = await m.chat('One.');
    expect(ok.status).toBe(200);
    expect(present(ok.headers)).toEqual([]);
    const refused = await m.chat('Two.');
    expect(refused.status).toBe(429);
    expect(present(refused.headers)).toEqual([]);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
  });

  it('only the limits that exist are announced', async () => {
    const m = await llmSandbox({ requestsPerMinute: null, tokensPerMinute: 9_000 });
    const res = await m.chat('Hello.');
    expect(present(res.headers)).toEqual(RATE_HEADERS.filter((h) => h.includes('tokens')));
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('9000');
  });
});

describe('429 enforcement (tokens per minute 10,000, fake clock)', () => {
  async function twoBigRequests(retryAfter?: 'both' | 'seconds' | 'none') {
    const c = fakeClock();
    const m = await llmSandbox(
      { tokenizer: 'chars4', tokensPerMinute: 10_000, ...(retryAfter ? { retryAfter } : {}) },
      { clock: c.clock },
    );
    const first = await m.chat(BIG, { max_tokens: 10 });
    expect(first.status).toBe(200);
    expect(first.body.usage).toMatchObject({ prompt_tokens: 5_010, completion_tokens: 10 });
    c.now += 10_000;
    return { m, c };
  }

  it('refuses the second with OpenAI body, retry-after = until the first leaves the window', async () => {
    const { m, c } = await twoBigRequests();
    const res = await m.chat(BIG, { max_tokens: 10 });
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: {
        message: 'Rate limit reached for tokens per min (TPM): Limit 10000, Used 5020, Requested 5020. Please try again in 50s.',
        type: 'tokens',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    expect(res.headers.get('retry-after')).toBe('50');
    expect(res.headers.get('retry-after-ms')).toBe('50000');
    expect(res.headers.get('x-ratelimit-remaining-tokens')).toBe('4980');
    expect(res.headers.get('x-ratelimit-reset-tokens')).toBe('50s');

    const err = await errorOf(m.client().chat.completions.create({ model: m.model, max_tokens: 10, messages: [{ role: 'user', content: BIG }] }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens' });
    expect(err.headers?.get('retry-after')).toBe('50');
    expect(m.sb.stats().llm).toMatchObject({ rateLimited: 2, rateLimitedBy: { tokens: 2, requests: 0, burst: 0 } });

    c.now += 50_000;
    expect((await m.chat(BIG, { max_tokens: 10 })).status).toBe(200);
  });

  it('retry-after styles: seconds only, or none (the wait is then only in the message and reset headers)', async () => {
    const seconds = await twoBigRequests('seconds');
    const s = await seconds.m.chat(BIG, { max_tokens: 10 });
    expect(s.status).toBe(429);
    expect(s.headers.get('retry-after')).toBe('50');
    expect(s.headers.has('retry-after-ms')).toBe(false);

    const none = await twoBigRequests('none');
    const n = await none.m.chat(BIG, { max_tokens: 10 });
    expect(n.status).toBe(429);
    expect(n.headers.has('retry-after')).toBe(false);
    expect(n.headers.has('retry-after-ms')).toBe(false);
    expect(n.body.error.message).toContain('Please try again in 50s.');
  });

  it('resetLimits forgets the window', async () => {
    const { m } = await twoBigRequests();
    expect((await m.chat(BIG, { max_tokens: 10 })).status).toBe(429);
    m.sb.resetLimits();
    expect((await m.chat(BIG, { max_tokens: 10 })).status).toBe(200);
  });
});

describe('a self-hosted server: no limits, no headers', () => {
  it('never refuses what a 12,000 tokens/min limit would (and announces nothing)', async () => {
    // 5 × 5,020 tokens in one minute.
    const send = async (m: Awaited<ReturnType<typeof llmSandbox>>) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await m.chat(BIG, { max_tokens: 10 })).status);
      return statuses;
    };
    const limited = await llmSandbox({ profile: 'vllm', tokenizer: 'chars4', tokensPerMinute: 12_000 });
    expect(await send(limited)).toEqual([200, 200, 429, 429, 429]);

    const selfHosted = await llmSandbox({ profile: 'vllm', tokenizer: 'chars4' });
    expect(await send(selfHosted)).toEqual([200, 200, 200, 200, 200]);
    const last = await selfHosted.chat('Anything.');
    expect(present(last.headers)).toEqual([]);
    expect(last.headers.has('retry-after')).toBe(false);
    expect(selfHosted.sb.stats().llm).toMatchObject({ rateLimited: 0, requests: 6 });
  });
});

describe('served-throughput stats', () => {
  it('tokens in the last minute, the busiest minute, the average rate, since start and since a reset', async () => {
    const c = fakeClock();
    const m = await llmSandbox({ tokenizer: 'chars4' }, { clock: c.clock });
    const usage = async (content: string): Promise<number> => (await m.chat(content, { max_tokens: 10 })).body.usage.total_tokens;
    const u1 = await usage(BIG); // at T0
    c.now += 10_000;
    const u2 = await usage(BIG); // T0 + 10 s
    c.now += 55_000;
    const u3 = await usage('A short one.'); // T0 + 65 s
    expect([u1, u2, u3]).toEqual([5_020, 5_020, 16]); // 13 + 3 for the short one

    expect(m.sb.stats().llm).toMatchObject({
      tokensLastMinute: u2 + u3,
      peakTokensPerMinute: u1 + u2,
      peakRequestsPerMinute: 2,
      firstAnswerAtMs: T0,
      lastAnswerAtMs: T0 + 65_000,
      averageTokensPerMinute: Math.round(((u1 + u2 + u3) * 60_000) / 65_000),
    });

    c.now += 1_000;
    m.sb.resetStats();
    c.now += 4_000;
    const u4 = await usage('After the reset.');
    expect(m.sb.stats().llm).toMatchObject({ requests: 1, peakTokensPerMinute: u4, firstAnswerAtMs: T0 + 70_000, averageTokensPerMinute: null });
    // Since start, unaffected by the reset.
    expect(m.sb.llmStats()).toMatchObject({ requests: 4, peakTokensPerMinute: u1 + u2 });
  });

  it('counts an injected 429 burst separately', async () => {
    const m = await llmSandbox();
    m.sb.setLlmFaults({ burst429: { count: 2, retryAfterMs: 5 } });
    expect((await m.chat('x')).status).toBe(429);
    expect((await m.chat('x')).status).toBe(429);
    expect((await m.chat('x')).status).toBe(200);
    expect(m.sb.stats().llm).toMatchObject({ rateLimited: 2, rateLimitedBy: { burst: 2, tokens: 0, requests: 0 } });
  });
});
