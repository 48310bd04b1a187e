/**
 * Late transcripts: Gong keeps a call's transcript empty while it processes the call. With
 * `lateTranscriptMinutes` on, calls that ended less than that long ago answer `transcript: []`
 * (the spec's one entry per call) or are left out (`omit`), and their extensive content is empty
 * too; the deals account gains Globex calls that ended moments ago, and the transcript appears
 * once the sandbox clock passes the window, so a client that cached the empty one as final is caught.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBEX } from '../../src/sandbox/gong/index.ts';
import { LATE_CALLS } from '../../src/sandbox/index.ts';
import { startTruto, type TrutoHttp } from './truto-http.ts';

const MINUTES = 60;
let nowMs = Date.now();
let late: TrutoHttp;
let omit: TrutoHttp;
let plain: TrutoHttp;

beforeAll(async () => {
  const clock = (): number => nowMs;
  [late, omit, plain] = await Promise.all([
    startTruto({ clock, lateTranscriptMinutes: MINUTES }),
    startTruto({ clock, lateTranscriptMinutes: MINUTES, lateTranscriptShape: 'omit' }),
    startTruto({ truto: { profile: 'seed' } }),
  ]);
});

afterAll(async () => {
  await Promise.all([late?.sb.close(), omit?.sb.close(), plain?.sb.close()]);
});

type Transcripts = { callTranscripts: Array<{ callId: string; transcript: unknown[] }> };
const transcripts = (h: TrutoHttp, callIds: string[]) =>
  h.post<Transcripts>(`/proxy/calls_transcript?integrated_account_id=${h.dealsId}`, { filter: { callIds } });
const lengths = (body: Transcripts): Record<string, number> =>
  Object.fromEntries(body.callTranscripts.map((t) => [t.callId, t.transcript.length]));

describe('lateTranscriptMinutes', () => {
  it('adds Globex calls that ended moments ago, listed like any call', async () => {
    expect(late.sb.lateCallIds).toHaveLength(LATE_CALLS);
    expect(plain.sb.lateCallIds).toEqual([]);
    const data = late.sb.world.account(late.dealsId)!;
    const globex = late.sb.world.findDeal(late.dealsId, GLOBEX)!;
    expect(data.calls.length).toBe(plain.sb.world.account(plain.dealsId)!.calls.length + LATE_CALLS);
    for (const id of late.sb.lateCallIds) {
      const call = data.calls.find((c) => c.id === id)!;
      expect(call.dealCrmId).toBe(globex.crmId);
      const endedMinutesAgo = (nowMs - call.startedMs - call.durationSec * 1000) / 60_000;
      expect(endedMinutesAgo).toBeGreaterThan(0);
      expect(endedMinutesAgo).toBeLessThan(MINUTES);
    }
    const list = await late.get<{ result: Array<{ id: string }> }>(`/proxy/calls?integrated_account_id=${late.dealsId}&limit=500`);
    expect(list.body.result.map((c) => c.id)).toEqual(expect.arrayContaining(late.sb.lateCallIds));
  });

  it('answers an empty transcript until the window has passed, then the real one', async () => {
    const [older, newer] = late.sb.lateCallIds as [string, string];
    const ready = late.sb.world.account(late.dealsId)!.calls[0]!.id;
    const first = await transcripts(late, [older, newer, ready]);
    expect(first.status).toBe(200);
    expect(lengths(first.body)).toEqual({ [older]: 0, [newer]: 0, [ready]: expect.any(Number) });
    expect(lengths(first.body)[ready]).toBeGreaterThan(0);

    // Extensive content derives from the transcript: nothing yet either.
    const ext = await late.post<{ calls: Array<{ metaData: { id: string }; content: { keyPoints: unknown[]; trackers: unknown[] } }> }>(
      `/proxy/calls_extensive?integrated_account_id=${late.dealsId}`,
      { filter: { callIds: [newer] }, contentSelector: { exposedFields: { content: { keyPoints: true, trackers: true } } } },
    );
    expect(ext.body.calls[0]!.content).toEqual({ keyPoints: [], trackers: [] });

    nowMs += (MINUTES / 2 + 1) * 60_000; // the older call (ended half a window ago) is now processed
    const second = lengths((await transcripts(late, [older, newer])).body);
    expect(second[older]).toBeGreaterThan(0);
    expect(second[newer]).toBe(0);

    nowMs += MINUTES * 60_000;
    const third = lengths((await transcripts(late, [older, newer])).body);
    expect(third[older]).toBeGreaterThan(0);
    expect(third[newer]).toBeGreaterThan(0);
  });

  it("with shape 'omit', leaves pending calls out, and a window of only pending calls is Gong's 404", async () => {
    nowMs = Date.now(); // back to (about) when the omit sandbox made its late calls
    const ready = omit.sb.world.account(omit.dealsId)!.calls[0]!.id;
    const some = await transcripts(omit, [...omit.sb.lateCallIds, ready]);
    expect(some.status).toBe(200);
    expect(some.body.callTranscripts.map((t) => t.callId)).toEqual([ready]);
    const none = await transcripts(omit, omit.sb.lateCallIds);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ truto_is_remote_error: true });
  });
});

describe('/_sandbox controls', () => {
  const admin = (path: string, body?: unknown) =>
    fetch(`${plain.sb.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('adds a call that just ended and turns late transcripts on and off at run time', async () => {
    const added = await admin(`/_sandbox/accounts/${plain.dealsId}/calls`, { count: 1, endedSecondsAgo: 120 });
    expect(added.status).toBe(200);
    const [id] = added.body.callIds as [string];
    const path = `/proxy/calls_transcript?integrated_account_id=${plain.dealsId}`;
    // The seed profile: snake keys, unwrapped answer.
    const read = async () => (await plain.post<{ result: Array<{ transcript: unknown[] }> }>(path, { call_ids: [id] })).body.result[0]!.transcript.length;
    expect(await read()).toBeGreaterThan(0);

    expect((await admin('/_sandbox/late-transcripts', { minutes: 5 })).body).toEqual({ minutes: 5, shape: 'empty' });
    expect((await admin('/_sandbox/late-transcripts')).body).toEqual({ minutes: 5, shape: 'empty' });
    expect(await read()).toBe(0);
    await admin('/_sandbox/late-transcripts', { minutes: 0 });
    expect(await read()).toBeGreaterThan(0);
  });

  it('refuses bad values', async () => {
    expect((await admin('/_sandbox/late-transcripts', { minutes: -1 })).status).toBe(400);
    expect((await admin('/_sandbox/late-transcripts', { minutes: 5, shape: 'gone' })).status).toBe(400);
    expect((await admin(`/_sandbox/accounts/${plain.dealsId}/calls`, { count: 1, endedSecondsAgo: -5 })).status).toBe(400);
  });
});
