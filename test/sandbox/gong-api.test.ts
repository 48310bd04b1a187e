import { describe, expect, it } from 'vitest';
import { createGongApi, createWorld, GLOBEX, NO_CALLS, TRANSCRIPTS_PAGE_SIZE } from '../../src/sandbox/gong/index.ts';
import type { GongRequest } from '../../src/sandbox/types.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function setup(clock = () => NOW.getTime()) {
  const world = createWorld({ now: NOW });
  const api = createGongApi(world, { clock });
  const call = async (accountId: string, method: GongRequest['method'], path: string, extra: Partial<GongRequest> = {}) => {
    const res = await api.handle({ accountId, method, path, query: {}, ...extra });
    return res as { status: number; body: any };
  };
  return { world, api, call, deals: world.accountIdOf('deals'), coaching: world.accountIdOf('coaching'), restricted: world.accountIdOf('restricted') };
}

describe('calls', () => {
  it('pages GET /v2/calls with cursors present iff more remain, each call exactly once', async () => {
    const { call, coaching, world } = setup();
    const query = { fromDateTime: iso(NOW.getTime() - 30 * DAY), toDateTime: iso(NOW.getTime()) };
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const res = await call(coaching, 'GET', '/v2/calls', { query: cursor ? { ...query, cursor } : query });
      expect(res.status).toBe(200);
      expect(res.body.records.currentPageNumber).toBe(page++);
      expect(res.body.records.currentPageSize).toBe(res.body.calls.length);
      seen.push(...res.body.calls.map((c: any) => c.id));
      cursor = res.body.records.cursor;
      if (cursor) expect(res.body.calls).toHaveLength(100);
    } while (cursor);
    const expected = world.account(coaching)!.calls.filter((c) => c.startedMs >= NOW.getTime() - 30 * DAY).map((c) => c.id);
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(page).toBe(Math.ceil(expected.length / 100));
  });

  it('rejects a cursor replayed with different inputs', async () => {
    const { call, deals, coaching } = setup();
    const small = await call(deals, 'GET', '/v2/calls', {});
    expect(small.body.records.totalRecords).toBe(82);
    expect(small.body.records.cursor).toBeUndefined(); // a single page: no cursor at all
    const query = { fromDateTime: iso(NOW.getTime() - 10 * DAY) };
    const first = await call(coaching, 'GET', '/v2/calls', { query });
    const cursor = first.body.records.cursor as string;
    expect(cursor).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const second = await call(coaching, 'GET', '/v2/calls', { query: { ...query, cursor } });
    expect(second.status).toBe(200);
    expect(second.body.records.currentPageNumber).toBe(1);
    const bad = await call(coaching, 'GET', '/v2/calls', { query: { cursor, fromDateTime: iso(NOW.getTime() - DAY) } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatch(/cursor/);
    const otherAccount = await call(deals, 'GET', '/v2/calls', { query: { ...query, cursor } });
    expect(otherAccount.status).toBe(400);
    const garbage = await call(coaching, 'GET', '/v2/calls', { query: { cursor: 'abc' } });
    expect(garbage.status).toBe(400);
  });

  it('answers 404 on an empty window and for an unknown call id', async () => {
    const { call, deals } = setup();
    const empty = await call(deals, 'GET', '/v2/calls', { query: { fromDateTime: '2020-01-01T00:00:00Z', toDateTime: '2020-02-01T00:00:00Z' } });
    expect(empty.status).toBe(404);
    expect(empty.body).toEqual({ requestId: expect.any(String), errors: [NO_CALLS] });
    const missing = await call(deals, 'GET', '/v2/calls/1234');
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual(['Call ID was not found']);
  });

  it('validates extensive filters and returns parties matching transcript speakers and CRM context', async () => {
    const { call, deals, world } = setup();
    expect((await call(deals, 'POST', '/v2/calls/extensive', { body: {} })).status).toBe(400);
    const emptyIds = await call(deals, 'POST', '/v2/calls/extensive', { body: { filter: { callIds: [] } } });
    expect(emptyIds.status).toBe(400);
    expect(emptyIds.body.errors).toEqual(['filter.callIds: must not be empty but can be null or can be omitted']);

    const globex = world.findDeal(deals, GLOBEX)!;
    const globexCall = world.account(deals)!.calls.find((c) => c.dealCrmId === globex.crmId)!;
    const res = await call(deals, 'POST', '/v2/calls/extensive', {
      body: {
        filter: { callIds: [globexCall.id] },
        contentSelector: { context: 'Extended', exposedFields: { parties: true, content: { brief: true, keyPoints: true }, interaction: { speakers: true } } },
      },
    });
    expect(res.status).toBe(200);
    const item = res.body.calls[0];
    expect(item.metaData.id).toBe(globexCall.id);
    const objects = item.context[0].objects;
    const account = objects.find((o: any) => o.objectType === 'Account');
    expect(account.fields).toContainEqual({ name: 'Name', value: GLOBEX });
    expect(objects.find((o: any) => o.objectType === 'Opportunity').objectId).toBe(globex.crmId);
    const transcript = await call(deals, 'POST', '/v2/calls/transcript', { body: { filter: { callIds: [globexCall.id] } } });
    const speakers = new Set(transcript.body.callTranscripts[0].transcript.map((m: any) => m.speakerId));
    const partySpeakers = new Set(item.parties.map((p: any) => p.speakerId));
    for (const s of speakers) expect(partySpeakers.has(s)).toBe(true);
    expect(item.parties.some((p: any) => p.affiliation === 'Internal' && p.userId === globexCall.primaryUserId)).toBe(true);
    expect(item.content.keyPoints.length).toBe(world.plantedFacts(globexCall.id).length);
  });

  it('pages transcripts in small pages and honours the date range with callIds', async () => {
    const { call, deals, world } = setup();
    const from = iso(NOW.getTime() - 30 * DAY);
    const res = await call(deals, 'POST', '/v2/calls/transcript', { body: { filter: { fromDateTime: from } } });
    expect(res.status).toBe(200);
    expect(res.body.callTranscripts).toHaveLength(TRANSCRIPTS_PAGE_SIZE);
    expect(res.body.records.cursor).toBeDefined();
    const next = await call(deals, 'POST', '/v2/calls/transcript', { body: { filter: { fromDateTime: from }, cursor: res.body.records.cursor } });
    expect(next.body.records.currentPageNumber).toBe(1);
    // Cursor sent with a changed filter is refused.
    const changed = await call(deals, 'POST', '/v2/calls/transcript', { body: { filter: { fromDateTime: iso(NOW.getTime() - 2 * DAY) }, cursor: res.body.records.cursor } });
    expect(changed.status).toBe(400);
    const oldCall = world.account(deals)!.calls[0]!; // oldest call, outside the last 30 days
    const outside = await call(deals, 'POST', '/v2/calls/transcript', { body: { filter: { fromDateTime: from, callIds: [oldCall.id] } } });
    expect(outside.status).toBe(404);
  });
});

describe('scopes and errors', () => {
  it('answers 403 naming the missing scope on the restricted account', async () => {
    const { call, restricted, world } = setup();
    const res = await call(restricted, 'POST', '/v2/calls/transcript', { body: { filter: {} } });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toContain('api:calls:read:transcript');
    const task = world.account(restricted)!.tasks[0]!;
    const patch = await call(restricted, 'PATCH', `/v2/tasks/${task.id}`, { body: { userId: task.userId, status: 'DONE' } });
    expect(patch.status).toBe(403);
    expect(patch.body.errors[0]).toContain('api:tasks:write');
    expect((await call(restricted, 'GET', '/v2/calls')).status).toBe(200);
  });

  it('answers 404 for unknown paths and keeps Gong error bodies everywhere', async () => {
    const { call, deals } = setup();
    const res = await call(deals, 'GET', '/v2/nope');
    expect(res.status).toBe(404);
    expect(Object.keys(res.body).sort()).toEqual(['errors', 'requestId']);
    const malformed = await call(deals, 'POST', '/v2/calls/extensive', { body: 'not json' as unknown });
    expect(malformed.status).toBe(400);
  });
});

describe('tasks and briefs', () => {
  it('lists a rep’s Globex tasks and PATCHes one to DONE', async () => {
    const { call, deals, world } = setup(() => NOW.getTime() + 5_000);
    const globex = world.findDeal(deals, GLOBEX)!;
    const filter = { userId: globex.ownerUserId, types: ['MANUAL', 'FLOW'], taskAction: ['CALL'], status: ['OPEN'] };
    const missing = await call(deals, 'POST', '/v2/tasks', { body: { filter: { userId: globex.ownerUserId } } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatch(/types/);
    const res = await call(deals, 'POST', '/v2/tasks', { body: { filter } });
    expect(res.status).toBe(200);
    expect(res.body.crmType).toBe('SALESFORCE');
    const whitepaper = res.body.tasks.find((t: any) => t.title === 'Send security whitepaper');
    expect(whitepaper.account.name).toBe(GLOBEX);
    expect(whitepaper.opportunity.crmId).toBe(globex.crmId);
    expect(typeof whitepaper.id).toBe('number');

    const patched = await call(deals, 'PATCH', `/v2/tasks/${whitepaper.id}`, { body: { userId: globex.ownerUserId, status: 'DONE', priority: 'Low' } });
    expect(patched.status).toBe(200);
    expect(patched.body.tasks[0]).toMatchObject({ id: whitepaper.id, status: 'DONE', priority: { name: 'Low' } });
    const after = await call(deals, 'POST', '/v2/tasks', { body: { filter } });
    expect(after.body.tasks.find((t: any) => t.id === whitepaper.id)).toBeUndefined();
    const unknown = await call(deals, 'PATCH', '/v2/tasks/999', { body: { userId: globex.ownerUserId, status: 'DONE' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual(['TaskId not found']);
  });

  it('serves briefs for Globex, 404 for deals without one, 402 on the restricted account', async () => {
    const { call, deals, restricted, world } = setup();
    const ws = world.account(deals)!.workspaceId;
    const globex = world.findDeal(deals, GLOBEX)!;
    const q = (crmEntityId: string, workspaceId = ws) => ({ workspaceId, briefName: 'Deal Brief', crmEntityType: 'DEAL', crmEntityId, timePeriod: 'LAST_30DAYS' });
    const res = await call(deals, 'GET', '/v2/entities/get-brief', { query: q(globex.crmId) });
    expect(res.status).toBe(200);
    expect(res.body.numOfCallsSearched).toBeGreaterThanOrEqual(12);
    const cited = res.body.briefSections.flatMap((s: any) => s.conversationFindings.callFindings.map((f: any) => f.call.id));
    for (const id of cited) expect(world.findCall(id)?.call.dealCrmId).toBe(globex.crmId);
    const initech = world.findDeal(deals, 'Initech')!;
    expect((await call(deals, 'GET', '/v2/entities/get-brief', { query: q(initech.crmId) })).status).toBe(404);
    const r = world.account(restricted)!;
    expect((await call(restricted, 'GET', '/v2/entities/get-brief', { query: q(r.deals[0]!.crmId, r.workspaceId) })).status).toBe(402);
  });
});

describe('coaching, stats and scorecards agree with the ground truth', () => {
  it('finds exactly the flaggable reps through the API', async () => {
    const { call, coaching, world } = setup();
    const acct = world.account(coaching)!;
    const from = NOW.getTime() - 30 * DAY;
    const managers = acct.users.filter((u) => u.role === 'manager');
    const listened = new Map<string, number>();
    for (const m of managers) {
      const res = await call(coaching, 'GET', '/v2/coaching', {
        query: { 'workspace-id': acct.workspaceId, 'manager-id': m.id, from: iso(from), to: iso(NOW.getTime()) },
      });
      expect(res.status).toBe(200);
      for (const r of res.body.coachingData[0].directReportsMetrics) listened.set(r.report.id, r.metrics.callsListenedTo.length);
    }
    const missing = await call(coaching, 'GET', '/v2/coaching', { query: { 'workspace-id': acct.workspaceId, from: iso(from), to: iso(NOW.getTime()) } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toContain('manager-id');

    const users = await call(coaching, 'POST', '/v2/users/extensive', { body: { filter: { createdFromDateTime: iso(from) } } });
    const newHires = new Set(users.body.users.map((u: any) => u.id));

    const hosted = new Map<string, number>();
    let cursor: string | undefined;
    do {
      const res = await call(coaching, 'POST', '/v2/calls/extensive', { body: { filter: { fromDateTime: iso(from), toDateTime: iso(NOW.getTime()) }, ...(cursor ? { cursor } : {}) } });
      for (const c of res.body.calls) hosted.set(c.metaData.primaryUserId, (hosted.get(c.metaData.primaryUserId) ?? 0) + 1);
      cursor = res.body.records.cursor;
    } while (cursor);

    const scorecards = new Map<string, number>();
    cursor = undefined;
    do {
      const res = await call(coaching, 'POST', '/v2/stats/activity/scorecards', { body: { filter: { callFromDate: day(from + DAY) }, ...(cursor ? { cursor } : {}) } });
      expect(res.status).toBe(200);
      for (const s of res.body.answeredScorecards) {
        const started = Date.parse(s.callStartTime);
        if (started >= from) scorecards.set(String(s.reviewedUserId), (scorecards.get(String(s.reviewedUserId)) ?? 0) + 1);
      }
      cursor = res.body.records.cursor;
    } while (cursor);

    const truth = world.coachingTruth(coaching);
    for (const t of truth) {
      expect(listened.get(t.userId) ?? 0).toBe(t.callsListenedByManager);
      expect(hosted.get(t.userId) ?? 0).toBe(t.callsHosted);
      expect(newHires.has(t.userId)).toBe(t.isNewHire);
      if (t.callsHosted >= 20) expect(scorecards.get(t.userId) ?? 0).toBe(t.scorecardsReceived);
    }
  });

  it('aggregates activity by period and validates dates', async () => {
    const { call, coaching, world } = setup();
    const acct = world.account(coaching)!;
    const rep = world.coachingTruth(coaching).find((t) => t.callsHosted >= 20)!;
    const today = day(NOW.getTime());
    const tooLate = await call(coaching, 'POST', '/v2/stats/activity/aggregate-by-period', {
      body: { filter: { fromDate: day(NOW.getTime() - 10 * DAY), toDate: day(NOW.getTime() + 2 * DAY) }, aggregationPeriod: 'WEEK' },
    });
    expect(tooLate.status).toBe(400);
    const res = await call(coaching, 'POST', '/v2/stats/activity/aggregate-by-period', {
      body: { filter: { fromDate: day(NOW.getTime() - 60 * DAY), toDate: today, userIds: [rep.userId, rep.managerId] }, aggregationPeriod: 'WEEK' },
    });
    expect(res.status).toBe(200);
    const byUser = new Map(res.body.usersAggregateActivity.map((u: any) => [u.userId, u.userAggregateActivity]));
    const weeks = byUser.get(rep.userId) as any[];
    expect(weeks.length).toBeGreaterThanOrEqual(9);
    expect(new Date(weeks[1].fromDate).getUTCDay()).toBe(1); // weeks start on Monday
    const hostedInRange = acct.calls.filter((c) => c.primaryUserId === rep.userId && c.startedMs >= NOW.getTime() - 60 * DAY && c.startedMs < Date.parse(`${today}T00:00:00Z`)).length;
    expect(weeks.reduce((n, w) => n + w.callsAsHost, 0)).toBe(hostedInRange);
    const managerWeeks = byUser.get(rep.managerId) as any[];
    expect(managerWeeks.reduce((n, w) => n + w.othersCallsListenedTo, 0)).toBeGreaterThan(0);
  });
});
