/**
 * Argument keys per profile: `camel` declares Gong's own nested keys, `snake` declares snake_case
 * keys with Gong's body `filter` flattened. The sandbox's Truto maps them back to Gong's request
 * and drops undeclared ones, reporting them in `stats().unknownArgs`, so arguments sent in the
 * wrong style end in Gong's own 400 (or, where Gong has no required field, in visibly ignored
 * filters) rather than a silent success.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, startTruto, type PublicTool, type TrutoHttp } from './truto-http.ts';

let camel: TrutoHttp;
let snake: TrutoHttp;

beforeAll(async () => {
  [camel, snake] = await Promise.all([startTruto(), startTruto({ truto: { argStyle: 'snake' } })]);
});

afterAll(async () => {
  await Promise.all([camel?.sb.close(), snake?.sb.close()]);
});

const byName = (tools: PublicTool[], name: string): PublicTool => {
  const t = tools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t;
};
const keys = (s: { properties: Record<string, unknown> }): string[] => Object.keys(s.properties).sort();
type Gong400 = { statusCode: number; truto_is_remote_error: boolean; raw_response: { errors: string[] } };

describe('schemas', () => {
  it('snake: every key snake_case, body filters flattened, required renamed and declared', async () => {
    const tools = await snake.tools(snake.dealsId);
    for (const t of tools) {
      for (const k of [...keys(t.query_schema), ...keys(t.body_schema)]) expect(k).toMatch(/^[a-z0-9_]+$/);
      expect(t.body_schema.properties).not.toHaveProperty('filter');
      for (const k of t.required) expect(k in t.query_schema.properties || k in t.body_schema.properties).toBe(true);
    }
    const transcript = byName(tools, 'create_a_gong_calls_transcript');
    expect(keys(transcript.body_schema)).toEqual(['call_ids', 'cursor', 'from_date_time', 'primary_user_ids', 'to_date_time', 'workspace_id']);
    const upload = byName(tools, 'create_a_gong_crm_entity');
    expect(keys(upload.query_schema)).toEqual(['client_request_id', 'integration_id', 'object_type']);
    expect(keys(upload.body_schema)).toEqual(['data_file']);
    expect(upload.required.sort()).toEqual(['client_request_id', 'data_file', 'integration_id', 'object_type']);
    expect(byName(tools, 'create_a_gong_task').required.sort()).toEqual(['status', 'task_action', 'types', 'user_id']);
    expect(byName(tools, 'create_a_gong_activity_aggregate_by_period').required.sort()).toEqual(['aggregation_period', 'from_date', 'to_date']);
    expect(keys(byName(tools, 'list_all_gong_coachings').query_schema)).toEqual(['from', 'limit', 'manager_id', 'next_cursor', 'to', 'workspace_id']);
  });

  it("camel: Gong's own nested keys, as today", async () => {
    const tools = await camel.tools(camel.dealsId);
    const transcript = byName(tools, 'create_a_gong_calls_transcript');
    expect(keys(transcript.body_schema)).toEqual(['cursor', 'filter']);
    expect(transcript.required).toEqual(['filter']);
    expect(keys(byName(tools, 'create_a_gong_crm_entity').query_schema)).toEqual(['clientRequestId', 'integrationId', 'objectType']);
  });
});

describe('transcripts by call ids', () => {
  const twoCalls = (h: TrutoHttp): string[] => h.sb.world.account(h.dealsId)!.calls.slice(0, 2).map((c) => c.id);
  const idsOf = (body: unknown): string[] => (body as { callTranscripts: Array<{ callId: string }> }).callTranscripts.map((t) => t.callId).sort();

  it('maps snake call_ids to filter.callIds, and reports no unknown argument', async () => {
    snake.sb.resetStats();
    const ids = twoCalls(snake);
    const r = await snake.post(`/proxy/calls_transcript?integrated_account_id=${snake.dealsId}`, { call_ids: ids });
    expect(r.status).toBe(200);
    expect(idsOf(r.body)).toEqual([...ids].sort());
    expect(snake.sb.stats().unknownArgs).toEqual({});
    expect(snake.sb.stats().requestsByTool).toEqual({ create_a_gong_calls_transcript: 1 });
  });

  it("camel args on a snake account: dropped, reported, and Gong's 400 for the missing filter", async () => {
    snake.sb.resetStats();
    const r = await snake.post<Gong400>(`/proxy/calls_transcript?integrated_account_id=${snake.dealsId}`, { filter: { callIds: twoCalls(snake) } });
    expect(r.status).toBe(400);
    expect(r.body.truto_is_remote_error).toBe(true);
    expect(r.body.raw_response.errors).toEqual(['filter: must not be null']);
    expect(snake.sb.stats().unknownArgs).toEqual({ create_a_gong_calls_transcript: { filter: 1 } });
  });

  it("snake args on a camel account: the same 400, the keys reported", async () => {
    camel.sb.resetStats();
    const r = await camel.post<Gong400>(`/proxy/calls_transcript?integrated_account_id=${camel.dealsId}`, { call_ids: twoCalls(camel), to_date_time: daysAgo(0) });
    expect(r.status).toBe(400);
    expect(r.body.raw_response.errors).toEqual(['filter: must not be null']);
    expect(camel.sb.stats().unknownArgs).toEqual({ create_a_gong_calls_transcript: { call_ids: 1, to_date_time: 1 } });
  });

  it('camel: a nested key the filter does not declare is reported and dropped', async () => {
    camel.sb.resetStats();
    const ids = twoCalls(camel);
    const ok = await camel.post(`/proxy/calls_transcript?integrated_account_id=${camel.dealsId}`, { filter: { callIds: ids } });
    expect(ok.status).toBe(200);
    expect(camel.sb.stats().unknownArgs).toEqual({});
    const r = await camel.post(`/proxy/calls_transcript?integrated_account_id=${camel.dealsId}`, { filter: { callIds: ids, callId: ids[0] } });
    expect(r.status).toBe(200);
    expect(idsOf(r.body)).toEqual([...ids].sort());
    expect(camel.sb.stats().unknownArgs).toEqual({ create_a_gong_calls_transcript: { 'filter.callId': 1 } });
  });
});

describe('list tools', () => {
  it('snake: from_date_time/to_date_time filter the calls; camel keys are ignored and show up in stats', async () => {
    const all = snake.sb.world.account(snake.dealsId)!.calls;
    const fromMs = Date.now() - 7 * 86_400_000;
    const inWindow = all.filter((c) => c.startedMs >= fromMs).length;
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThan(all.length);
    snake.sb.resetStats();
    const base = `/proxy/calls?integrated_account_id=${snake.dealsId}&limit=500`;
    const mapped = await snake.get<{ result: unknown[] }>(`${base}&from_date_time=${new Date(fromMs).toISOString()}`);
    expect(mapped.body.result).toHaveLength(inWindow);
    expect(snake.sb.stats().unknownArgs).toEqual({});
    const ignored = await snake.get<{ result: unknown[] }>(`${base}&fromDateTime=${new Date(fromMs).toISOString()}`);
    expect(ignored.body.result.length).toBeGreaterThan(inWindow);
    expect(snake.sb.stats().unknownArgs).toEqual({ list_all_gong_calls: { fromDateTime: 1 } });
  });

  it('snake: coaching keys (Gong hyphenates them) arrive as workspace-id and manager-id', async () => {
    const coachingId = snake.sb.world.accountIdOf('coaching');
    const data = snake.sb.world.account(coachingId)!;
    const manager = data.users.find((u) => u.role === 'manager')!;
    const q = `integrated_account_id=${coachingId}&workspace_id=${data.workspaceId}&manager_id=${manager.id}&from=${daysAgo(30)}&to=${daysAgo(0)}`;
    const r = await snake.get<{ result: unknown[] }>(`/proxy/coachings?${q}`);
    expect(r.status).toBe(200);
    expect(r.body.result.length).toBeGreaterThan(0);
    const wrong = await snake.get<Gong400>(`/proxy/coachings?${q.replace('manager_id', 'manager-id')}`);
    expect(wrong.status).toBe(400);
  });
});

describe('other tools in snake style', () => {
  it('calls-extensive: content_selector and its free-form exposed_fields map to Gong camelCase', async () => {
    const globex = snake.sb.world.account(snake.dealsId)!.calls.find((c) => c.dealCrmId)!;
    const r = await snake.post<{ calls: Array<Record<string, unknown>> }>(`/proxy/calls_extensive?integrated_account_id=${snake.dealsId}`, {
      call_ids: [globex.id],
      content_selector: { context: 'Extended', context_timing: ['Now'], exposed_fields: { parties: true, content: { key_points: true } } },
    });
    expect(r.status).toBe(200);
    const call = r.body.calls[0]!;
    expect(call.parties).toEqual(expect.any(Array));
    expect(call.context).toEqual(expect.any(Array));
    expect((call.content as Record<string, unknown>).keyPoints).toEqual(expect.any(Array));
  });

  it("tasks: list by user_id and friends, update with user_id; camel userId is Gong's 400", async () => {
    const data = snake.sb.world.account(snake.dealsId)!;
    const task = data.tasks.find((t) => t.status === 'OPEN')!;
    const ia = `integrated_account_id=${snake.dealsId}`;
    const list = await snake.post<{ tasks: Array<{ id: number }> }>(`/proxy/tasks?${ia}`, {
      user_id: task.userId, types: ['FLOW', 'MANUAL'], task_action: ['CALL'], status: ['OPEN'],
    });
    expect(list.status).toBe(200);
    expect(list.body.tasks.map((t) => String(t.id))).toContain(task.id);
    const wrong = await snake.patch<Gong400>(`/proxy/tasks/${task.id}?${ia}`, { userId: task.userId, status: 'DONE' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.raw_response.errors).toEqual(['userId: must not be null']);
    expect(task.status).toBe('OPEN');
    const done = await snake.patch(`/proxy/tasks/${task.id}?${ia}&id=${task.id}`, { user_id: task.userId, status: 'DONE' });
    expect(done.status).toBe(200);
    expect(task.status).toBe('DONE');
  });

  it('aggregate-by-period: flattened from_date/to_date plus aggregation_period', async () => {
    const coachingId = snake.sb.world.accountIdOf('coaching');
    const day = (d: number) => daysAgo(d).slice(0, 10);
    const r = await snake.post<{ usersAggregateActivity: unknown[] }>(`/proxy/activity_aggregate_by_period?integrated_account_id=${coachingId}`, {
      from_date: day(20), to_date: day(1), aggregation_period: 'WEEK',
    });
    expect(r.status).toBe(200);
    expect(r.body.usersAggregateActivity.length).toBeGreaterThan(0);
  });
});
