/**
 * `retryRead`: the producers' reads retry what a job would retry (5xx, timeouts, connection
 * failures, 429s after their reset), under the one retry policy, a bounded number of times, and
 * throw anything else at once. Sleeps are recorded, not slept.
 */
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/shared/platform/index.ts';
import {
  RateLimitWaitError,
  ReadRetriesExhaustedError,
  TrutoConnectionError,
  TrutoScopeError,
  TrutoTimeoutError,
  makeTrutoError,
  loadCapabilitiesRetried,
  retryRead,
  type TrutoTool,
} from '../../src/shared/upstream/index.ts';

const tool = 'create_a_gong_calls_extensive';
const http = (status: number, headers: Record<string, string> = {}) =>
  makeTrutoError(status, headers, { statusCode: status, message: `upstream said ${status}` }, { tool, nowMs: 0 });

/** A read that fails with each error in turn, then answers 'ok'. */
function flaky(errors: Error[]) {
  let calls = 0;
  const read = async () => {
    const err = errors[calls++];
    if (err) throw err;
    return 'ok';
  };
  return { read, calls: () => calls };
}

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('retryRead', () => {
  it('retries 5xx, timeouts and connection failures with backoff from the retry policy', async () => {
    const r = flaky([http(502), new TrutoTimeoutError(tool, 1_000), new TrutoConnectionError(tool, 'ECONNRESET'), http(503)]);
    const rec = recorder();
    await expect(retryRead('calls discovery', r.read, { sleep: rec.sleep, random: () => 0 })).resolves.toBe('ok');
    expect(r.calls()).toBe(5);
    // Equal jitter with random 0: half of base·2^(n-1).
    expect(rec.waits).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it("waits a 429's reset (capped), and a governor wait, before reading again", async () => {
    const r = flaky([http(429, { 'ratelimit-reset': '3' }), http(429, { 'retry-after': '900' }), new RateLimitWaitError('acc', 'rate', 1_700)]);
    const rec = recorder();
    await expect(retryRead('sweep roster', r.read, { sleep: rec.sleep, maxWaitMs: 60_000 })).resolves.toBe('ok');
    expect(rec.waits).toEqual([3_000, 60_000, 1_700]);
  });

  it('throws what retrying cannot fix at once: a 403, a 404, bad input, a bug', async () => {
    for (const err of [http(403), http(404), new BadInputError('no such deal'), new TypeError('x is undefined')]) {
      const r = flaky([err]);
      const rec = recorder();
      await expect(retryRead('deal lookup', r.read, { sleep: rec.sleep })).rejects.toBe(err);
      expect(r.calls()).toBe(1);
      expect(rec.waits).toEqual([]);
    }
    expect(http(403)).toBeInstanceOf(TrutoScopeError);
  });

  it('gives up after its attempts, naming the read and the last failure', async () => {
    const r = flaky(Array.from({ length: 10 }, () => http(502)));
    const rec = recorder();
    const err = await retryRead('calls discovery', r.read, { sleep: rec.sleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadRetriesExhaustedError);
    expect(r.calls()).toBe(5);
    expect(rec.waits).toHaveLength(4);
    expect((err as Error).message).toBe(`calls discovery failed after 5 attempts: Truto 502 on ${tool} (upstream said 502)`);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('honours a smaller attempt budget and tells onRetry about each wait', async () => {
    const r = flaky([http(500), http(500), http(500)]);
    const seen: string[] = [];
    const err = await retryRead('tasks read', r.read, {
      attempts: 2,
      sleep: async () => {},
      onRetry: (i) => seen.push(`${i.label}#${i.attempt}: ${i.error.message}`),
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^tasks read failed after 2 attempts: Truto 500/);
    expect(seen).toEqual([`tasks read#1: Truto 500 on ${tool} (upstream said 500)`]);
  });

  it('capability resolution before enqueueing retries the /tools read (loadCapabilitiesRetried)', async () => {
    const listed: TrutoTool[] = [{
      name: 'create_a_gong_calls_transcript',
      resource: 'calls_transcript',
      method: 'create',
      body_schema: { type: 'object', properties: { filter: { type: 'object', properties: { callIds: { type: 'array', items: { type: 'string' } } } } } },
    }];
    const r = flaky([http(502), new TrutoTimeoutError('list tools', 1_000)]);
    const truto = {
      listTools: async () => (await r.read(), listed),
      callTool: () => Promise.reject(new Error('no requests expected')),
      iterateTool: () => { throw new Error('no requests expected'); },
    };
    const rec = recorder();
    const caps = await loadCapabilitiesRetried(truto, 'acct-1', { sleep: rec.sleep });
    expect(caps.has('transcripts')).toBe(true);
    expect(r.calls()).toBe(3);
    expect(rec.waits).toHaveLength(2);
    const down = flaky(Array.from({ length: 5 }, () => http(503)));
    const err = await loadCapabilitiesRetried({ ...truto, listTools: async () => (await down.read(), listed) }, 'acct-1', { sleep: async () => {} }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^tool list of acct-1 failed after 5 attempts: Truto 503/);
  });
});
