/**
 * Missing scopes: a 403 carries Truto's `truto_error_insight.forbidden_error` naming the scope;
 * a tool can be listed in `/tools` yet answer that 403, either because the profile lists unscoped
 * tools or because the live token lost a scope after connecting (`revokeScope`), which is the
 * "account whose transcript tool answers 403" case of issue 10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTruto, type TrutoHttp } from './truto-http.ts';

const TRANSCRIPT_SCOPE = 'api:calls:read:transcript';

interface Forbidden {
  statusCode: number;
  message: string;
  truto_is_remote_error: boolean;
  raw_response: { errors: string[] };
  truto_error_insight: { forbidden_error: { description: string; value: { missing_scopes: string[] } } };
}

let full: TrutoHttp;
let unscoped: TrutoHttp;
let restricted: string;

beforeAll(async () => {
  [full, unscoped] = await Promise.all([startTruto(), startTruto({ truto: { profile: 'seed', listUnscopedTools: true } })]);
  restricted = full.sb.world.accountIdOf('restricted');
});

afterAll(async () => {
  await Promise.all([full?.sb.close(), unscoped?.sb.close()]);
});

function expectForbidden(r: { status: number; body: Forbidden }, scope: string): void {
  expect(r.status).toBe(403);
  expect(r.body).toMatchObject({ statusCode: 403, truto_is_remote_error: true, message: expect.any(String) });
  expect(r.body.truto_error_insight.forbidden_error.value.missing_scopes).toEqual([scope]);
  expect(r.body.truto_error_insight.forbidden_error.description).toContain(scope);
  expect(r.body).not.toHaveProperty('forbidden_error');
  expect(r.body.raw_response.errors[0]).toContain(scope);
}

describe('403 for a missing scope', () => {
  it('names the scope under truto_error_insight.forbidden_error', async () => {
    const r = await full.post<Forbidden>(`/proxy/calls_transcript?integrated_account_id=${restricted}`, { filter: {} });
    expectForbidden(r, TRANSCRIPT_SCOPE);
  });

  it('by default hides the tools a scope is missing for', async () => {
    const names = (await full.tools(restricted)).map((t) => t.name);
    expect(names).not.toContain('create_a_gong_calls_transcript');
  });
});

describe('listUnscopedTools', () => {
  it("lists the restricted account's transcript and task-update tools, which then answer 403", async () => {
    const account = unscoped.sb.world.accountIdOf('restricted');
    const names = (await unscoped.tools(account)).map((t) => t.name);
    expect(names).toContain('create_a_gong_calls_transcript');
    expect(names).toContain('update_a_gong_task_by_id');
    const ids = unscoped.sb.world.account(account)!.calls.slice(0, 1).map((c) => c.id);
    const transcript = await unscoped.post<Forbidden>(`/proxy/calls_transcript?integrated_account_id=${account}`, { call_ids: ids });
    expectForbidden(transcript, TRANSCRIPT_SCOPE);
    const task = unscoped.sb.world.account(account)!.tasks[0]!;
    const update = await unscoped.patch<Forbidden>(`/proxy/tasks/${task.id}?integrated_account_id=${account}`, { user_id: task.userId, status: 'DONE' });
    expectForbidden(update, 'api:tasks:write');
  });
});

describe('a scope revoked after connecting', () => {
  it('keeps the tool listed and the connect-time scopes shown, while Gong answers 403', async () => {
    const h = await startTruto({ callsPerAccount: 8 });
    try {
      const ids = h.sb.world.account(h.dealsId)!.calls.slice(0, 1).map((c) => c.id);
      const path = `/proxy/calls_transcript?integrated_account_id=${h.dealsId}`;
      expect((await h.post(path, { filter: { callIds: ids } })).status).toBe(200);

      const res = await fetch(`${h.sb.url}/_sandbox/accounts/${h.dealsId}/revoke-scope`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: TRANSCRIPT_SCOPE }),
      });
      expect(res.status).toBe(200);

      expectForbidden(await h.post<Forbidden>(path, { filter: { callIds: ids } }), TRANSCRIPT_SCOPE);
      expect((await h.tools(h.dealsId)).map((t) => t.name)).toContain('create_a_gong_calls_transcript');
      const account = await h.get<{ context: { scope: string } }>(`/integrated-account/${h.dealsId}`);
      expect(account.body.context.scope.split(' ')).toContain(TRANSCRIPT_SCOPE);
      // Other tools are untouched.
      expect((await h.get(`/proxy/users?integrated_account_id=${h.dealsId}`)).status).toBe(200);
    } finally {
      await h.sb.close();
    }
  });

  it('refuses a bad revoke request', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${full.sb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/_sandbox/accounts/nope/revoke-scope', { scope: TRANSCRIPT_SCOPE })).status).toBe(404);
    expect((await post(`/_sandbox/accounts/${full.dealsId}/revoke-scope`, {})).status).toBe(400);
  });
});
