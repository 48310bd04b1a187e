/**
 * The agent's pure pieces: what a result shows (compact JSON, slices sized to a token allowance,
 * water-filled across parallel calls), what an approval is bound to (canonical hash), how tools
 * are classified and offered (compacted over their budget share), how the conversation is
 * rebuilt, and how citations resolve.
 */
import { describe, expect, it } from 'vitest';
import {
  allocateTokens, canonicalJson, classifyTool, compactJson, fitEnvelope, idsIn, messagesOf, offerTools, requestHash,
  resolveCitations, resultEnvelope, sliceEnvelope, type AskRun,
} from '../../src/shared/domain/index.ts';
import { countTokens, type TrutoTool } from '../../src/shared/upstream/index.ts';

describe('tool results as the model sees them', () => {
  it('compact JSON leaves out null, false, empty text, lists and objects, and keeps array positions', () => {
    expect(compactJson({ a: 1, b: null, c: false, d: '', e: [], f: {}, g: { h: [] }, i: [null, 0, { j: false }], k: true })).toBe('{"a":1,"i":[null,0,{}],"k":true}');
  });

  it('a result that fits is shown whole as JSON; a longer one as a string prefix with next_offset', () => {
    const src = { ref: 'r2', tool: 'list_all_gong_users', status: 'ok' as const, text: JSON.stringify({ users: Array.from({ length: 50 }, (_, i) => ({ id: `${i}` })) }) };
    const whole = JSON.parse(resultEnvelope(src, 100_000).content);
    expect(whole).toEqual({ ref: 'r2', tool: 'list_all_gong_users', status: 'ok', result: JSON.parse(src.text), truncated: false });
    const cut = JSON.parse(resultEnvelope(src, 100).content);
    expect(cut).toEqual({ ref: 'r2', tool: 'list_all_gong_users', status: 'ok', result: src.text.slice(0, 100), truncated: true, next_offset: 100 });
    const next = JSON.parse(sliceEnvelope('r2', src.text, 100, 100_000).content);
    expect(next).toEqual({ ref: 'r2', tool: 'read_result', status: 'ok', result: src.text.slice(100), truncated: false });
    expect(cut.result + next.result).toBe(src.text);
  });

  it('fits a slice to a token allowance, never below the minimum slice', () => {
    const text = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ callId: `${1_000_000 + i}`, title: `Call number ${i}` })));
    const make = (chars: number) => resultEnvelope({ ref: 'r1', tool: 't', status: 'ok', text }, chars);
    const env = fitEnvelope(make, 6_000, 500);
    expect(env.tokens).toBeLessThanOrEqual(500);
    expect(env.tokens).toBeGreaterThan(400); // it uses the allowance, not a fraction of it
    expect(env.shownChars).toBeLessThan(6_000);
    expect(fitEnvelope(make, 6_000, 1).shownChars).toBe(200);
  });

  it('water-fills an allowance: small results whole, large ones share the rest', () => {
    expect(allocateTokens([100, 5_000, 5_000], 3_100)).toEqual([100, 1_500, 1_500]);
    expect(allocateTokens([100, 200], 1_000)).toEqual([100, 200]);
    expect(allocateTokens([900, 50], -10)).toEqual([0, 0]);
  });

  it('names the ids a result holds', () => {
    expect(idsIn({ records: {}, calls: [{ id: '1', parties: [{ id: 'p' }] }, { callId: 2 }], crmId: 'c' }, 3)).toEqual(['1', 'p', '2']);
  });
});

describe('approvals are bound to the exact request', () => {
  it('hashes canonical arguments: key order does not matter, any changed value does', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    const h = requestHash('ask-1', 'update_a_gong_task_by_id', { id: '7', status: 'DONE', userId: '9' });
    expect(requestHash('ask-1', 'update_a_gong_task_by_id', { userId: '9', status: 'DONE', id: '7' })).toBe(h);
    expect(requestHash('ask-1', 'update_a_gong_task_by_id', { userId: '9', status: 'DISMISSED', id: '7' })).not.toBe(h);
    expect(requestHash('ask-2', 'update_a_gong_task_by_id', { id: '7', status: 'DONE', userId: '9' })).not.toBe(h);
  });
});

const tool = (name: string, props: Record<string, unknown> = {}): TrutoTool => ({ name, resource: name, method: 'list', description: `Tool ${name}.`, query_schema: { type: 'object', properties: props }, body_schema: { type: 'object', properties: {} }, required: [] });

describe('tools', () => {
  it("classifies Gong's POST reads as reads; updates and unknown tools as writes", () => {
    expect(classifyTool({ name: 'create_a_gong_calls_transcript' })).toBe('read');
    expect(classifyTool({ name: 'create_a_gong_task' })).toBe('read');
    expect(classifyTool({ name: 'create_a_gong_users_extensive' })).toBe('read');
    expect(classifyTool({ name: 'update_a_gong_task_by_id' })).toBe('write');
    expect(classifyTool({ name: 'delete_a_gong_meeting_by_id' })).toBe('write');
    expect(classifyTool({ name: 'create_a_gong_crm_entity' })).toBe('write');
  });

  it('classifies a listed tool by its resource + method (the capability it serves), not its name', () => {
    // A transcripts read Truto lists under another name is still a read.
    expect(classifyTool({ name: 'fetch_transcripts', resource: 'calls_transcript', method: 'create' })).toBe('read');
    expect(classifyTool({ name: 'gong_users_directory', resource: 'users', method: 'list' })).toBe('read');
    // A read's name on a writing method, or a write renamed, is a write.
    expect(classifyTool({ name: 'list_all_gong_calls', resource: 'calls', method: 'delete' })).toBe('write');
    expect(classifyTool({ name: 'set_task', resource: 'tasks', method: 'update' })).toBe('write');
    expect(classifyTool({ name: 'mystery_tool', resource: 'mystery', method: 'list' })).toBe('write');
  });

  it('offers the OpenAI format with merged schemas plus the built-ins; drops property descriptions when over its share', () => {
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string', description: `A rather long description of field number ${i} that a model may read.` }]));
    const tools = [tool('list_all_gong_calls', props)];
    const roomy = offerTools(tools, 1_000_000);
    expect(roomy.note).toBeUndefined();
    expect(roomy.tools.map((t) => t.function.name)).toEqual(['list_all_gong_calls', 'summarize_calls', 'deal_autopsy', 'read_result']);
    // The capability layer's schema: merged properties, `required` only when the tool declares some.
    expect(roomy.tools[0]!.function.parameters).toEqual({ type: 'object', properties: props });
    expect(roomy.tools[0]!.function.description).toBe('Tool list_all_gong_calls. (Reads Gong.)');
    const tight = offerTools(tools, 3_000);
    expect(tight.note).toMatch(/property descriptions dropped/);
    expect(tight.tokens).toBeLessThan(roomy.tokens);
    expect(tight.tokens).toBe(countTokens(JSON.stringify(tight.tools)));
    expect((tight.tools[0]!.function.parameters as { properties: Record<string, unknown> }).properties.field3).toEqual({ type: 'string' });
    expect(tight.tools[0]!.function.description).toBe('Tool list_all_gong_calls. (Reads Gong.)');
  });
});

function run(): AskRun {
  const call = (key: string, ref: string, name: string, envelope: string) => ({ key, id: `id_${key}`, name, args: {}, kind: 'read' as const, ref, envelope, status: 'ok' as const });
  const turn = (n: number, calls: ReturnType<typeof call>[]) => ({ n, content: null, toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: '{}' })), finishReason: 'tool_calls', toolChoice: 'auto' as const, promptTokens: 1, completionTokens: 1, atMs: 0, durationMs: 0, calls, done: true });
  return {
    runId: 'ask-abcdef', accountId: 'a', question: 'Q?', createdAtMs: 0, currentDate: '2026-11-29', maxSteps: 5, resultChars: 6000, model: 'm', system: 'S', tools: [],
    status: 'answered', turns: [turn(0, [call('t0c0', 'r1', 'list_all_gong_users', '{"ref":"r1"}'), call('t0c1', 'r2', 'create_a_gong_calls_transcript', '{"ref":"r2"}')])],
    decisions: [], nextRef: 3, version: 3,
  };
}

describe('the conversation and its citations', () => {
  it('rebuilds the conversation append-only: system, question, each assistant turn and one tool message per call', () => {
    const m = messagesOf(run());
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    expect(m[3]).toEqual({ role: 'tool', tool_call_id: 'id_t0c0', content: '{"ref":"r1"}' });
  });

  it('resolves [r1] and [r2:<callId>@mm:ss], flagging unknown refs and call ids the result lacks', async () => {
    const stored: Record<string, string> = { t0c1: '{"callTranscripts":[{"callId":"555"}]}' };
    const got = await resolveCitations(run(), 'Users [r1]. Quote [r2:555@03:07] and [r2:999@00:01]; also [r7].', async (k) => stored[k]);
    expect(got).toEqual([
      { text: '[r1]', ref: 'r1', tool: 'list_all_gong_users', args: {}, known: true },
      { text: '[r2:555@03:07]', ref: 'r2', tool: 'create_a_gong_calls_transcript', args: {}, callId: '555', at: '03:07', known: true },
      { text: '[r2:999@00:01]', ref: 'r2', tool: 'create_a_gong_calls_transcript', args: {}, callId: '999', at: '00:01', known: false, problem: "call 999 is not in r2's result" },
      { text: '[r7]', ref: 'r7', known: false, problem: 'no tool result r7 in this run' },
    ]);
  });
});
