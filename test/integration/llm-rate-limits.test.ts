/**
 * LLM rate limits from the server, end to end: the LLM client through the governor's gate on a
 * real Redis against the sandbox model over HTTP. Limits the server announces are adopted
 * fleet-wide and estimates are refunded with real usage; a server that announces nothing and
 * refuses nothing is never throttled; a 429's wait is honoured in every style it comes in.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallFindings, SCHEMA_NAMES } from '../../src/shared/domain/index.ts';
import { RetryAfterError } from '../../src/shared/platform/index.ts';
import { LlmClient, RateGovernor, RateLimitWaitError, llmGate, type ChatMessage } from '../../src/shared/upstream/index.ts';
import type { LlmOptions } from '../../src/sandbox/llm/options.ts';
import { closeSandboxesAfterEach, llmSandbox, type LlmSandbox } from '../sandbox/support/llm-sandbox.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

closeSandboxesAfterEach();

let redis: Redis;
const prefixes: string[] = [];
beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  for (const p of prefixes) await deletePrefix(redis, p);
  redis.disconnect();
});

const prompt = (i: number): ChatMessage[] => [
  { role: 'system', content: 'You analyse sales call transcripts for a sales manager.' },
  { role: 'user', content: `Call: Demo ${i} (2026-11-01)\nTranscript:\n[00:00:01] Dana Cole (External): The pricing is too high for us, call ${i}.` },
];

async function fleet(llm: LlmOptions, gateOpts: { maxHoldMs?: number } = {}) {
  const m: LlmSandbox = await llmSandbox({ contextWindowTokens: 16_384, ...llm });
  const prefix = `${uniquePrefix('llmrate')}:gov`;
  prefixes.push(prefix);
  const governor = new RateGovernor({ redis, prefix });
  const client = new LlmClient({
    baseUrl: m.sb.env.OPENAI_BASE_URL,
    apiKey: m.sb.env.OPENAI_API_KEY,
    model: m.model,
    maxOutputTokens: 2_048,
    contextTokens: 16_384,
    gate: llmGate(governor, gateOpts),
  });
  const bucket = `llm:${m.model}`;
  return { m, governor, client, bucket, ask: (i: number) => client.parse(CallFindings, SCHEMA_NAMES.callFindings, prompt(i)) };
}

describe('limits the server announces', () => {
  it('are adopted from x-ratelimit-limit-*, and the tokens window holds real usage, not the estimate', async () => {
    const f = await fleet({ requestsPerMinute: 500, tokensPerMinute: 400_000 });
    const before = await f.governor.state(f.bucket);
    expect(before.limits).toEqual([]); // nothing known, nothing capped
    const res = await f.ask(1);
    const after = await f.governor.state(f.bucket);
    expect(after.limits.map((l) => [l.name, l.limit])).toEqual([
      ['llm-rpm', 500],
      ['llm-tpm', 400_000],
    ]);
    // The request reserved its prompt plus 2,048 output tokens; the answer used far fewer, given back.
    const used = res.promptTokens + res.completionTokens;
    const tpm = after.limits.find((l) => l.name === 'llm-tpm')!;
    expect(400_000 - tpm.availableNow).toBe(used);
    expect(used).toBeLessThan(2_048);
  });

  it("are held to: a minute's allowance goes at once, the next request waits for the window", async () => {
    const f = await fleet({ requestsPerMinute: 3, tokensPerMinute: null }, { maxHoldMs: 0 });
    await f.ask(1); // learns 3 per minute from the headers
    await Promise.all([f.ask(2), f.ask(3)]);
    // The fourth is held back by the governor (the window, or the server's `remaining: 0` until
    // its reset, whichever it sees first), not sent to be refused.
    const err = await f.ask(4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect(f.m.sb.stats().llm.requests).toBe(3);
    expect(f.m.sb.stats().llm.rateLimited).toBe(0);
  });
});

describe('a server that announces nothing and refuses nothing', () => {
  it('is never throttled: 40 requests at once, no wait, no limit shown', async () => {
    const f = await fleet({ profile: 'vllm', tokenizer: 'o200k' });
    const slots: number[] = [];
    const g = f.governor;
    const reserve = g.reserveLlm.bind(g);
    g.reserveLlm = async (...args) => {
      const r = await reserve(...args);
      slots.push(r.waitMs);
      return r;
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => f.ask(i)));
    expect(slots).toHaveLength(40);
    expect(slots.every((w) => w === 0)).toBe(true);
    const state = await g.state(f.bucket);
    expect(state).toMatchObject({ limits: [], totalWaitMs: 0, rateLimited429s: 0, totalCalls: 40 });
    expect(f.m.sb.stats().llm.requests).toBe(40);
  });
});

describe('429s', () => {
  it('retry-after-ms is honoured: the job waits exactly that, and the whole fleet with it', async () => {
    const f = await fleet({});
    f.m.sb.setLlmFaults({ burst429: { count: 1, retryAfterMs: 1_500 } });
    const err = await f.ask(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((err as RetryAfterError).retryAfterMs).toBe(1_500);
    const state = await f.governor.state(f.bucket);
    expect(state.rateLimited429s).toBe(1);
    const [s, us] = await redis.time();
    const blockedForMs = state.blockedUntilMs! - (Number(s) * 1000 + Number(us) / 1000);
    expect(blockedForMs).toBeGreaterThan(1_000);
    expect(blockedForMs).toBeLessThanOrEqual(1_500);
    // Another request waits out the block (short enough to sleep in place) before it goes out.
    const startedMs = Date.now();
    await f.ask(2);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(blockedForMs - 50);
    expect(f.m.sb.stats().llm).toMatchObject({ requests: 2, rateLimited: 1 });
  });

  it('retry-after in seconds only', async () => {
    const f = await fleet({ retryAfter: 'seconds' });
    f.m.sb.setLlmFaults({ burst429: { count: 1, retryAfterMs: 1_500 } });
    const err = (await f.ask(1).catch((e: unknown) => e)) as RetryAfterError;
    expect(err.retryAfterMs).toBe(2_000);
  });

  it('no header at all: the wait and the limit the message names (a provider that only answers 429)', async () => {
    const f = await fleet({ rateLimitHeaders: false, retryAfter: 'none', requestsPerMinute: 1, tokensPerMinute: null });
    await f.ask(1);
    expect((await f.governor.state(f.bucket)).limits).toEqual([]); // nothing announced yet
    const err = (await f.ask(2).catch((e: unknown) => e)) as RetryAfterError;
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err.retryAfterMs).toBeGreaterThan(55_000); // "Please try again in 59.9s."
    expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
    const state = await f.governor.state(f.bucket);
    expect(state.limits.map((l) => [l.name, l.limit])).toEqual([['llm-rpm', 1]]);
  });
});

describe('explicit caps (LLM_REQUESTS_PER_MINUTE / LLM_TOKENS_PER_MINUTE)', () => {
  it('hold a request in place while the window is full, up to maxHoldMs, then park the job', async () => {
    const prefix = `${uniquePrefix('llmcap')}:gov`;
    prefixes.push(prefix);
    const g = new RateGovernor({ redis, prefix, llm: { requestsPerMinute: 1 } });
    const gate = llmGate(g, { maxHoldMs: 3_000 });
    await gate.acquire({ bucket: 'm', cost: 10 });
    const startedMs = Date.now();
    const err = await gate.acquire({ bucket: 'm', cost: 10 }).catch((e: unknown) => e);
    // Held, asking again as 1 s cells free up, until another second would pass maxHoldMs.
    const heldMs = Date.now() - startedMs;
    expect(heldMs).toBeGreaterThanOrEqual(1_800);
    expect(heldMs).toBeLessThan(4_000);
    expect(err).toBeInstanceOf(RateLimitWaitError);
    expect(err).toMatchObject({ reason: 'rate' });
    expect((await g.state('llm:m')).limits.map((l) => [l.name, l.limit])).toEqual([['llm-rpm', 1]]);
  });

  it('apply below a larger announced limit', async () => {
    const prefix = `${uniquePrefix('llmcap')}:gov`;
    prefixes.push(prefix);
    const g = new RateGovernor({ redis, prefix, llm: { tokensPerMinute: 50_000 } });
    await g.observeLlm('m', { status: 200, headers: { 'x-ratelimit-limit-tokens': '400000', 'x-ratelimit-limit-requests': '500' } });
    const limits = (await g.state('llm:m')).limits.map((l) => [l.name, l.limit]);
    expect(limits).toEqual([
      ['llm-rpm', 500],
      ['llm-tpm', 50_000],
    ]);
  });
});
