/**
 * The agent step's orchestration (shared/domain/agent/step.ts) on a real Redis, with a scripted
 * model standing in for the LLM: a completion is stored before anything acts on it (a retried
 * step does not ask the model again), reads become child requests, a write stops the run for
 * approval bound to its hash, an approved write becomes a write child, and the answer ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceAsk, AskStore, classifyTool, newAskRun, recordDecision, requestHash, type StepDeps,
} from '../../src/shared/domain/index.ts';
import type { AgentMessage, ToolTurn, TrutoTool } from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const tool = (name: string, method: string): TrutoTool => ({ name, resource: name, method, description: name, query_schema: { type: 'object', properties: { id: { type: 'string' } } }, body_schema: { type: 'object', properties: {} }, required: [] });
const TOOLS = [tool('list_all_gong_users', 'list'), tool('update_a_gong_task_by_id', 'update')];
const redis = testRedis();
const prefix = uniquePrefix('askstep');
const store = new AskStore({ redis, prefix });

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
    context: { contextTokens: 16_384, promptBudgetTokens: 15_360, maxOutputTokens: 2_048 },
    classify: classifyTool,
    listTools: async () => TOOLS,
    planDeps: {} as StepDeps['planDeps'],
    pipelineResult: async () => undefined,
  };
  const ok = (text: string) => ({ status: 'ok' as const, text, requests: 1, governorWaitMs: 0, durationMs: 1, storedAtMs: Date.now() });
  let runId = '';

  beforeAll(async () => {
    const run = newAskRun({ accountId: 'acct', question: 'Mark task 7 DONE', maxSteps: 5, resultChars: 6_000, model: 'm', context: deps.context, tools: TOOLS });
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
