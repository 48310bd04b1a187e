/** Fault injection on the proxy and LLM routes: 5xx, 429 storms, timeouts, latency, reproducibility. */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sandbox(opts: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  // Limits out of the way: these tests are about faults.
  const sb = await startSandbox({ callsPerAccount: 16, gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, ...opts });
  open.push(sb);
  return sb;
}

async function proxy(sb: Sandbox, init: RequestInit = {}) {
  const id = sb.world.accounts[0]!.id;
  const res = await fetch(`${sb.url}/proxy/workspaces?integrated_account_id=${id}`, {
    ...init,
    headers: { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function chat(sb: Sandbox) {
  const res = await fetch(`${sb.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sb.env.OPENAI_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: sb.env.OPENAI_MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('5xx faults', () => {
  it('answers proxy calls with 500/502/503 Truto envelopes, and scopes them', async () => {
    const sb = await sandbox({ faults: { errorRate5xx: 1, scope: 'truto' } });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const r = await proxy(sb);
      expect([500, 502, 503]).toContain(r.status);
      expect(r.body.statusCode).toBe(r.status);
      expect(r.body.message).toBeTypeOf('string');
      statuses.add(r.status);
    }
    expect(statuses.size).toBeGreaterThan(1);
    // The model is out of scope.
    expect((await chat(sb)).status).toBe(200);
    expect(sb.stats().faults.truto.errors5xx).toBe(12);
    expect(sb.stats().accounts[sb.world.accounts[0]!.id]!.forwardedMs).toHaveLength(0);
  });

  it('answers the model in OpenAI shape when scoped to llm, set over HTTP', async () => {
    const sb = await sandbox();
    const set = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ errorRate5xx: 1, scope: 'llm' }) });
    expect(set.status).toBe(200);
    const r = await chat(sb);
    expect([500, 502, 503]).toContain(r.status);
    expect(r.body.error).toMatchObject({ type: 'server_error' });
    expect((await proxy(sb)).status).toBe(200);
  });

  it('is reproducible for a seed', async () => {
    const sb = await sandbox();
    const run = async () => {
      sb.setFaults({ errorRate5xx: 0.5, seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await proxy(sb)).status);
      return out;
    };
    const first = await run();
    expect(first).toContain(200);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(await run()).toEqual(first);
  });
});

describe('429 storms', () => {
  it('refuses everything during a storm with a reset, then recovers', async () => {
    let now = Date.UTC(2030, 0, 1, 12);
    const start = now;
    const sb = await sandbox({ clock: () => now, faults: { burst429: { everySeconds: 5, durationMs: 2000 } } });
    now = start + 1000;
    expect((await proxy(sb)).status).toBe(200);
    now = start + 5200;
    const r = await proxy(sb);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2'); // 1800 ms of storm left
    expect(r.headers.get('ratelimit-remaining')).toBe('0');
    expect(r.headers.get('ratelimit-reset')).toBe('2');
    expect(r.body.truto_is_remote_error).toBe(true);
    const llm = await chat(sb);
    expect(llm.status).toBe(429);
    expect(llm.headers.get('retry-after-ms')).toBe('1800');
    now = start + 7100;
    expect((await proxy(sb)).status).toBe(200);
    expect(sb.stats().accounts[sb.world.accounts[0]!.id]!.rateLimitedBy.fault).toBe(1);
  });
});

describe('timeouts and latency', () => {
  it('holds a request for timeoutMs, then answers 504', async () => {
    const sb = await sandbox({ faults: { timeoutRate: 1, timeoutMs: 300, scope: 'truto' } });
    const t0 = performance.now();
    const r = await proxy(sb);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(504);
    expect(r.body.statusCode).toBe(504);
  });

  it('lets a client give up on a held request, and stays up', async () => {
    const sb = await sandbox({ faults: { timeoutRate: 1, scope: 'truto' } }); // default 35 s hold
    const gaveUp = await proxy(sb, { signal: AbortSignal.timeout(150) }).catch((e: unknown) => e);
    expect(gaveUp).toBeInstanceOf(Error);
    sb.setFaults({});
    expect((await proxy(sb)).status).toBe(200);
    expect(sb.stats().faults.truto.timeouts).toBe(1);
  });

  it('adds latency', async () => {
    const sb = await sandbox({ faults: { latencyMs: 200 } });
    const t0 = performance.now();
    expect((await proxy(sb)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('closes promptly even with a request held', async () => {
    const sb = await sandbox({ faults: { timeoutRate: 1, scope: 'truto' } });
    const pending = proxy(sb).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = performance.now();
    await sb.close();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
