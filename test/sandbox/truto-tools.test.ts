/** Truto's platform routes: the integrated-account listing and `/tools` with its filters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

interface Tool {
  name: string;
  description: string;
  resource: string;
  method: string;
  query_schema: { type: string; properties: Record<string, unknown> };
  body_schema: { type: string; properties: Record<string, unknown> };
  required: string[];
  tags: string[];
}

let sb: Sandbox;
let auth: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox({ extraAccounts: 1, callsPerAccount: 16 });
  auth = { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` };
});

afterAll(async () => {
  await sb?.close();
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(sb.url + path, { headers: auth });
  return { status: res.status, body: (await res.json()) as T };
}

const tools = async (accountId: string, query = ''): Promise<Tool[]> =>
  (await get<{ result: Tool[] }>(`/integrated-account/${accountId}/tools${query}`)).body.result;

describe('GET /integrated-account', () => {
  it('lists every account in the admin-list shape', async () => {
    const r = await get<{ result: Array<Record<string, unknown>>; next_cursor: unknown; limit: number }>('/integrated-account');
    expect(r.status).toBe(200);
    expect(r.body.next_cursor).toBeNull();
    expect(typeof r.body.limit).toBe('number');
    expect(r.body.result.map((a) => a.id)).toEqual(sb.world.accounts.map((a) => a.id));
    for (const a of r.body.result) {
      expect(a.integration).toMatchObject({ name: 'gong' });
      expect(a.status).toBe('active');
      expect(typeof a.tenant_id).toBe('string');
      expect(typeof a.created_at).toBe('string');
      expect(a.context).toBeTypeOf('object');
    }
  });

  it('pages with limit and next_cursor', async () => {
    const first = await get<{ result: Array<{ id: string }>; next_cursor: string | null }>('/integrated-account?limit=2');
    expect(first.body.result).toHaveLength(2);
    expect(first.body.next_cursor).toBeTypeOf('string');
    const second = await get<{ result: Array<{ id: string }>; next_cursor: string | null }>(
      `/integrated-account?limit=2&next_cursor=${first.body.next_cursor}`,
    );
    expect([...first.body.result, ...second.body.result].map((a) => a.id)).toEqual(sb.world.accounts.slice(0, 4).map((a) => a.id));
  });
});

describe('GET /integrated-account/:id/tools', () => {
  it('returns well-formed tools, including the seed article ones', async () => {
    const all = await tools(sb.world.accounts[0]!.id);
    const names = all.map((t) => t.name);
    for (const name of [
      'list_all_gong_calls',
      'get_single_gong_call_by_id',
      'create_a_gong_calls_extensive',
      'create_a_gong_calls_transcript',
      'list_all_gong_users',
      'create_a_gong_activity_aggregate_by_period',
      'list_all_gong_coachings',
      'list_all_gong_activity_scorecards',
      'list_all_gong_entities_get_briefs',
      'create_a_gong_task',
      'update_a_gong_task_by_id',
      'create_a_gong_crm_entity',
      'list_all_gong_crm_entities',
      'list_all_gong_crm_request_status',
      'list_all_gong_crm_integrations',
      'list_all_gong_workspaces',
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const t of all) {
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.query_schema.type).toBe('object');
      expect(t.body_schema.type).toBe('object');
      expect(Array.isArray(t.required)).toBe(true);
      expect(t.tags.length).toBeGreaterThan(0);
      // Every required key is declared in one of the schemas, so a toolset can fill it in.
      for (const key of t.required) expect(key in t.query_schema.properties || key in t.body_schema.properties).toBe(true);
      if (t.method === 'get' || t.method === 'update') expect(t.query_schema.properties).toHaveProperty('id');
    }
    const coaching = all.find((t) => t.name === 'list_all_gong_coachings')!;
    expect(Object.keys(coaching.query_schema.properties)).toEqual(expect.arrayContaining(['workspace-id', 'manager-id', 'from', 'to']));
  });

  it('filters by methods (read = list + get) and tags', async () => {
    const id = sb.world.accounts[0]!.id;
    const read = await tools(id, '?methods=read');
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((t) => t.method === 'list' || t.method === 'get')).toBe(true);
    const calls = await tools(id, '?tags=calls');
    expect(calls.map((t) => t.resource).sort()).toEqual(['calls', 'calls', 'calls_extensive', 'calls_transcript']);
    const both = await tools(id, '?methods=list%2Cget&tags=calls');
    expect(both.map((t) => t.name).sort()).toEqual(['get_single_gong_call_by_id', 'list_all_gong_calls']);
    const repeated = await tools(id, '?methods[]=create&methods[]=update&tags[]=tasks');
    expect(repeated.map((t) => t.name).sort()).toEqual(['create_a_gong_task', 'update_a_gong_task_by_id']);
    const write = await tools(id, '?methods=write');
    expect(write.every((t) => ['create', 'update', 'delete'].includes(t.method))).toBe(true);
  });

  it("shows a restricted account only the tools its scopes allow", async () => {
    const restricted = sb.world.accounts.find((a) => !a.scopes.includes('api:calls:read:transcript'))!;
    expect(restricted).toBeDefined();
    const names = (await tools(restricted.id)).map((t) => t.name);
    expect(names).not.toContain('create_a_gong_calls_transcript');
    expect(names).not.toContain('update_a_gong_task_by_id');
    expect(names).toContain('list_all_gong_calls');
    expect(names).toContain('create_a_gong_task');
  });

  it('answers 404 for an unknown account', async () => {
    const r = await get<{ statusCode: number }>('/integrated-account/00000000-0000-0000-0000-000000000000/tools');
    expect(r.status).toBe(404);
    expect(r.body.statusCode).toBe(404);
  });
});
