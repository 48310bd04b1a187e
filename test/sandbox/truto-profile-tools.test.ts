/**
 * `/tools` and routing per Truto profile: the default stays today's `full` set; `seed` lists only
 * the seed article's 11 tools plus a description-less request-status `get` tool that appears only
 * with `has_description=false`; tools a profile lacks are Truto 404s on the proxy too; and the
 * seed's calls list answers Gong's spec shape (CallBasicData: no parties, no CRM context).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_PRESETS, SEED_TOOL_NAMES, startSandbox } from '../../src/sandbox/index.ts';
import { daysAgo, startTruto, type TrutoHttp } from './truto-http.ts';

const FULL_ONLY = [
  'create_a_gong_calls_extensive', 'list_all_gong_workspaces', 'list_all_gong_crm_integrations',
  'list_all_gong_crm_request_status', 'create_a_gong_users_extensive', 'get_single_gong_call_by_id',
];
const HIDDEN = 'get_single_gong_crm_request_status_by_id';

let full: TrutoHttp;
let seed: TrutoHttp;
let seedRaw: TrutoHttp;

beforeAll(async () => {
  [full, seed, seedRaw] = await Promise.all([
    startTruto(),
    startTruto({ truto: { profile: 'seed' } }),
    startTruto({ truto: { profile: 'seed-raw' } }),
  ]);
});

afterAll(async () => {
  await Promise.all([full?.sb.close(), seed?.sb.close(), seedRaw?.sb.close()]);
});

describe('default profile', () => {
  it('is the full preset, listing every tool and no seed-only one', async () => {
    expect(full.sb.profile).toEqual(PROFILE_PRESETS.full);
    const names = (await full.tools(full.dealsId)).map((t) => t.name);
    for (const name of [...SEED_TOOL_NAMES, ...FULL_ONLY]) expect(names).toContain(name);
    // Every full tool has a description, so asking for the hidden ones adds nothing.
    const all = (await full.tools(full.dealsId, '?has_description=false')).map((t) => t.name);
    expect(all.sort()).toEqual([...names].sort());
    expect(all).not.toContain(HIDDEN);
  });
});

describe('seed profile', () => {
  it("lists exactly the seed article's 11 tools by default", async () => {
    const tools = await seed.tools(seed.dealsId);
    expect(tools.map((t) => t.name).sort()).toEqual([...SEED_TOOL_NAMES].sort());
    for (const t of tools) expect(t.description).toEqual(expect.any(String));
  });

  it('shows the request-status get tool only with has_description=false, without a description', async () => {
    const all = await seed.tools(seed.dealsId, '?has_description=false');
    expect(all).toHaveLength(SEED_TOOL_NAMES.length + 1);
    const status = all.find((t) => t.name === HIDDEN)!;
    expect(status).toMatchObject({ resource: 'crm_request_status', method: 'get', description: null });
    // Snake keys in the `seed` preset, camel in `seed-raw`; the id is the upload's clientRequestId.
    expect(Object.keys(status.query_schema.properties).sort()).toEqual(['id', 'integration_id']);
    expect(status.required.sort()).toEqual(['id', 'integration_id']);
    const raw = (await seedRaw.tools(seedRaw.dealsId, '?has_description=false')).find((t) => t.name === HIDDEN)!;
    expect(raw.required.sort()).toEqual(['id', 'integrationId']);
    // Filters still apply to hidden tools.
    const gets = await seed.tools(seed.dealsId, '?has_description=false&methods=get');
    expect(gets.map((t) => t.name)).toEqual([HIDDEN]);
  });

  it("answers Truto's 404 for resources and methods the profile lacks", async () => {
    const ia = `integrated_account_id=${seed.dealsId}`;
    const missing = [
      await seed.post(`/proxy/calls_extensive?${ia}`, { from_date_time: daysAgo(30) }),
      await seed.get(`/proxy/workspaces?${ia}`),
      await seed.get(`/proxy/crm_integrations?${ia}`),
      await seed.post(`/proxy/users_extensive?${ia}`, {}),
      // The status resource exists, but only as `get` by id: the full profile's list is absent.
      await seed.get(`/proxy/crm_request_status?${ia}&integration_id=1&client_request_id=x`),
      await seed.get(`/proxy/calls/123?${ia}`),
    ];
    for (const r of missing) {
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ statusCode: 404 });
      expect(r.body.truto_is_remote_error).toBeUndefined();
    }
    expect(seed.sb.stats().proxyRequests).toBe(0);
  });

  it("keeps a restricted account's scope filter", async () => {
    const restricted = seed.sb.world.accountIdOf('restricted');
    const names = (await seed.tools(restricted)).map((t) => t.name);
    expect(names).not.toContain('create_a_gong_calls_transcript');
    expect(names).not.toContain('update_a_gong_task_by_id');
    expect(names).toContain('list_all_gong_calls');
  });

  it("answers the calls list in Gong's CallBasicData shape: workspaceId, no parties, no CRM context", async () => {
    const tool = (await seed.tools(seed.dealsId)).find((t) => t.name === 'list_all_gong_calls')!;
    // Gong's spec marks both required on GET /v2/calls; the seed schema says so.
    expect(tool.required.sort()).toEqual(['from_date_time', 'to_date_time']);
    const r = await seed.get<{ result: Array<Record<string, unknown>> }>(
      `/proxy/calls?integrated_account_id=${seed.dealsId}&from_date_time=${daysAgo(30)}&to_date_time=${daysAgo(0)}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.result.length).toBeGreaterThan(10);
    const workspaceId = seed.sb.world.account(seed.dealsId)!.workspaceId;
    for (const call of r.body.result) {
      expect(call).toMatchObject({ id: expect.any(String), workspaceId, primaryUserId: expect.any(String), started: expect.any(String) });
      expect(call).not.toHaveProperty('parties');
      expect(call).not.toHaveProperty('context');
      expect(call).not.toHaveProperty('metaData');
    }
  });
});

describe('profile options', () => {
  it('lets explicit settings override a preset', async () => {
    const sb = await startSandbox({ callsPerAccount: 8, truto: { profile: 'seed', bodies: 'array', argStyle: 'camel' } });
    try {
      expect(sb.profile).toEqual({ ...PROFILE_PRESETS.seed, bodies: 'array', argStyle: 'camel' });
      const r = await fetch(`${sb.url}/_sandbox/profile`);
      expect(((await r.json()) as { profile: unknown }).profile).toEqual(sb.profile);
    } finally {
      await sb.close();
    }
  });

  it('refuses an unknown preset or value', async () => {
    await expect(startSandbox({ truto: { profile: 'nope' as never } })).rejects.toThrow(/profile must be one of full, seed/);
    await expect(startSandbox({ truto: { bodies: 'xml' as never } })).rejects.toThrow(/bodies must be one of gong, unwrapped, array/);
  });
});
