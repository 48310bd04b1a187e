/**
 * `rateHeaders`: `ietf` (default) puts Truto's normalised `ratelimit-*` headers on every proxy
 * answer; `none` plays the account where Gong supplies no budget numbers, so Truto has nothing to
 * normalise: successes carry no `ratelimit-*`, and 429s (Gong's, Truto's own tiers, forced) carry
 * `retry-after` only. The limits themselves are enforced the same either way.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/index.ts';
import { startTruto, type TrutoHttp } from './truto-http.ts';

const open: TrutoHttp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.sb.close()));
});

async function truto(opts: SandboxOptions): Promise<TrutoHttp> {
  const h = await startTruto({ callsPerAccount: 8, ...opts });
  open.push(h);
  return h;
}

const rateHeaders = (headers: Headers): string[] => [...headers.keys()].filter((k) => k.startsWith('ratelimit-')).sort();
const usersPath = (h: TrutoHttp): string => `/proxy/users?integrated_account_id=${h.dealsId}`;

describe('rateHeaders: ietf', () => {
  it("sends Truto's window on successes and every header on Gong's 429s", async () => {
    const h = await truto({ gongPerSecond: 3 });
    const replies = await Promise.all(Array.from({ length: 8 }, () => h.get(usersPath(h))));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3);
    expect(rateHeaders(ok[0]!.headers)).toEqual(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']);
    for (const r of refused) {
      expect(rateHeaders(r.headers)).toEqual(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('rateHeaders: none', () => {
  it("sends no ratelimit-* on successes or errors; Gong's 429s carry retry-after only", async () => {
    const h = await truto({ gongPerSecond: 3, truto: { rateHeaders: 'none' } });
    const replies = await Promise.all(Array.from({ length: 8 }, () => h.get(usersPath(h))));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const r of replies) expect(rateHeaders(r.headers)).toEqual([]);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatchObject({ statusCode: 429, truto_is_remote_error: true });
    }
    const missing = await h.get(`/proxy/nope?integrated_account_id=${h.dealsId}`);
    expect(missing.status).toBe(404);
    expect(rateHeaders(missing.headers)).toEqual([]);
    expect(h.sb.stats().accounts[h.dealsId]!.rateLimitedBy['gong-second']).toBe(5);
  });

  it("keeps retry-after: 10 alone on Truto's own per-account tier", async () => {
    const h = await truto({ trutoPerAccountPer10s: 2, truto: { profile: 'seed' } });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await h.get(usersPath(h)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
    const refused = replies[2]!;
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(rateHeaders(refused.headers)).toEqual([]);
    expect(refused.body.truto_is_remote_error).toBeUndefined();
  });

  it('counts down retry-after on a forced 429 without ratelimit-reset', async () => {
    const h = await truto({ truto: { rateHeaders: 'none' } });
    h.sb.force429(h.dealsId, 30, 1);
    const r = await h.get(usersPath(h));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(rateHeaders(r.headers)).toEqual([]);
    expect((await h.get(usersPath(h))).status).toBe(200);
  });
});
