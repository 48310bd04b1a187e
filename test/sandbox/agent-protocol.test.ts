/**
 * The wire side of the sandbox model's tool calling (docs/agent-protocol.md), through the `openai`
 * client over HTTP: the tool-call message shape, determinism and the turn counters, usage billed
 * for tool definitions, OpenAI's 400s for conversations that don't pair tool calls with results,
 * tool_choice / parallel_tool_calls, a missing tool, an error result, the "Current date" anchor,
 * and that requests without `tools` still get the text model.
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { parsePartialJson } from '../../src/sandbox/llm/agent/partial-json.ts';
import { countTokens } from '../../src/shared/upstream/index.ts';
import { BUILTIN_TOOLS, openaiTool, runAgent, trutoTools } from './agent-harness.ts';

let sb: Sandbox;
let client: OpenAI;
let tools: ChatCompletionTool[];
let dealsId: string;

const TASK_QUESTION = 'Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract was sent.';

beforeAll(async () => {
  sb = await startSandbox({
    gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000,
    llm: { latencyBaseMs: 0, latencyPerOutputTokenMs: 0, contextWindowTokens: 128_000 },
  });
  dealsId = sb.world.accountIdOf('deals');
  client = new OpenAI({ apiKey: sb.env.OPENAI_API_KEY, baseURL: sb.env.OPENAI_BASE_URL, maxRetries: 0 });
  tools = [...(await trutoTools(sb, dealsId)).map(openaiTool), ...BUILTIN_TOOLS];
});

afterAll(async () => {
  await sb?.close();
});

const user = (content: string): ChatCompletionMessageParam[] => [{ role: 'user', content }];
const ask = (messages: ChatCompletionMessageParam[], extra: Record<string, unknown> = {}) =>
  client.chat.completions.create({ model: sb.env.OPENAI_MODEL, messages, tools, ...extra });

describe('agent turns', () => {
  it('answer with tool calls in OpenAI wire format, the same ones for the same conversation, counted per turn', async () => {
    const before = sb.stats().agent;
    const first = await ask(user(TASK_QUESTION));
    const again = await ask(user(TASK_QUESTION));
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]!;
    expect(call).toMatchObject({ type: 'function', function: { name: 'list_all_gong_calls' } });
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(JSON.parse(call.type === 'function' ? call.function.arguments : '')).toHaveProperty('fromDateTime');
    expect(again.choices[0]!.message.tool_calls).toEqual(choice.message.tool_calls);
    const after = sb.stats().agent;
    expect(after.turns - before.turns).toBe(2);
    expect(after.repeatedTurns - before.repeatedTurns).toBe(1);
    expect(after.toolCalls - before.toolCalls).toBe(2);
    expect((after.byTool['list_all_gong_calls'] ?? 0) - (before.byTool['list_all_gong_calls'] ?? 0)).toBe(2);
    expect(after.answers).toBe(before.answers);
  });

  it('bill the tool definitions as prompt tokens and report usage on every answer', async () => {
    const withTools = await ask(user(TASK_QUESTION));
    const without = await client.chat.completions.create({ model: sb.env.OPENAI_MODEL, messages: user(TASK_QUESTION) });
    expect(withTools.usage!.prompt_tokens).toBeGreaterThan(without.usage!.prompt_tokens + countTokens(JSON.stringify(tools)) - 50);
    const call = withTools.choices[0]!.message.tool_calls![0]!;
    expect(withTools.usage!.completion_tokens).toBe(countTokens(JSON.stringify([call.type === 'function' ? call.function : null])));
    const final = await ask(user('What will the weather be in Paris tomorrow?'));
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(final.usage!.completion_tokens).toBe(countTokens(final.choices[0]!.message.content!));
    expect(final.usage!.total_tokens).toBe(final.usage!.prompt_tokens + final.usage!.completion_tokens);
  });

  it('leave requests without tools to the text model', async () => {
    const before = sb.stats();
    const res = await client.chat.completions.create({ model: sb.env.OPENAI_MODEL, messages: user('Summarize this. The deal moved to legal review. Pricing was accepted.') });
    expect(res.choices[0]!.message.content).toBe('Summarize this. The deal moved to legal review. Pricing was accepted.');
    expect(res.choices[0]!.message.tool_calls).toBeUndefined();
    const after = sb.stats();
    expect(after.agent.turns).toBe(before.agent.turns);
    expect((after.llm.bySchema['text'] ?? 0) - (before.llm.bySchema['text'] ?? 0)).toBe(1);
  });

  it("refuse conversations whose tool calls and tool messages don't pair up, as OpenAI does", async () => {
    const first = await ask(user(TASK_QUESTION));
    const call = first.choices[0]!.message.tool_calls![0]!;
    const assistant: ChatCompletionMessageParam = { role: 'assistant', content: null, tool_calls: [call] };
    await expect(ask([...user(TASK_QUESTION), assistant, ...user('and?')])).rejects.toMatchObject({
      status: 400, message: expect.stringContaining(`did not have response messages: ${call.id}`),
    });
    await expect(ask([...user(TASK_QUESTION), { role: 'tool', tool_call_id: 'call_unknown', content: '{}' }])).rejects.toMatchObject({
      status: 400, message: expect.stringContaining("must be a response to a preceeding message with 'tool_calls'"),
    });
    const badTool = { type: 'function', function: { name: 'has spaces', parameters: { type: 'object', properties: {} } } } as ChatCompletionTool;
    await expect(client.chat.completions.create({ model: sb.env.OPENAI_MODEL, messages: user('hi'), tools: [badTool] })).rejects.toMatchObject({ status: 400, param: 'tools[0].function.name' });
    await expect(ask(user(TASK_QUESTION), { tool_choice: 'required' })).rejects.toMatchObject({ status: 400, param: 'tool_choice' });
  });

  it('say which tool is missing when the question needs one that is not offered', async () => {
    const res = await client.chat.completions.create({
      model: sb.env.OPENAI_MODEL,
      messages: user('Get the current Deal Brief for the Acme Corp opportunity and tell me the next steps.'),
      tools: tools.filter((t) => t.type === 'function' && !t.function.name.includes('brief')),
    });
    expect(res.choices[0]!.finish_reason).toBe('stop');
    expect(res.choices[0]!.message.content).toBe("I can't answer that with the available tools. (No tool to read Gong's AI briefs was offered.)");
  });

  it('honour tool_choice none and parallel_tool_calls false', async () => {
    const question = 'Retrieve the transcript for call ID 1234567890 and summarize the objections.';
    const none = await ask(user(question), { tool_choice: 'none' });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
    expect(none.choices[0]!.message.content).toContain('tool calls are turned off');
    const parallel = await ask(user(question));
    expect(parallel.choices[0]!.message.tool_calls!.map((c) => (c.type === 'function' ? c.function.name : ''))).toEqual(['create_a_gong_calls_transcript', 'create_a_gong_calls_extensive']);
    const serial = await ask(user(question), { parallel_tool_calls: false });
    expect(serial.choices[0]!.message.tool_calls).toHaveLength(1);
  });

  it('report an error result with its ref instead of an answer', async () => {
    const run = await runAgent('Pull the activity aggregate for John Doe from 2026-01-01 to 2026-01-15. How many calls did he host compared to his call listens?', {
      sandbox: sb,
      accountId: sb.world.accountIdOf('coaching'),
      execute: async () => ({ status: 'error', result: { statusCode: 503, message: 'Service Unavailable' }, error: '503 Service Unavailable' }),
    });
    expect(run.steps.map((s) => s.name)).toEqual(['list_all_gong_users']);
    expect(run.answer).toBe("I couldn't list the users: `list_all_gong_users` returned an error: 503 Service Unavailable [r1].");
  });

  it('date questions from a "Current date" in the system message rather than the clock', async () => {
    const res = await ask([{ role: 'system', content: 'Current date: 2027-01-20' }, ...user('Summarize the calls from March 1 to March 10.')]);
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('summarize_calls');
    expect(JSON.parse(call.type === 'function' ? call.function.arguments : '')).toEqual({ from: '2026-03-01T00:00:00Z', to: '2026-03-11T00:00:00Z' });
  });
});

describe('paraphrases', () => {
  const firstCalls = async (question: string): Promise<Array<[string, unknown]>> => {
    const res = await ask(user(question));
    return (res.choices[0]!.message.tool_calls ?? []).map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : ['', null]));
  };

  it('are recognised by their keywords and start the matching plan', async () => {
    expect((await firstCalls('How many calls did John Doe host between Nov 1 and Nov 15, and how many did he listen to?'))[0]![0]).toBe('list_all_gong_users');
    expect((await firstCalls('What are the next steps in the Acme Corp brief?'))[0]![0]).toBe('list_all_gong_calls');
    expect((await firstCalls('Close the whitepaper task on the Globex deal.'))[0]![0]).toBe('list_all_gong_calls');
    expect((await firstCalls("Move Acme Corp to the 'Negotiation' stage in the CRM."))[0]![0]).toBe('list_all_gong_crm_integrations');
    expect(await firstCalls('Do a deal autopsy on Globex for the last 14 days.')).toEqual([['deal_autopsy', { deal: 'Globex', days: 14 }]]);
    expect((await firstCalls("How is Sarah Smith's team doing on the Pricing Discovery scorecard this quarter?"))[0]![0]).toBe('list_all_gong_users');
  });
});

describe('partial JSON (a truncated result)', () => {
  it('keeps complete values and open containers, and drops the value cut in half', () => {
    expect(parsePartialJson('{"result":[{"id":"1","n":2},{"id":"2","n":3').value).toEqual({ result: [{ id: '1', n: 2 }, { id: '2' }] });
    expect(parsePartialJson('{"a":"tex')).toEqual({ value: {}, complete: false });
    expect(parsePartialJson('[1, 2, tr')).toEqual({ value: [1, 2], complete: false });
    expect(parsePartialJson('{"a":[1,2]}')).toEqual({ value: { a: [1, 2] }, complete: true });
    // Keys come from tool results: a cut text never gets to set an object's prototype.
    const cut = parsePartialJson('{"__proto__":{"polluted":true},"b":1,"c":"x').value as Record<string, unknown>;
    expect(Object.keys(cut)).toEqual(['b']);
    expect(Object.getPrototypeOf(cut)).toBe(Object.prototype);
  });
});
