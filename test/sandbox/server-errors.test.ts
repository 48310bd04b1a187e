/**
 * The sandbox's front door under bad input: every refusal is a Truto envelope with the right
 * status, and the server keeps answering afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

let sb: Sandbox;
let auth: Record<string, string>;
let dealsId: string;

beforeAll(async () => {
  sb = await startSandbox({ callsPerAccount: 24 });
  auth = { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` };
  dealsId = sb.world.accounts[0]!.id;
});

afterAll(async () => {
  await sb?.close();
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(sb.url + path, init);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers };
}

function expectEnvelope(body: Record<string, unknown>, status: number): void {
  expect(body.statusCode).toBe(status);
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
}

describe('auth', () => {
  it('refuses a missing token with 401', async () => {
    const r = await call(`/proxy/calls?integrated_account_id=${dealsId}`);
    expect(r.status).toBe(401);
    expectEnvelope(r.body, 401);
    expect(r.body.truto_is_remote_error).toBeUndefined();
  });

  it('refuses a wrong token with 401, without echoing it', async () => {
    const r = await call('/integrated-account', { headers: { authorization: 'Bearer not-the-token-xyz' } });
    expect(r.status).toBe(401);
    expectEnvelope(r.body, 401);
    expect(JSON.stringify(r.body)).not.toContain('not-the-token-xyz');
  });

  it('refuses a non-Bearer scheme', async () => {
    const r = await call('/integrated-account', { headers: { authorization: `Basic ${sb.env.TRUTO_API_KEY}` } });
    expect(r.status).toBe(401);
  });
});

describe('proxy validation', () => {
  it('names integrated_account_id when it is missing', async () => {
    const r = await call('/proxy/calls', { headers: auth });
    expect(r.status).toBe(400);
    expectEnvelope(r.body, 400);
    expect(r.body.message).toContain('integrated_account_id');
  });

  it('answers 404 for an unknown account', async () => {
    const r = await call('/proxy/calls?integrated_account_id=00000000-0000-0000-0000-000000000000', { headers: auth });
    expect(r.status).toBe(404);
    expectEnvelope(r.body, 404);
  });

  it('answers 404 for an unknown resource and an unknown method', async () => {
    const resource = await call(`/proxy/meetings_of_doom?integrated_account_id=${dealsId}`, { headers: auth });
    expect(resource.status).toBe(404);
    expectEnvelope(resource.body, 404);
    const method = await call(`/proxy/calls/frobnicate?integrated_account_id=${dealsId}`, { method: 'POST', headers: auth });
    expect(method.status).toBe(404);
    const del = await call(`/proxy/calls/123?integrated_account_id=${dealsId}`, { method: 'DELETE', headers: auth });
    expect(del.status).toBe(404);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const r = await call(`/proxy/calls_transcript?integrated_account_id=${dealsId}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"filter": {',
    });
    expect(r.status).toBe(400);
    expectEnvelope(r.body, 400);
  });

  it('answers 400 for a broken multipart body', async () => {
    const r = await call(`/proxy/crm_entities?integrated_account_id=${dealsId}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not multipart at all',
    });
    expect(r.status).toBe(400);
    expectEnvelope(r.body, 400);
  });

  it("forwards Gong's own validation errors as remote errors", async () => {
    const r = await call(`/proxy/calls_transcript?integrated_account_id=${dealsId}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { callIds: [] } }),
    });
    expect(r.status).toBe(400);
    expect(r.body.truto_is_remote_error).toBe(true);
    expect(r.body.message).toContain('callIds');
    expect((r.body.raw_response as { errors: string[] }).errors[0]).toBe(r.body.message);
  });

  it('answers unknown routes with a Truto 404 and rejects invalid limits', async () => {
    const r = await call('/no/such/route', { headers: auth });
    expect(r.status).toBe(404);
    expectEnvelope(r.body, 404);
    const bad = await call(`/proxy/calls?integrated_account_id=${dealsId}&limit=-3`, { headers: auth });
    expect(bad.status).toBe(400);
    const cursor = await call(`/proxy/calls?integrated_account_id=${dealsId}&next_cursor=%%%garbage`, { headers: auth });
    expect(cursor.status).toBe(400);
  });
});

describe('admin routes', () => {
  it('validates fault options and adds calls to an account', async () => {
    const bad = await call('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
    expectEnvelope(bad.body, 400);
    const added = await call(`/_sandbox/accounts/${dealsId}/calls`, { method: 'POST', body: JSON.stringify({ count: 2 }) });
    expect(added.status).toBe(200);
    expect(added.body.callIds).toHaveLength(2);
    const unknown = await call('/_sandbox/accounts/nope/calls', { method: 'POST', body: JSON.stringify({ count: 2 }) });
    expect(unknown.status).toBe(404);
  });

  it('stays up after all of the above', async () => {
    const r = await call('/_sandbox/health');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    const stats = await call('/_sandbox/stats');
    expect(stats.status).toBe(200);
    expect(typeof stats.body.proxyRequests).toBe('number');
  });
});

describe('LLM mount', () => {
  it('serves /v1/models and answers bad JSON in OpenAI shape', async () => {
    const headers = { authorization: `Bearer ${sb.env.OPENAI_API_KEY}` };
    const models = await call('/v1/models', { headers });
    expect(models.status).toBe(200);
    expect((models.body.data as Array<{ id: string }>)[0]?.id).toBe(sb.env.OPENAI_MODEL);
    const bad = await call('/v1/chat/completions', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{oops' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeTypeOf('object');
    // The model takes its own key, not the Truto token.
    const noKey = await call('/v1/models');
    expect(noKey.status).toBe(401);
  });
});
