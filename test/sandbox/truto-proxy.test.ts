/**
 * The proxy over the simulated Gong: Truto's list envelope and cursor, POST reads with Gong's own
 * cursor in the body, scope errors, the CRM upload lifecycle over multipart, transcript speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

let sb: Sandbox;
let auth: Record<string, string>;
let dealsId: string;

const CALLS = 150; // more than one Gong page of 100, so Truto's cursor must cross a Gong page

beforeAll(async () => {
  // Limits raised: this file tests shapes, truto-limits.test.ts tests the limits.
  sb = await startSandbox({ callsPerAccount: CALLS, gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, crmProcessingMs: 300 });
  auth = { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` };
  dealsId = sb.world.accounts[0]!.id;
});

afterAll(async () => {
  await sb?.close();
});

async function req<T = Record<string, unknown>>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(sb.url + path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

const postJson = (path: string, body: unknown) =>
  req(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface ListPage {
  result: Array<{ id: string }>;
  next_cursor: string | null;
  prev_cursor: null;
  result_count: number;
}

describe('list', () => {
  it('pages every call exactly once with a small limit, starting from an empty next_cursor', async () => {
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await req<ListPage>(`/proxy/calls?integrated_account_id=${dealsId}&limit=7&next_cursor=${encodeURIComponent(cursor)}`);
      expect(r.status).toBe(200);
      expect(r.body.prev_cursor).toBeNull();
      expect(r.body.result_count).toBe(r.body.result.length);
      expect(r.body.result.length).toBeLessThanOrEqual(7);
      expect(r.headers.get('ratelimit-limit')).toBe('100000;w=10');
      seen.push(...r.body.result.map((c) => c.id));
      cursor = r.body.next_cursor ?? '';
      pages += 1;
    } while (cursor && pages < 100);
    const truth = sb.world.account(dealsId)!.calls.map((c) => c.id);
    expect(truth.length).toBeGreaterThan(100);
    expect(seen).toHaveLength(truth.length);
    expect(new Set(seen)).toEqual(new Set(truth));
    // A Truto page never spans two Gong pages, so the page at Gong's 100-record boundary is short.
    expect(pages).toBe(Math.ceil(100 / 7) + Math.ceil((truth.length - 100) / 7));
  });

  it('without a limit, returns whole Gong pages and a cursor while more remain', async () => {
    const first = await req<ListPage>(`/proxy/calls?integrated_account_id=${dealsId}&next_cursor=`);
    expect(first.body.result).toHaveLength(100);
    expect(first.body.next_cursor).toBeTypeOf('string');
    const second = await req<ListPage>(`/proxy/calls?integrated_account_id=${dealsId}&next_cursor=${first.body.next_cursor}`);
    expect(second.body.next_cursor).toBeNull();
    expect(first.body.result.length + second.body.result.length).toBe(sb.world.account(dealsId)!.calls.length);
  });

  it('maps flat query filters into a Gong POST list (scorecards) and forwards bracketed arrays', async () => {
    const coaching = sb.world.accounts[1]!.id;
    const r = await req<ListPage>(`/proxy/activity_scorecards?integrated_account_id=${coaching}&limit=5`);
    expect(r.status).toBe(200);
    expect(r.body.result.length).toBe(5);
    const reviewed = String((r.body.result[0] as unknown as { reviewedUserId: number }).reviewedUserId);
    const only = await req<{ result: Array<{ reviewedUserId: number }> }>(
      `/proxy/activity_scorecards?integrated_account_id=${coaching}&reviewedUserIds[]=${reviewed}`,
    );
    expect(only.body.result.length).toBeGreaterThan(0);
    expect(only.body.result.every((s) => String(s.reviewedUserId) === reviewed)).toBe(true);
  });
});

describe('get and POST reads', () => {
  it("returns Gong's body verbatim for get", async () => {
    const id = sb.world.account(dealsId)!.calls[0]!.id;
    const r = await req<{ requestId: string; call: { id: string } }>(`/proxy/calls/${id}?integrated_account_id=${dealsId}&id=${id}`);
    expect(r.status).toBe(200);
    expect(r.body.requestId).toBeTypeOf('string');
    expect(r.body.call.id).toBe(id);
  });

  it("keeps Gong's records.cursor paging in the body of a POST read", async () => {
    const ids = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await postJson(`/proxy/calls_transcript?integrated_account_id=${dealsId}`, { filter: {}, ...(cursor ? { cursor } : {}) });
      expect(r.status).toBe(200);
      const body = r.body as { records: { cursor?: string; currentPageSize: number }; callTranscripts: Array<{ callId: string }> };
      expect(body.callTranscripts.length).toBe(body.records.currentPageSize);
      for (const t of body.callTranscripts) ids.add(t.callId);
      cursor = body.records.cursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(1);
    expect(ids.size).toBe(sb.world.account(dealsId)!.calls.length);
  });

  it('turns a Gong 403 into a remote error naming the missing scope', async () => {
    const restricted = sb.world.accounts.find((a) => !a.scopes.includes('api:calls:read:transcript'))!;
    const r = await postJson(`/proxy/calls_transcript?integrated_account_id=${restricted.id}`, { filter: {} });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      statusCode: 403,
      truto_is_remote_error: true,
      truto_error_insight: { forbidden_error: { value: { missing_scopes: ['api:calls:read:transcript'] } } },
    });
    // The insight sits under truto_error_insight only (truto-api.md corrections), never at the top.
    expect(r.body).not.toHaveProperty('forbidden_error');
    expect(r.body.raw_response).toHaveProperty('errors');
  });
});

describe('CRM upload', () => {
  it('uploads LDJSON as multipart, polls request status to DONE, and reads the entity back', async () => {
    const integrations = await req<{ result: Array<{ integrationId: number | string }> }>(`/proxy/crm_integrations?integrated_account_id=${dealsId}`);
    const integrationId = String(integrations.body.result[0]!.integrationId);
    const clientRequestId = `proxy-test-${Date.now()}`;
    const lines = [
      { objectId: 'acct-proxy-1', modifiedDate: '2026-01-02T03:04:05Z', name: 'Proxy Test Co', domains: ['proxytest.example'] },
      { objectId: 'acct-proxy-2', modifiedDate: '2026-01-02T03:04:05Z', name: 'Proxy Test Two' },
    ];
    const form = new FormData();
    form.append('dataFile', new Blob([lines.map((l) => JSON.stringify(l)).join('\n')], { type: 'application/x-ndjson' }), 'accounts.ldjson');
    const query = `integrated_account_id=${dealsId}&integrationId=${integrationId}&objectType=ACCOUNT&clientRequestId=${clientRequestId}`;
    const upload = await req(`/proxy/crm_entities?${query}`, { method: 'POST', body: form });
    expect(upload.status).toBe(201);
    expect(upload.body.clientRequestId).toBe(clientRequestId);

    const reused = await req(`/proxy/crm_entities?${query}`, { method: 'POST', body: form });
    expect(reused.status).toBe(409);
    expect(reused.body.truto_is_remote_error).toBe(true);

    const seen: string[] = [];
    let status = '';
    const deadline = Date.now() + 5_000;
    while (status !== 'DONE' && status !== 'FAILED' && Date.now() < deadline) {
      const r = await req<{ result: Array<{ status: string; totalSuccessCount: number }> }>(
        `/proxy/crm_request_status?integrated_account_id=${dealsId}&integrationId=${integrationId}&clientRequestId=${clientRequestId}`,
      );
      expect(r.status).toBe(200);
      status = r.body.result[0]!.status;
      if (seen.at(-1) !== status) seen.push(status);
      if (status !== 'DONE') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('DONE');
    expect(seen[0]).toBe('PENDING');

    const read = await req<{ result: Array<{ crmId: string; name: string }> }>(
      `/proxy/crm_entities?integrated_account_id=${dealsId}&integrationId=${integrationId}&objectType=ACCOUNT&objectsCrmIds[]=acct-proxy-1&objectsCrmIds[]=missing-id`,
    );
    expect(read.status).toBe(200);
    expect(read.body.result).toHaveLength(1);
    expect(read.body.result[0]).toMatchObject({ crmId: 'acct-proxy-1', name: 'Proxy Test Co' });
  });
});

describe('performance', () => {
  it("serves a 60-call account's transcripts in well under a second each", async () => {
    const ids = sb.world.account(dealsId)!.calls.slice(0, 60).map((c) => c.id);
    const perTranscriptMs: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const r = await postJson(`/proxy/calls_transcript?integrated_account_id=${dealsId}`, { filter: { callIds: [id] } });
      const ms = performance.now() - t0;
      expect(r.status).toBe(200);
      expect((r.body as { callTranscripts: unknown[] }).callTranscripts).toHaveLength(1);
      perTranscriptMs.push(ms);
    }
    const sorted = [...perTranscriptMs].sort((a, b) => a - b);
    const mean = perTranscriptMs.reduce((a, b) => a + b, 0) / perTranscriptMs.length;
    const max = sorted.at(-1)!;
    console.log(
      `transcripts over HTTP (first fetch, generation included): mean ${mean.toFixed(1)} ms, p50 ${sorted[30]!.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    expect(max).toBeLessThan(1000);
    expect(mean).toBeLessThan(250);
  });
});
