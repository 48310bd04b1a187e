/**
 * The agent step's orchestration (shared/domain/agent/step.ts) on a real Redis, with a scripted
 * model standing in for the LLM: a completion is stored before anything acts on it (a retried
 * step does not ask the model again), reads become child requests, a write stops the run for
 * approval bound to its hash, an approved write becomes a write child, and the answer ends it.
 * A turn refused for context length (the window learned smaller mid-run) is re-sized and asked
 * again, stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceAsk, AskStore, classifyTool, MAX_TURN_RESIZES, newAskRun, promptTokensOf, recordDecision, requestHash, type StepDeps,
} from '../../src/shared/domain/index.ts';
import { ContextOverflowError, type AgentMessage, type ToolDefinition, type ToolTurn, type TrutoTool } from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const tool = (name: string, method: string): TrutoTool => ({ name, resource: name, method, description: name, query_schema: { type: 'object', properties: { id: { type: 'string' } } }, body_schema: { type: 'object', properties: {} }, required: [] });
const TOOLS = [tool('list_all_gong_users', 'list'), tool('update_a_gong_task_by_id', 'update')];
const redis = testRedis();
const prefix = uniquePrefix('askstep');
const store = new AskStore({ redis, prefix });
const CONTEXT = { contextTokens: 16_384, promptBudgetTokens: 15_360, maxOutputTokens: 2_048 };

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe('advanceAsk', () => {
  const seen: AgentMessage[][] = [];
  const script: ToolTurn[] = [
    { content: null, toolCalls: [{ id: 'call_1', name: 'list_all_gong_users', arguments: '{}' }], finishReason: 'tool_calls', promptTokens: 100, completionTokens: 5 },
    { content: null, toolCalls: [{ id: 'call_2', name: 'update_a_gong_task_by_id', arguments: '{"status":"DONE","id":"7"}' }], finishReason: 'tool_calls', promptTokens: 200, completionTokens: 5 },
    { content: 'Done [r2].', toolCalls: [], finishReason: 'stop', promptTokens: 300, completionTokens: 5 },
  ];
  const deps: StepDeps = {
    store,
    complete: async (req) => {
      seen.push(req.messages);
      return script[seen.length - 1]!;
    },
    context: async () => CONTEXT,
    classify: classifyTool,
    listTools: async () => TOOLS,
    planDeps: {} as StepDeps['planDeps'],
    pipelineResult: async () => undefined,
  };
  const ok = (text: string) => ({ status: 'ok' as const, text, requests: 1, governorWaitMs: 0, durationMs: 1, storedAtMs: Date.now() });
  let runId = '';

  beforeAll(async () => {
    const run = newAskRun({ accountId: 'acct', question: 'Mark task 7 DONE', maxSteps: 5, resultChars: 6_000, model: 'm', context: CONTEXT, tools: TOOLS });
    expect(await store.create(run)).toBe(true);
    runId = run.runId;
  });

  it('stores the completion before acting: a retried step asks the model once', async () => {
    const first = await advanceAsk(deps, runId, 0);
    expect(first).toEqual({ kind: 'children', children: [{ kind: 'tool', callKey: 't0c0', tool: 'list_all_gong_users', args: {} }] });
    expect(await advanceAsk(deps, runId, 0)).toEqual(first);
    expect(seen.length).toBe(1);
  });

  it('with the result stored, the turn gets its envelope and the next turn sees it', async () => {
    await store.putResult(runId, 't0c0', ok('{"users":[{"id":"9"}]}'));
    expect(await advanceAsk(deps, runId, 0)).toEqual({ kind: 'next', turn: 1 });
    const out = await advanceAsk(deps, runId, 1);
    expect(seen[1]!.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"ref":"r1","tool":"list_all_gong_users","status":"ok","result":{"users":[{"id":"9"}]},"truncated":false}' });
    // A write waits for a person, bound to the hash of (run, tool, canonical arguments).
    expect(out).toMatchObject({ kind: 'awaiting-approval', pending: { callKey: 't1c0', tool: 'update_a_gong_task_by_id', hash: requestHash(runId, 'update_a_gong_task_by_id', { id: '7', status: 'DONE' }) } });
    expect((await store.get(runId))!.status).toBe('awaiting-approval');
    expect(await advanceAsk(deps, runId, 1)).toEqual({ kind: 'stale' });
    expect(seen.length).toBe(2);
  });

  it('once approved, the write becomes a write child; its result lets the model answer', async () => {
    await recordDecision(store, { runId, by: 'tester@test' });
    const out = await advanceAsk(deps, runId, 1);
    expect(out).toEqual({ kind: 'children', children: [{ kind: 'write', callKey: 't1c0', tool: 'update_a_gong_task_by_id', args: { status: 'DONE', id: '7' }, hash: requestHash(runId, 'update_a_gong_task_by_id', { id: '7', status: 'DONE' }) }] });
    await store.putResult(runId, 't1c0', ok('{"id":"7","status":"DONE"}'));
    expect(await advanceAsk(deps, runId, 1)).toEqual({ kind: 'next', turn: 2 });
    expect(await advanceAsk(deps, runId, 2)).toEqual({ kind: 'finished', status: 'answered' });
    const run = (await store.get(runId))!;
    expect(run).toMatchObject({ status: 'answered', answer: 'Done [r2].', decisions: [{ decision: 'approved', callKey: 't1c0', by: 'tester@test' }] });
    expect(seen.length).toBe(3);
  });
});

describe('advanceAsk when the window is learned smaller mid-run', () => {
  // Sized at first for the window the fleet assumes while the server has said nothing; the model
  // refuses the next turn for context length, and the client has then learned a small window.
  const LARGE = { contextTokens: 128_000, promptBudgetTokens: 120_000, maxOutputTokens: 2_048 };
  const SMALL = { contextTokens: 2_600, promptBudgetTokens: 1_500, maxOutputTokens: 1_024 };
  const users = JSON.stringify({ users: Array.from({ length: 400 }, (_, i) => ({ id: String(1000 + i), name: `User number ${i}`, title: 'Account Executive' })) });
  const sent = (req: { messages: AgentMessage[]; tools: ToolDefinition[] }) => promptTokensOf(req.messages, req.tools);

  /** A run whose turn 0 asked for the users and got them, sized for LARGE; turn 1 is next. */
  async function runAtTurn1(deps: StepDeps): Promise<string> {
    const run = newAskRun({ accountId: 'acct', question: 'How many users are there?', maxSteps: 5, resultChars: 6_000, model: 'm', context: LARGE, tools: TOOLS });
    expect(await store.create(run)).toBe(true);
    expect(await advanceAsk(deps, run.runId, 0)).toMatchObject({ kind: 'children' });
    await store.putResult(run.runId, 't0c0', { status: 'ok', text: users, requests: 1, governorWaitMs: 0, durationMs: 1, storedAtMs: Date.now() });
    expect(await advanceAsk(deps, run.runId, 0)).toEqual({ kind: 'next', turn: 1 });
    expect((await store.get(run.runId))!.turns[0]!.calls[0]!.shownChars).toBe(6_000); // sized for the large window
    return run.runId;
  }

  function model(answer: (req: { messages: AgentMessage[]; tools: ToolDefinition[] }, n: number) => ToolTurn) {
    const asked: { messages: AgentMessage[]; tools: ToolDefinition[] }[] = [];
    const complete = async (req: { messages: AgentMessage[]; tools: ToolDefinition[] }): Promise<ToolTurn> => {
      asked.push({ messages: req.messages, tools: req.tools });
      if (asked.length === 1) {
        return { content: null, toolCalls: [{ id: 'call_1', name: 'list_all_gong_users', arguments: '{}' }], finishReason: 'tool_calls', promptTokens: 900, completionTokens: 5 };
      }
      return answer(req, asked.length);
    };
    return { asked, complete };
  }

  it('re-sizes the unseen results and asks again: the turn is stored once, within the learned budget', async () => {
    let context = LARGE;
    const resized: unknown[] = [];
    const m = model((req, n) => {
      if (n === 2) {
        context = SMALL; // what the client learned from the refusal
        throw new ContextOverflowError('the model refused a prompt for context length', sent(req), { retryable: true });
      }
      return { content: 'There are 400 users [r1].', toolCalls: [], finishReason: 'stop', promptTokens: 1_400, completionTokens: 9 };
    });
    const deps: StepDeps = {
      store, complete: m.complete, context: async () => context, classify: classifyTool, listTools: async () => TOOLS,
      planDeps: {} as StepDeps['planDeps'], pipelineResult: async () => undefined, onResize: (info) => resized.push(info),
    };
    const runId = await runAtTurn1(deps);

    expect(await advanceAsk(deps, runId, 1)).toEqual({ kind: 'finished', status: 'answered' });
    // Asked twice for turn 1: refused, then re-sized; the retry fits the learned budget.
    expect(m.asked).toHaveLength(3);
    const [refused, retried] = [m.asked[1]!, m.asked[2]!];
    expect(sent(refused)).toBeGreaterThan(SMALL.promptBudgetTokens);
    expect(sent(retried)).toBeLessThanOrEqual(SMALL.promptBudgetTokens);
    // The tool list lost its property descriptions, and the unseen envelope shows less of the result.
    expect(JSON.stringify(refused.tools)).toContain('The ref of the result');
    expect(JSON.stringify(retried.tools)).not.toContain('The ref of the result');
    const saved = (await store.get(runId))!;
    expect(saved.toolsNote).toMatch(/compacted/);
    const refit = saved.turns[0]!.calls[0]!;
    expect(refit.shownChars).toBeLessThan(6_000);
    expect(refit.shownChars).toBeGreaterThan(0);
    expect(retried.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: refit.envelope });
    // Everything before the re-sized results is what the refused turn sent.
    expect(retried.messages.slice(0, -1)).toEqual(refused.messages.slice(0, -1));
    // One answer stored, once.
    expect(saved.turns).toHaveLength(2);
    expect(saved).toMatchObject({ status: 'answered', answer: 'There are 400 users [r1].' });
    expect(resized).toEqual([{ runId, turn: 1, fromBudgetTokens: LARGE.promptBudgetTokens, toBudgetTokens: SMALL.promptBudgetTokens, promptTokens: sent(refused) }]);
  });

  it('a refusal that teaches nothing: each retry is smaller than the prompt refused before it, and the turn ends in an error', async () => {
    const m = model((req) => {
      throw new ContextOverflowError('refused', sent(req), { retryable: true });
    });
    const deps: StepDeps = {
      store, complete: m.complete, context: async () => LARGE, classify: classifyTool, listTools: async () => TOOLS,
      planDeps: {} as StepDeps['planDeps'], pipelineResult: async () => undefined,
    };
    const runId = await runAtTurn1(deps);
    await expect(advanceAsk(deps, runId, 1)).rejects.toThrow(/refused|no longer fits/);
    const turn1 = m.asked.slice(1);
    expect(turn1.length).toBeGreaterThan(1);
    expect(turn1.length).toBeLessThanOrEqual(1 + MAX_TURN_RESIZES);
    for (let i = 1; i < turn1.length; i++) expect(sent(turn1[i]!)).toBeLessThanOrEqual(Math.floor(sent(turn1[i - 1]!) * 0.9));
    expect((await store.get(runId))!.turns).toHaveLength(1);
  });
});
