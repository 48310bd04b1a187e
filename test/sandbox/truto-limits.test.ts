/**
 * Rate limits on proxy calls: Gong's strict 3-per-sliding-second and daily quota per company,
 * Truto's 50/10 s per account and per-token tiers, with the headers each 429 carries.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { maxInAnyWindow, startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { RateLimits } from '../../src/sandbox/limits/index.ts';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sandbox(opts: Parameters<typeof startSandbox>[0]): Promise<Sandbox> {
  const sb = await startSandbox({ callsPerAccount: 16, ...opts });
  open.push(sb);
  return sb;
}

async function hit(sb: Sandbox, accountId: string, token = sb.env.TRUTO_API_KEY) {
  const res = await fetch(`${sb.url}/proxy/workspaces?integrated_account_id=${accountId}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("Gong's per-company limit", () => {
  it('accepts only 3 of a concurrent burst of 20; the rest get 429 with every header', async () => {
    const sb = await sandbox({});
    const [a, b] = sb.world.accounts;
    const replies = await Promise.all(Array.from({ length: 20 }, () => hit(sb, a!.id)));
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(17);
    for (const r of refused) {
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expect(r.headers.get('ratelimit-limit')).toBe('3;w=1');
      expect(r.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatchObject({ statusCode: 429, truto_is_remote_error: true });
      expect(r.body.raw_response).toHaveProperty('errors');
    }
    // Successes carry Truto's per-account window.
    expect(ok[0]!.headers.get('ratelimit-limit')).toBe('50;w=10');

    // Another company has its own budget.
    const other = await Promise.all(Array.from({ length: 3 }, () => hit(sb, b!.id)));
    expect(other.map((r) => r.status)).toEqual([200, 200, 200]);

    const stats = sb.stats();
    expect(stats.accounts[a!.id]!.arrivalsMs).toHaveLength(20);
    expect(stats.accounts[a!.id]!.forwardedMs).toHaveLength(3);
    expect(stats.accounts[a!.id]!.rateLimited).toBe(17);
    expect(stats.accounts[a!.id]!.rateLimitedBy['gong-second']).toBe(17);
    expect(stats.requestsByPath['/proxy/workspaces']).toBe(23);
  });

  it('is a strict sliding window: never more than 3 in any 1000 ms', async () => {
    let now = Date.UTC(2030, 0, 1, 12);
    const sb = await sandbox({ clock: () => now });
    const id = sb.world.accounts[0]!.id;
    const at = async (ms: number) => {
      now = Date.UTC(2030, 0, 1, 12) + ms;
      return hit(sb, id);
    };
    expect((await at(0)).status).toBe(200);
    expect((await at(300)).status).toBe(200);
    expect((await at(600)).status).toBe(200);
    const early = await at(900);
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('1'); // 100 ms, rounded up to a whole second
    expect((await at(1000)).status).toBe(200); // the request at 0 has left the window
    expect((await at(1100)).status).toBe(429); // 300, 600 and 1000 are still in it
    expect((await at(1300)).status).toBe(200);
    expect(maxInAnyWindow(sb.stats().accounts[id]!.forwardedMs, 1000)).toBe(3);
  });

  it('enforces the daily quota until the next UTC day; refused requests consume nothing', async () => {
    let now = Date.UTC(2030, 0, 1, 23, 59, 0);
    const sb = await sandbox({ clock: () => now, gongPerDay: 4 });
    const id = sb.world.accounts[0]!.id;
    for (let i = 0; i < 4; i++) {
      now += 1000;
      expect((await hit(sb, id)).status).toBe(200);
    }
    now += 1000;
    const refused = await hit(sb, id);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe('4;w=86400');
    expect(Number(refused.headers.get('retry-after'))).toBe(55); // 23:59:05 → midnight
    expect(refused.body.truto_is_remote_error).toBe(true);
    now = Date.UTC(2030, 0, 2, 0, 0, 1);
    expect((await hit(sb, id)).status).toBe(200);
  });
});

describe("Truto's own tiers", () => {
  it('refuses the 51st request in 10 s per account with Retry-After: 10 and no remote flag', async () => {
    let now = Date.UTC(2030, 0, 1, 12);
    const sb = await sandbox({ clock: () => now, gongPerSecond: 1000, trutoPerTokenPer10s: 60 });
    const [a, b] = sb.world.accounts;
    let lastRemaining = '';
    for (let i = 0; i < 50; i++) {
      now += 10;
      const r = await hit(sb, a!.id);
      expect(r.status).toBe(200);
      lastRemaining = r.headers.get('ratelimit-remaining') ?? '';
    }
    expect(lastRemaining).toBe('0');
    now += 10;
    const refused = await hit(sb, a!.id);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.headers.get('ratelimit-limit')).toBe('50;w=10');
    expect(refused.body.statusCode).toBe(429);
    expect(refused.body.truto_is_remote_error).toBeUndefined();
    expect(sb.stats().accounts[a!.id]!.forwardedMs).toHaveLength(50);

    // The token tier (60 here) is shared by every account.
    for (let i = 0; i < 10; i++) expect((await hit(sb, b!.id)).status).toBe(200);
    const tokenRefused = await hit(sb, b!.id);
    expect(tokenRefused.status).toBe(429);
    expect(tokenRefused.headers.get('retry-after')).toBe('10');
    expect(String(tokenRefused.body.message)).toContain('token');
    expect(sb.stats().accounts[b!.id]!.rateLimitedBy['truto-token']).toBe(1);

    // Ten seconds later both windows have room again.
    now += 10_000;
    expect((await hit(sb, a!.id)).status).toBe(200);
  });

  it('does not count /tools, admin or LLM routes', async () => {
    const sb = await sandbox({ gongPerSecond: 1 });
    const id = sb.world.accounts[0]!.id;
    const auth = { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` };
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${sb.url}/integrated-account/${id}/tools`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${sb.url}/_sandbox/health`)).status).toBe(200);
    }
    expect((await hit(sb, id)).status).toBe(200);
    expect(sb.stats().proxyRequests).toBe(1);
  });
});

describe('per-account Gong overrides', () => {
  it("uses an account's raised limits (SandboxAccountInfo.gongLimits)", () => {
    const limits = new RateLimits({}, (id) => (id === 'raised' ? { perSecond: 5, perDay: 2 } : undefined));
    const t = Date.UTC(2030, 0, 1);
    const raised = Array.from({ length: 6 }, (_, i) => limits.check('raised', 'tok', t + i).allowed);
    expect(raised).toEqual([true, true, false, false, false, false]); // the daily 2 binds first
    const fast = new RateLimits({ gongPerDay: 100 }, () => ({ perSecond: 5 }));
    const burst = Array.from({ length: 7 }, () => fast.check('any', 'tok', t));
    expect(burst.filter((d) => d.allowed)).toHaveLength(5);
    const refused = burst[6]!;
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.headers['ratelimit-limit']).toBe('5;w=1');
  });
});
