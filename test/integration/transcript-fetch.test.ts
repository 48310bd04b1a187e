/**
 * Two jobs asking for overlapping transcripts at the same moment (overlapping runs) never ask Gong
 * twice for one call: the one without the claim is told to come back, then finds them stored.
 * Real sandbox over HTTP, real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRefFrom, fetchTranscripts, discoverCalls } from '../../src/shared/domain/index.ts';
import { RetryAfterError } from '../../src/shared/platform/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('transcript fetch claims', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'txclaim' });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('fetches each transcript once when two jobs overlap', async () => {
    const to = new Date();
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    const calls = found.calls.slice(0, 12).map(callRefFrom);
    const a = calls.slice(0, 8);
    const b = calls.slice(4, 12); // 4 calls overlap with a
    fleet.sandbox.resetStats();
    const [ra, rb] = await Promise.allSettled([
      fetchTranscripts(fleet.services, fleet.accountId, a),
      fetchTranscripts(fleet.services, fleet.accountId, b),
    ]);
    // Whichever lost the race on the overlap was told to retry; on retry it finds them stored.
    const retried = [ra, rb].filter((r) => r.status === 'rejected');
    for (const r of retried) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RetryAfterError);
    const again = await fetchTranscripts(fleet.services, fleet.accountId, calls);
    expect(again.fetched).toEqual([]);
    expect(again.alreadyStored.sort()).toEqual(calls.map((c) => c.callId).sort());
    // One request per job, the overlap asked for by one of them only.
    expect(fleet.sandbox.stats().requestsByPath['/proxy/calls_transcript']).toBe(2);
    const fetched = [ra, rb].flatMap((r) => (r.status === 'fulfilled' ? r.value.fetched : []));
    expect(new Set(fetched).size).toBe(fetched.length);
  });

  it('a call claimed by another job is not asked for; the job is told to come back', async () => {
    const to = new Date();
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    const calls = found.calls.slice(20, 23).map(callRefFrom);
    const held = calls[0]!.callId;
    expect(await fleet.services.transcripts.claim(fleet.accountId, [held], 30_000)).toEqual([held]);
    fleet.sandbox.resetStats();
    const err = await fetchTranscripts(fleet.services, fleet.accountId, calls).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
    expect((await fleet.services.transcripts.stored(fleet.accountId, calls.map((c) => c.callId))).size).toBe(2);
    await fleet.services.transcripts.release(fleet.accountId, [held]);
    const done = await fetchTranscripts(fleet.services, fleet.accountId, calls);
    expect(done.fetched).toEqual([held]);
    expect(fleet.sandbox.stats().requestsByPath['/proxy/calls_transcript']).toBe(2);
  });
});
