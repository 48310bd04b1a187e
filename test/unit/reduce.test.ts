/**
 * reduceFindings: per-call findings → one cited report, with an injected fake LLM (not the
 * sandbox) so the test controls what the model answers: citations it invents must be dropped and
 * counted, findings that don't fit one prompt are reduced in groups that each fit, and groups are
 * cached so a re-run pays only for what changed.
 */
import { describe, expect, it } from 'vitest';
import { reduceFindings, type CitedFinding, type ReduceInput } from '../../src/shared/domain/index.ts';
import { FakeLlm, memoryLlmCache } from '../helpers/fake-llm.ts';

const pad = 'and we would need to see how that works for our regional teams before the quarter closes';

function findingsOf(i: number): CitedFinding[] {
  const callId = String(5000 + i);
  return [
    { callId, category: 'objection', summary: `objection on call ${i}`, speaker: 'Dana Buyer', timestamp: `00:0${i % 10}:15`, quote: `Call ${i}: the integration timeline worries us, ${pad}.` },
    { callId, category: 'next_step', summary: `next step on call ${i}`, speaker: 'Sam Rep', timestamp: `00:1${i % 10}:40`, quote: `Call ${i}: I will send the security whitepaper by Friday, ${pad}.` },
  ];
}

const input = (n: number, from = 0): ReduceInput => ({
  subject: 'Globex Corporation',
  calls: Array.from({ length: n }, (_, k) => ({ callId: String(5000 + from + k), findings: findingsOf(from + k), sentiment: 'neutral' })),
});

const universe = Array.from({ length: 40 }, (_, i) => findingsOf(i)).flat();
const citations = (r: Awaited<ReturnType<typeof reduceFindings>>) =>
  [...r.report.objections, ...r.report.risks, ...r.report.competitors, ...r.report.pricing, ...r.report.nextSteps].flatMap((p) => p.citations);
const valid = (c: { callId: string; quote: string }) => universe.some((f) => f.callId === c.callId && f.quote === c.quote);

describe('reduceFindings: citation checks', () => {
  it('drops citations of calls or quotes that are not in the input, and points left with none', async () => {
    const real = findingsOf(1)[0]!;
    const llm = new FakeLlm({
      universe,
      invented: [
        { callId: '9999', timestamp: real.timestamp, quote: real.quote }, // a call the run never fetched
        { callId: real.callId, timestamp: real.timestamp, quote: 'We have already signed with Clari.' }, // a quote no transcript has
        { callId: '5002', timestamp: real.timestamp, quote: real.quote }, // a real quote pinned on another call
      ],
      inventedPoint: { point: 'Invented risk', citations: [{ callId: '5001', timestamp: '00:00:01', quote: 'Nobody said this.' }] },
    });
    const { cache } = memoryLlmCache();
    const r = await reduceFindings(llm.asClient(), cache, input(3));
    expect(llm.calls).toHaveLength(1);
    expect(r.droppedCitations).toBe(4);
    const kept = citations(r);
    expect(kept.length).toBeGreaterThan(0);
    for (const c of kept) expect(valid(c), JSON.stringify(c)).toBe(true);
    expect(kept.map((c) => c.callId)).not.toContain('9999');
    expect(r.report.risks.map((p) => p.point)).not.toContain('Invented risk');
  });

  it('keeps every citation a model copied correctly', async () => {
    const llm = new FakeLlm({ universe, citationsPerPoint: 100 });
    const { cache } = memoryLlmCache();
    const r = await reduceFindings(llm.asClient(), cache, input(3));
    expect(r.droppedCitations).toBe(0);
    expect(citations(r)).toHaveLength(6); // all 3 calls × 2 findings, each cited once by the fake
  });

  it('asks nothing when no call has findings', async () => {
    const llm = new FakeLlm({ universe });
    const { cache } = memoryLlmCache();
    const r = await reduceFindings(llm.asClient(), cache, { subject: 'Globex Corporation', calls: [{ callId: '5000', findings: [] }] });
    expect(llm.calls).toHaveLength(0);
    expect(r.report.headline).toBe('Globex Corporation: no findings in the calls considered');
    expect(citations(r)).toEqual([]);
  });
});

describe('reduceFindings: findings that do not fit one prompt', () => {
  // 25 calls' findings need ~3,000 fake tokens in one prompt; 1,500 holds about ten calls.
  const BUDGET = 1_500;

  it('reduces in groups: every prompt fits, every finding is read, the report cites calls of several groups', async () => {
    const llm = new FakeLlm({ universe, budgetTokens: BUDGET });
    const { cache } = memoryLlmCache();
    const r = await reduceFindings(llm.asClient(), cache, input(25));
    expect(llm.calls.length).toBeGreaterThan(1);
    for (const call of llm.calls) expect(call.tokens).toBeLessThanOrEqual(BUDGET);
    for (const f of input(25).calls.flatMap((c) => c.findings)) {
      expect(llm.calls.some((call) => call.prompt.includes(f.quote)), `finding of call ${f.callId} never reached the model`).toBe(true);
    }
    expect(r.llmCalls).toBe(llm.calls.length);
    expect(r.maxPromptTokens).toBe(Math.max(...llm.calls.map((c) => c.tokens)));
    expect(r.promptTokens).toBe(llm.calls.reduce((n, c) => n + c.tokens, 0));
    // The last prompt merges the groups: what the first and the last group found both reach it.
    const merge = llm.calls.at(-1)!.prompt;
    expect(merge).toContain(findingsOf(0)[0]!.quote);
    expect(merge).toContain(findingsOf(20)[0]!.quote);
    for (const c of citations(r)) expect(valid(c)).toBe(true);
  });

  it('splits a group that still does not fit', async () => {
    // One call with 24 findings is bigger than the budget on its own.
    const big: ReduceInput = {
      subject: 'Globex Corporation',
      calls: [{ callId: '5000', findings: Array.from({ length: 12 }, (_, k) => findingsOf(k).map((f) => ({ ...f, callId: '5000' }))).flat() }],
    };
    const llm = new FakeLlm({ universe: big.calls[0]!.findings, budgetTokens: BUDGET });
    const { cache } = memoryLlmCache();
    await reduceFindings(llm.asClient(), cache, { ...big, calls: [...big.calls, ...input(12, 1).calls] });
    expect(llm.calls.length).toBeGreaterThan(2);
    for (const call of llm.calls) expect(call.tokens).toBeLessThanOrEqual(BUDGET);
    // Halves of the big call's findings went out in separate prompts, and all of them went out.
    const quotes = big.calls[0]!.findings.map((f) => f.quote);
    const share = (prompt: string) => quotes.filter((q) => prompt.includes(q)).length;
    expect(llm.calls.some((c) => share(c.prompt) > 0 && share(c.prompt) < quotes.length)).toBe(true);
    for (const q of quotes) expect(llm.calls.some((c) => c.prompt.includes(q))).toBe(true);
  });
});

describe('reduceFindings: cached groups', () => {
  it('a re-run of the same findings asks the model nothing and returns the same report', async () => {
    const { cache } = memoryLlmCache();
    const first = new FakeLlm({ universe, budgetTokens: 1_500 });
    const a = await reduceFindings(first.asClient(), cache, input(25));
    const again = new FakeLlm({ universe, budgetTokens: 1_500 });
    const b = await reduceFindings(again.asClient(), cache, input(25));
    expect(again.calls).toHaveLength(0);
    expect(b.llmCalls).toBe(0);
    expect(b.cachedGroups).toBeGreaterThan(0);
    expect(b.report).toEqual(a.report);
  });

  it('a re-run with one more (latest) call re-reduces only what contains it', async () => {
    const { cache } = memoryLlmCache();
    const first = new FakeLlm({ universe, budgetTokens: 1_500 });
    await reduceFindings(first.asClient(), cache, input(25));
    const rerun = new FakeLlm({ universe, budgetTokens: 1_500 });
    const r = await reduceFindings(rerun.asClient(), cache, input(26));
    expect(rerun.calls.length).toBeGreaterThan(0);
    expect(rerun.calls.length).toBeLessThan(first.calls.length);
    // The new call's findings are read once; the findings of calls in unchanged groups are not sent
    // again (calls 5 and 15 are never among the few the fake cites, so only their group's prompt has them).
    expect(rerun.calls.filter((c) => c.prompt.includes(findingsOf(25)[1]!.quote))).toHaveLength(1);
    for (const old of [5, 15]) expect(rerun.calls.some((c) => c.prompt.includes(findingsOf(old)[1]!.quote)), `call ${old}`).toBe(false);
    expect(r.cachedGroups).toBeGreaterThan(0);
  });

  it('the cache is per model: another model reduces again', async () => {
    const shared = memoryLlmCache('model-a');
    await reduceFindings(new FakeLlm({ universe }).asClient(), shared.cache, input(3));
    const other = memoryLlmCache('model-b');
    for (const [k, v] of shared.redis.data) other.redis.data.set(k, v);
    const llm = new FakeLlm({ universe });
    await reduceFindings(llm.asClient(), other.cache, input(3));
    expect(llm.calls).toHaveLength(1);
  });
});
