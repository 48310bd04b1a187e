/**
 * The agent's model turns (completeWithTools) through the LLM client against the sandbox model
 * over HTTP, told nothing about the server (the sandbox's default 16k window; its /v1/models names
 * none): the budget comes from the learned window, a turn the assumed window let through is refused
 * once and teaches the window, a long conversation keeps the 1,024-token output floor and takes the
 * rest of the window, and an answer cut at its output limit is returned, not thrown.
 */
import { describe, expect, it } from 'vitest';
import {
  ASSUMED_CONTEXT_TOKENS,
  ASK_WINDOW_MARGIN,
  ContextOverflowError,
  LlmClient,
  MIN_AGENT_OUTPUT_TOKENS,
  completeWithTools,
  countToolPromptTokens,
  toolContextOf,
  type AgentMessage,
  type ToolDefinition,
} from '../../src/shared/upstream/index.ts';
import { closeSandboxesAfterEach, llmSandbox } from '../sandbox/support/llm-sandbox.ts';

closeSandboxesAfterEach();

const WINDOW = 16_384;
const TOOLS: ToolDefinition[] = [
  { type: 'function', function: { name: 'list_all_gong_users', description: 'List users.', parameters: { type: 'object', properties: {} } } },
];

/** A conversation of about `tokens` fleet tokens: the question, then a long tool result. */
function conversation(tokens: number): AgentMessage[] {
  const row = (i: number) => `{"id":"${1000 + i}","name":"User number ${i}","title":"Account Executive"}`;
  const rows: string[] = [];
  const messages = (): AgentMessage[] => [
    { role: 'system', content: 'You answer questions about a Gong account with its tools.' },
    { role: 'user', content: 'How many users does the account have?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_all_gong_users', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: `{"ref":"r1","tool":"list_all_gong_users","status":"ok","result":{"users":[${rows.join(',')}]},"truncated":false}` },
  ];
  // Whole batches of rows while far from the target (counting is the slow part), then one by one.
  for (let left = tokens; left > 400; left = tokens - countToolPromptTokens(messages(), TOOLS)) {
    for (let i = Math.floor(left / 40); i > 0; i--) rows.push(row(rows.length));
  }
  while (countToolPromptTokens(messages(), TOOLS) < tokens) rows.push(row(rows.length));
  return messages();
}

/** Fetch that keeps the body of every chat request. */
function spyFetch() {
  const bodies: Array<{ max_completion_tokens?: number }> = [];
  const f: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/chat/completions') && typeof init?.body === 'string') bodies.push(JSON.parse(init.body) as { max_completion_tokens?: number });
    return fetch(input, init);
  };
  return { fetch: f, bodies };
}

describe('agent turns through the LLM client, told nothing about the model', () => {
  it('one refusal teaches the window; then a long turn gives up output down to the floor instead of being refused', async () => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW });
    const spy = spyFetch();
    const llm = new LlmClient({ baseUrl: m.sb.env.OPENAI_BASE_URL, apiKey: m.sb.env.OPENAI_API_KEY, model: m.model, maxOutputTokens: 2_048, fetch: spy.fetch });

    const assumed = await toolContextOf(llm);
    expect(assumed.contextTokens).toBe(ASSUMED_CONTEXT_TOKENS);

    // Fits the assumed window, not the real one: refused once, retryable, and the window is learned.
    const big = conversation(15_500);
    const err = await completeWithTools(llm, { messages: big, tools: TOOLS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContextOverflowError);
    expect(err).toMatchObject({ retryable: true });
    const learned = await toolContextOf(llm);
    expect(learned.contextTokens).toBe(WINDOW);
    expect(learned.maxOutputTokens).toBe(2_048);
    // The rest of the window beside the 1,024-token floor, with the agent's 1% margin.
    expect(learned.promptBudgetTokens).toBeGreaterThan(Math.floor((WINDOW - MIN_AGENT_OUTPUT_TOKENS) * (1 - ASK_WINDOW_MARGIN) * 0.95));
    expect(learned.promptBudgetTokens).toBeLessThan(WINDOW - MIN_AGENT_OUTPUT_TOKENS);

    // A turn too long for the full output but within the budget: answered, its output cut to what is left.
    const long = conversation(learned.promptBudgetTokens - 200);
    const turn = await completeWithTools(llm, { messages: long, tools: TOOLS });
    expect(turn.finishReason).toBe('stop');
    const sent = spy.bodies.at(-1)!.max_completion_tokens!;
    expect(sent).toBeGreaterThanOrEqual(MIN_AGENT_OUTPUT_TOKENS);
    expect(sent).toBeLessThan(2_048);
    expect(turn.promptTokens + sent).toBeLessThanOrEqual(WINDOW);
    // A short turn still reserves the full output.
    await completeWithTools(llm, { messages: conversation(2_000), tools: TOOLS });
    expect(spy.bodies.at(-1)!.max_completion_tokens).toBe(2_048);
    // Over the budget: stopped by the client, never sent.
    const before = m.sb.stats().llm.requests;
    await expect(completeWithTools(llm, { messages: conversation(learned.promptBudgetTokens + 50), tools: TOOLS })).rejects.toBeInstanceOf(ContextOverflowError);
    expect(m.sb.stats().llm.requests).toBe(before);
    expect(m.sb.stats().llm.rejectedContext).toBe(1);
  });

  it('an answer cut at the output limit is returned with finish_reason length (the agent notes it), not thrown', async () => {
    const cut = {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The account has', refusal: null }, finish_reason: 'length', logprobs: null }],
      usage: { prompt_tokens: 120, completion_tokens: 1_024, total_tokens: 1_144 },
    };
    const f: typeof fetch = async () => new Response(JSON.stringify(cut), { status: 200, headers: { 'content-type': 'application/json' } });
    const llm = new LlmClient({ baseUrl: 'http://model.invalid/v1', apiKey: 'k', model: 'm', contextTokens: WINDOW, maxOutputTokens: 2_048, probe: false, fetch: f });
    const turn = await completeWithTools(llm, { messages: conversation(100), tools: TOOLS });
    expect(turn).toMatchObject({ content: 'The account has', finishReason: 'length', toolCalls: [], completionTokens: 1_024, promptTokens: 120 });
  });
});
