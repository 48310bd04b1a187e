/**
 * Answer shapes of Gong POST reads exposed as create tools, per profile `bodies`: `gong` (Gong's
 * whole body, paged by `records.cursor` in the body), `unwrapped` (Truto's `{result, next_cursor}`,
 * paged by `?next_cursor=` on the same POST) and `array` (a bare array of every item, not paged).
 * Each mode reads a transcript window that spans several Gong pages and must see every call once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPTS_PAGE_SIZE } from '../../src/sandbox/gong/index.ts';
import { startTruto, type Reply, type TrutoHttp } from './truto-http.ts';

let gong: TrutoHttp;
let unwrapped: TrutoHttp;
let array: TrutoHttp;

beforeAll(async () => {
  [gong, unwrapped, array] = await Promise.all([
    startTruto(),
    startTruto({ truto: { bodies: 'unwrapped' } }),
    startTruto({ truto: { profile: 'seed-array' } }),
  ]);
});

afterAll(async () => {
  await Promise.all([gong?.sb.close(), unwrapped?.sb.close(), array?.sb.close()]);
});

// One fixed window: Gong refuses a cursor replayed with different inputs ("cursor has expired").
// 20 days back holds 16 of the 24 calls at any hour (the world places calls at 14:00-22:00 UTC, so a
// 15-day window held only 10, one page, late in the UTC day).
const FROM_MS = Date.now() - 20 * 86_400_000;
const fromIso = (): string => new Date(FROM_MS).toISOString();

/** Call ids of the deals account in the window, from the world itself. */
function truth(h: TrutoHttp): string[] {
  return h.sb.world.account(h.dealsId)!.calls.filter((c) => c.startedMs >= FROM_MS).map((c) => c.id).sort();
}

interface Envelope {
  result: Array<{ callId: string }>;
  next_cursor: string | null;
  prev_cursor: null;
  result_count: number;
}

describe('bodies: gong', () => {
  it("pages with Gong's records.cursor in the body", async () => {
    const expected = truth(gong);
    expect(expected.length).toBeGreaterThan(TRANSCRIPTS_PAGE_SIZE);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await gong.post<{ records: { cursor?: string }; callTranscripts: Array<{ callId: string }> }>(
        `/proxy/calls_transcript?integrated_account_id=${gong.dealsId}`,
        { filter: { fromDateTime: fromIso() }, ...(cursor ? { cursor } : {}) },
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.callTranscripts.map((t) => t.callId));
      cursor = r.body.records.cursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(expected.length / TRANSCRIPTS_PAGE_SIZE));
    expect(seen.sort()).toEqual(expected);
  });
});

describe('bodies: unwrapped', () => {
  async function readAll(limit?: number): Promise<{ ids: string[]; pages: number; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const q: string = `integrated_account_id=${unwrapped.dealsId}${limit ? `&limit=${limit}` : ''}${next ? `&next_cursor=${next}` : ''}`;
      const r: Reply<Envelope> = await unwrapped.post<Envelope>(`/proxy/calls_transcript?${q}`, { filter: { fromDateTime: fromIso() } });
      expect(r.status).toBe(200);
      expect(r.body.prev_cursor).toBeNull();
      expect(r.body.result_count).toBe(r.body.result.length);
      ids.push(...r.body.result.map((t) => t.callId));
      sizes.push(r.body.result.length);
      next = r.body.next_cursor;
      pages += 1;
    } while (next && pages < 100);
    return { ids: ids.sort(), pages, sizes };
  }

  it('lists next_cursor and limit in the query schema and takes Gong\'s cursor out of the body', async () => {
    const t = (await unwrapped.tools(unwrapped.dealsId)).find((x) => x.name === 'create_a_gong_calls_transcript')!;
    expect(Object.keys(t.query_schema.properties).sort()).toEqual(['limit', 'next_cursor']);
    expect(Object.keys(t.body_schema.properties)).toEqual(['filter']);
  });

  it('pages with ?next_cursor= on the same POST until next_cursor is null', async () => {
    const expected = truth(unwrapped);
    const all = await readAll();
    expect(all.pages).toBe(Math.ceil(expected.length / TRANSCRIPTS_PAGE_SIZE));
    expect(all.ids).toEqual(expected);
  });

  it('cuts Gong pages with limit, never losing or repeating a call', async () => {
    const expected = truth(unwrapped);
    const all = await readAll(4);
    expect(all.sizes.every((n) => n <= 4)).toBe(true);
    expect(all.pages).toBeGreaterThan(Math.ceil(expected.length / TRANSCRIPTS_PAGE_SIZE));
    expect(all.ids).toEqual(expected);
  });

  it("reports Gong's body cursor as an unknown argument, and refuses a forged next_cursor", async () => {
    unwrapped.sb.resetStats();
    const path = `/proxy/calls_transcript?integrated_account_id=${unwrapped.dealsId}`;
    const r = await unwrapped.post<Envelope>(path, { filter: { fromDateTime: fromIso() }, cursor: 'abc' });
    expect(r.status).toBe(200);
    expect(unwrapped.sb.stats().unknownArgs).toEqual({ create_a_gong_calls_transcript: { cursor: 1 } });
    const bad = await unwrapped.post(`${path}&next_cursor=not-a-cursor`, { filter: {} });
    expect(bad.status).toBe(400);
  });

  it('unwraps the tasks list (not paged) and aggregates; an empty window is still Gong\'s 404', async () => {
    const data = unwrapped.sb.world.account(unwrapped.dealsId)!;
    const userId = data.tasks[0]!.userId;
    const ia = `integrated_account_id=${unwrapped.dealsId}`;
    const tasks = await unwrapped.post<{ result: Array<{ userId: number }>; next_cursor: null }>(`/proxy/tasks?${ia}`, {
      filter: { userId, types: ['FLOW', 'MANUAL'], taskAction: ['CALL'], status: ['OPEN', 'DONE', 'DISMISSED'] },
    });
    expect(tasks.status).toBe(200);
    expect(tasks.body.next_cursor).toBeNull();
    expect(tasks.body.result.length).toBe(data.tasks.filter((t) => t.userId === userId).length);
    const empty = await unwrapped.post(`/proxy/calls_transcript?${ia}`, { filter: { fromDateTime: '2001-01-01T00:00:00Z', toDateTime: '2001-01-02T00:00:00Z' } });
    expect(empty.status).toBe(404);
    expect(empty.body.truto_is_remote_error).toBe(true);
  });
});

describe('bodies: array', () => {
  it('answers every item of every Gong page as one bare array', async () => {
    array.sb.resetStats();
    const expected = truth(array);
    const r = await array.post<Array<{ callId: string; transcript: unknown[] }>>(
      `/proxy/calls_transcript?integrated_account_id=${array.dealsId}`,
      { from_date_time: fromIso() },
    );
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body.map((t) => t.callId).sort()).toEqual(expected);
    expect(r.body.every((t) => t.transcript.length > 0)).toBe(true);
    expect(array.sb.stats().proxyRequests).toBe(1);
    const tool = (await array.tools(array.dealsId)).find((x) => x.name === 'create_a_gong_calls_transcript')!;
    expect(tool.body_schema.properties).not.toHaveProperty('cursor');
    expect(tool.query_schema.properties).not.toHaveProperty('next_cursor');
  });

  it('leaves list tools in Truto\'s list envelope', async () => {
    const r = await array.get<{ result: unknown[]; next_cursor: unknown }>(`/proxy/users?integrated_account_id=${array.dealsId}`);
    expect(r.status).toBe(200);
    expect(r.body.result.length).toBeGreaterThan(0);
    expect(r.body).toHaveProperty('next_cursor');
  });
});
