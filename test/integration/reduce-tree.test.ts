/**
 * The reduce on a small window, against the sandbox model over HTTP: 200 calls' findings into a
 * 4,000-token window (chars3 tokenizer, window not told). Every node must fit, the report must
 * complete and cite calls from the whole range, and a re-run with 5 more calls must find the
 * earlier groups in the cache.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBEX, createWorld } from '../../src/sandbox/gong/index.ts';
import { respondCallFindings } from '../../src/sandbox/llm/responders/call-findings.ts';
import { LlmCache, mapMessages, reduceFindings, renderTranscript, type CitedFinding, type ReduceInput } from '../../src/shared/domain/index.ts';
import { LlmClient, factsKey, redisFactsStore } from '../../src/shared/upstream/index.ts';
import { llmSandbox, type LlmSandbox } from '../sandbox/support/llm-sandbox.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const WINDOW = 4_000;
let redis: Redis;
const prefix = uniquePrefix('reduce');
beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/**
 * Findings of `count` hour-long calls, as the map step leaves them: the sandbox model's own
 * answer to each transcript (real quotes at real timestamps), in start-time order.
 */
function callsWithFindings(count: number): ReduceInput['calls'] {
  const world = createWorld({ seed: 7, callsPerAccount: count });
  const account = world.accountIdOf('deals');
  const calls = [...world.account(account)!.calls].sort((a, b) => a.startedMs - b.startedMs).slice(-count);
  return calls.map((call) => {
    const speakers = Object.fromEntries(world.callParties(call.id).map((p) => [p.speakerId, { name: p.name, affiliation: p.affiliation }]));
    const lines = renderTranscript({ callId: call.id, transcript: world.transcript(call.id)! }, speakers).map((l) => l.line);
    const answer = respondCallFindings(mapMessages({ title: call.title, started: new Date(call.startedMs).toISOString() }, lines)[1]!.content);
    const findings: CitedFinding[] = answer.findings.map((f) => ({ ...f, callId: call.id }));
    return { callId: call.id, findings, sentiment: answer.customerSentiment };
  });
}

describe('reduce: 200 calls of findings into a 4,000-token window', () => {
  let m: LlmSandbox;
  let llm: LlmClient;
  let cache: LlmCache;
  const all = callsWithFindings(205);
  const first = all.slice(0, 200);

  beforeAll(async () => {
    m = await llmSandbox({ contextWindowTokens: WINDOW, tokenizer: 'chars3', modelsInfo: 'openai' });
    llm = new LlmClient({
      baseUrl: m.sb.env.OPENAI_BASE_URL,
      apiKey: m.sb.env.OPENAI_API_KEY,
      model: m.model,
      maxOutputTokens: 2_048,
      facts: redisFactsStore(redis, factsKey(prefix, m.sb.env.OPENAI_BASE_URL, m.model)),
    });
    cache = new LlmCache({ redis, prefix, ttlSeconds: 600, model: m.model });
  });
  afterAll(async () => {
    await m?.sb.close();
  });

  it('completes as a tree, every prompt within the window, every citation from the input', async () => {
    expect(first.reduce((n, c) => n + c.findings.length, 0)).toBeGreaterThan(400);
    const res = await reduceFindings(llm, cache, { subject: GLOBEX, calls: first });
    console.log(`200 calls at ${WINDOW} tokens: ${res.llmCalls} reduce completions, largest prompt ${res.maxPromptTokens} tokens`);
    const stats = m.sb.stats().llm;
    // One refusal taught the window; nothing after it was refused, and every answer fit.
    expect(stats.rejectedContext).toBe(1);
    expect(res.maxPromptTokens).toBeLessThan(WINDOW);
    // A tree: many leaves, merges above them, no merge left to code.
    expect(res.llmCalls).toBeGreaterThan(20);
    expect(res.localMerges).toBe(0);
    expect(res.droppedCitations).toBe(0);
    const points = [res.report.objections, res.report.risks, res.report.competitors, res.report.pricing, res.report.nextSteps].flat();
    expect(points.length).toBeGreaterThanOrEqual(5);
    const cited = new Set(points.flatMap((p) => p.citations.map((c) => c.callId)));
    const ids = first.map((c) => c.callId);
    for (const id of cited) expect(ids).toContain(id);
    expect(res.report.headline).not.toBe('');
  }, 240_000);

  it('a re-run with 5 more calls re-reduces only the last group and the merges above it', async () => {
    m.sb.resetStats();
    const res = await reduceFindings(llm, cache, { subject: GLOBEX, calls: all });
    console.log(`re-run of 205 calls at ${WINDOW} tokens: ${res.llmCalls} reduce completions, ${res.cachedGroups} from the cache`);
    expect(res.cachedGroups).toBeGreaterThan(15);
    expect(res.llmCalls).toBeLessThan(res.cachedGroups / 2);
    expect(res.localMerges).toBe(0);
    expect(m.sb.stats().llm.rejectedContext).toBe(0);
  }, 240_000);
});
