/**
 * Degrading on tool lists the sandbox does not play, over a fake Truto: a coaching tool that does
 * not require a workspace (the sweep then never looks one up and leaves it out), and an account
 * that lists no tool to find calls (an autopsy refuses, naming both tools and the summarize
 * fallback; summarize --call-ids still runs with the ids as given).
 */
import { describe, expect, it } from 'vitest';
import { discoverCalls, fetchCoaching, locateDeal, planSweep } from '../../src/shared/domain/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import { TrutoClient, loadCapabilities, type TrutoTool } from '../../src/shared/upstream/index.ts';

const obj = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) });

function fakeTruto(tools: TrutoTool[], answer: (path: string, url: URL, body: unknown) => unknown) {
  const seen: { path: string; url: URL; body: unknown }[] = [];
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/tools')) return Response.json({ result: tools });
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    seen.push({ path: url.pathname, url, body });
    return Response.json(answer(url.pathname, url, body));
  }) as typeof globalThis.fetch;
  return { truto: new TrutoClient({ baseUrl: 'https://t.test', apiKey: 'k', fetch }), seen };
}

describe('sweep with a coaching tool that does not require a workspace', () => {
  const tools: TrutoTool[] = [
    { name: 'list_all_gong_users', resource: 'users', method: 'list' },
    { name: 'list_all_gong_calls', resource: 'calls', method: 'list', query_schema: obj('from_date_time', 'to_date_time') },
    { name: 'create_a_gong_activity_aggregate_by_period', resource: 'activity_aggregate_by_period', method: 'create', body_schema: obj('from_date', 'to_date', 'user_ids', 'aggregation_period') },
    { name: 'list_all_gong_activity_scorecards', resource: 'activity_scorecards', method: 'list', query_schema: obj('call_from_date', 'call_to_date') },
    { name: 'list_all_gong_coachings', resource: 'coachings', method: 'list', query_schema: obj('workspace_id', 'manager_id', 'from', 'to'), required: ['manager_id', 'from', 'to'] },
  ];
  const users = [
    { id: 'm1', firstName: 'Mia', lastName: 'Manager', emailAddress: 'm@x.test', created: '2020-01-01T00:00:00Z' },
    { id: 'r1', firstName: 'Ray', lastName: 'Rep', emailAddress: 'r@x.test', created: '2020-01-01T00:00:00Z', managerId: 'm1' },
  ];
  const answer = (path: string) => {
    if (path === '/proxy/users') return { result: users, next_cursor: null };
    if (path === '/proxy/activity_aggregate_by_period') return { usersAggregateActivity: [{ userId: 'r1', userAggregateActivity: [{ callsAsHost: 4 }] }] };
    if (path === '/proxy/coachings') return { result: [{ manager: { id: 'm1' }, directReportsMetrics: [{ report: { id: 'r1' }, metrics: { callsListenedTo: ['c1', 'c2'] } }] }], next_cursor: null };
    return { result: [], next_cursor: null };
  };

  it('never looks a workspace up and leaves it out of the coaching request', async () => {
    const { truto, seen } = fakeTruto(tools, answer);
    const to = new Date(Date.UTC(2026, 10, 20));
    const plan = await planSweep({ truto, sweep: { windowDays: 30, newHireDays: 30, minManagerListens: 5, maxCallsWithoutScorecard: 20 } }, { accountId: 'ia', to, nowMs: to.getTime() + 1 });
    expect(plan.workspaceId).toBeUndefined();
    expect(plan.degradations).toEqual([]);
    expect(plan.teams[0]?.hosted).toEqual({ r1: 4 });
    expect(seen.some((s) => s.path === '/proxy/workspaces')).toBe(false);
    // The aggregate read went out in the tool's snake keys.
    expect(seen.find((s) => s.path === '/proxy/activity_aggregate_by_period')?.body).toMatchObject({ aggregation_period: 'YEAR', user_ids: ['r1'] });
    const caps = await loadCapabilities(truto, 'ia');
    const metrics = await fetchCoaching(caps, { managerId: 'm1', window: plan.window });
    expect(metrics.get('r1')?.callsListenedTo).toBe(2);
    const coaching = seen.find((s) => s.path === '/proxy/coachings')!;
    expect(coaching.url.searchParams.get('manager_id')).toBe('m1');
    expect(coaching.url.searchParams.has('workspace_id')).toBe(false);
  });
});

describe('a calls list that declares no window arguments', () => {
  it('is asked without them, and the window is kept by the fleet', async () => {
    const tools: TrutoTool[] = [
      { name: 'list_all_gong_calls', resource: 'calls', method: 'list' },
      { name: 'create_a_gong_calls_transcript', resource: 'calls_transcript', method: 'create', body_schema: obj('call_ids') },
    ];
    const calls = [
      { id: '1', title: 'old', started: '2026-01-01T10:00:00Z' },
      { id: '2', title: 'in', started: '2026-11-10T10:00:00Z' },
      { id: '3', title: 'late', started: '2026-11-25T10:00:00Z' },
    ];
    const { truto, seen } = fakeTruto(tools, () => ({ result: calls, next_cursor: null }));
    const found = await discoverCalls({ truto }, { accountId: 'ia', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z') });
    expect(found.calls.map((c) => c.metaData.id)).toEqual(['2']);
    expect([...seen[0]!.url.searchParams.keys()]).toEqual(['integrated_account_id']);
  });
});

describe('an account that lists no tool to find calls', () => {
  const tools: TrutoTool[] = [{ name: 'create_a_gong_calls_transcript', resource: 'calls_transcript', method: 'create', body_schema: obj('call_ids') }];

  it('autopsy refuses before any request, naming both tools and the summarize fallback', async () => {
    const { truto, seen } = fakeTruto(tools, () => ({}));
    const err = await locateDeal({ truto }, { accountId: 'ia', deal: 'Globex', from: new Date(0), to: new Date() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    const msg = (err as Error).message;
    expect(msg).toContain('lists no tool for call details');
    expect(msg).toContain('lists no tool for calls in a window');
    expect(msg).toContain('gong-fleet summarize --account ia --call-ids <ids>');
    expect(seen).toEqual([]);
  });

  it('summarize --call-ids takes the ids as given, saying what that loses', async () => {
    const { truto } = fakeTruto(tools, () => ({}));
    const found = await discoverCalls({ truto }, { accountId: 'ia', callIds: ['11', '12'] });
    expect(found.calls.map((c) => c.metaData.id)).toEqual(['11', '12']);
    expect(found.degradations.map((d) => d.code).sort()).toEqual(['calls-unlisted', 'speakers-unnamed']);
    await expect(discoverCalls({ truto }, { accountId: 'ia', from: new Date(0), to: new Date() })).rejects.toBeInstanceOf(BadInputError);
  });
});
