/**
 * The LLM client against the sandbox model over HTTP, told nothing about the server: it reads
 * each models-info shape, learns the window from each server's refusal (old vLLM's flat body
 * included, which the openai client alone reports as "no body") or from Ollama's silent
 * truncation, learns the server's token counts, and shares all of it through Redis so a second
 * process neither probes again nor is refused.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallFindings, SCHEMA_NAMES } from '../../src/shared/domain/index.ts';
import {
  ContextOverflowError,
  LlmClient,
  factsKey,
  probeContextWindow,
  redisFactsStore,
  countChatTokens,
  type ChatMessage,
} from '../../src/shared/upstream/index.ts';
import type { LlmOptions } from '../../src/sandbox/llm/options.ts';
import { OVERFLOW_STYLES } from '../../src/sandbox/llm/overflow-errors.ts';
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

const WINDOW = 8_000;

/** A transcript-like prompt of about `lines` × 25 fleet tokens, in the map step's format. */
function transcript(lines: number): ChatMessage[] {
  const body = Array.from({ length: lines }, (_, i) => `[00:${String(i % 60).padStart(2, '0')}:00] Dana Cole (External): We would need the security review done before the pricing is signed off, number ${i}.`);
  return [
    { role: 'system', content: 'You analyse sales call transcripts for a sales manager.' },
    { role: 'user', content: `Call: Demo (2026-11-01)\nTranscript:\n${body.join('\n')}` },
  ];
}

/** The longest `transcript` prompt within `budgetTokens` fleet tokens. */
function transcriptWithin(budgetTokens: number): ChatMessage[] {
  let lines = 1;
  while (countChatTokens(transcript(lines + 1)) <= budgetTokens) lines += 1;
  return transcript(lines);
}

/** Fetch that counts requests by path and can hide some (a server without that endpoint). */
function spyFetch(hide: RegExp[] = []) {
  const paths: string[] = [];
  const f: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    paths.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (hide.some((re) => re.test(url.pathname))) return new Response('{"error":"Not Found"}', { status: 404 });
    return fetch(input, init);
  };
  return { fetch: f, paths };
}

function client(m: LlmSandbox, opts: { shared?: string; fetch?: typeof fetch } = {}): LlmClient {
  return new LlmClient({
    baseUrl: m.sb.env.OPENAI_BASE_URL,
    apiKey: m.sb.env.OPENAI_API_KEY,
    model: m.model,
    maxOutputTokens: 2_048,
    ...(opts.shared ? { facts: redisFactsStore(redis, opts.shared) } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

const findings = (c: LlmClient, messages: ChatMessage[]) => c.parse(CallFindings, SCHEMA_NAMES.callFindings, messages);

describe('models info: the window each server reports', () => {
  const probe = async (llm: LlmOptions, hide: RegExp[] = []) => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW, trainedContextTokens: 131_072, ...llm });
    return probeContextWindow({ baseUrl: m.sb.env.OPENAI_BASE_URL, apiKey: m.sb.env.OPENAI_API_KEY, model: m.model, fetch: spyFetch(hide).fetch });
  };

  it.each([
    ['vllm', [], { windowTokens: WINDOW, runtime: true, source: 'GET /models max_model_len' }],
    ['openrouter', [], { windowTokens: WINDOW, runtime: true, source: 'GET /models context_length' }],
    ['llamacpp', [], { windowTokens: WINDOW, runtime: true, source: 'GET /props default_generation_settings.n_ctx' }],
    ['llamacpp', [/^\/props$/], { windowTokens: 131_072, runtime: false, source: 'GET /models meta.n_ctx_train' }],
    ['ollama', [], { windowTokens: WINDOW, runtime: true, source: 'GET /api/ps context_length' }],
    ['ollama', [/^\/api\/ps$/], { windowTokens: 131_072, runtime: false, source: 'POST /api/show llama.context_length' }],
    ['lmstudio', [], { windowTokens: WINDOW, runtime: true, source: 'GET /api/v0/models loaded_context_length' }],
    ['lmstudio', [/^\/api\/v0\//], { windowTokens: WINDOW, runtime: true, source: 'GET /api/v1/models loaded_instances.config.context_length' }],
  ] as const)('%s (hiding %j)', async (modelsInfo, hide, expected) => {
    expect(await probe({ modelsInfo }, [...hide])).toEqual(expected);
  });

  it.each(['openai', 'none'] as const)('%s: nothing to read', async (modelsInfo) => {
    expect(await probe({ modelsInfo })).toBeNull();
  });
});

describe('learning the window from a refusal, in each server style', () => {
  const refusing = OVERFLOW_STYLES.filter((s) => s !== 'ollama');
  it.each(refusing)('%s: one refusal, then the window and the factor are known and nothing is refused', async (overflowError) => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW, modelsInfo: 'openai', tokenizer: 'chars3', overflowError });
    const c = client(m);
    expect((await c.budget({ kind: SCHEMA_NAMES.callFindings })).window).toMatchObject({ source: 'assumed', confirmed: false });
    const err = await findings(c, transcript(800)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContextOverflowError);
    expect(err).toMatchObject({ retryable: true });
    const b = await c.budget({ kind: SCHEMA_NAMES.callFindings });
    expect(b.window).toMatchObject({ tokens: WINDOW, confirmed: true, source: 'refusal' });
    // chars3 counts more than the fleet: the budget shrank below the window minus the output.
    expect(b.tokenRatio).toBeGreaterThan(1.1);
    expect(b.promptTokens).toBeLessThan(WINDOW - b.outputTokens);
    // A prompt at the learned budget is answered.
    const ok = await findings(c, transcriptWithin(b.promptTokens));
    expect(ok.promptTokens).toBeLessThanOrEqual(WINDOW - b.outputTokens);
    expect(m.sb.stats().llm.rejectedContext).toBe(1);
  });

  it('old vLLM: the flat error body is read although the openai client reports "no body"', async () => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW, modelsInfo: 'openai', overflowError: 'vllm' });
    const c = client(m);
    const err = (await findings(c, transcript(800)).catch((e: unknown) => e)) as ContextOverflowError;
    expect(err).toBeInstanceOf(ContextOverflowError);
    expect(String((err.cause as Error).message)).toContain('no body');
    expect((await c.budget()).window).toMatchObject({ tokens: WINDOW, source: 'refusal' });
  });

  it('Ollama: a silently truncated prompt is detected from usage and teaches the window', async () => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW, modelsInfo: 'openai', overflowError: 'ollama', tokenizer: 'chars4' });
    const c = client(m);
    const err = await findings(c, transcript(800)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContextOverflowError);
    expect(m.sb.stats().llm.truncatedPrompts).toBe(1);
    const b = await c.budget({ kind: SCHEMA_NAMES.callFindings });
    expect(b.window).toMatchObject({ tokens: WINDOW, source: 'truncation' });
    await findings(c, transcriptWithin(b.promptTokens));
    expect(m.sb.stats().llm.truncatedPrompts).toBe(1);
  });
});

describe('shared by the fleet through Redis', () => {
  it('one process probes and learns; another starts knowing, without probing or being refused', async () => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW, modelsInfo: 'openai', tokenizer: 'chars3' });
    const prefix = uniquePrefix('llmfacts');
    prefixes.push(prefix);
    const key = factsKey(prefix, m.sb.env.OPENAI_BASE_URL, m.model);
    const spyA = spyFetch();
    const spyB = spyFetch();
    const a = client(m, { shared: key, fetch: spyA.fetch });
    const b = client(m, { shared: key, fetch: spyB.fetch });
    // Both start at once: only one of them asks the server for its models.
    await Promise.all([a.budget(), b.budget()]);
    const probes = [...spyA.paths, ...spyB.paths].filter((p) => p === 'GET /v1/models');
    expect(probes).toHaveLength(1);
    await findings(a, transcript(800)).catch(() => undefined);
    expect(m.sb.stats().llm.rejectedContext).toBe(1);
    // B refreshes its copy within seconds; `budget` after that shows what A learned.
    await new Promise((r) => setTimeout(r, 2_100));
    const bb = await b.budget({ kind: SCHEMA_NAMES.callFindings });
    expect(bb.window).toMatchObject({ tokens: WINDOW, source: 'refusal' });
    await findings(b, transcriptWithin(bb.promptTokens));
    expect(m.sb.stats().llm.rejectedContext).toBe(1);
    expect(spyB.paths.filter((p) => p.startsWith('POST /v1/chat'))).toHaveLength(1);
  });
});
