/**
 * Logical arguments → each tool's own schema keys, on the tool lists the sandbox's Truto profiles
 * publish (camel and snake keys, nested and flat filters, hyphenated coaching keys, a get-by-id
 * status tool), checked against the sandbox's own argument mapping: nothing sent is undeclared,
 * and every value lands where Gong expects it. Plus the errors: no home, required key unfilled.
 */
import { describe, expect, it } from 'vitest';
import { mapArgs } from '../../src/sandbox/truto/arg-style.ts';
import { resolveProfile, type ProfileName } from '../../src/sandbox/truto/profile.ts';
import { buildToolView, publicTool } from '../../src/sandbox/truto/tool-view.ts';
import {
  ArgumentHomeError,
  CAPABILITIES,
  CAPABILITY_IDS,
  TrutoToolSchema,
  buildProxyRequest,
  homeOf,
  resolveAll,
  trutoFile,
  wireArgs,
  type CapabilityId,
  type TrutoTool,
} from '../../src/shared/upstream/index.ts';

/** A value for every logical argument of every capability (dotted paths). */
const SAMPLE: Record<CapabilityId, Record<string, unknown>> = {
  calls: { fromDateTime: '2026-11-01T00:00:00Z', toDateTime: '2026-11-02T00:00:00Z', workspaceId: 'w1', cursor: 'c1' },
  'call-by-id': { id: '777' },
  'call-details': {
    'filter.fromDateTime': '2026-11-01T00:00:00Z', 'filter.toDateTime': '2026-11-02T00:00:00Z', 'filter.callIds': ['1', '2'],
    'filter.workspaceId': 'w1', 'contentSelector.context': 'Extended', 'contentSelector.exposedFields.parties': true, cursor: 'c1',
  },
  transcripts: { 'filter.callIds': ['1', '2'], 'filter.fromDateTime': '2026-11-01T00:00:00Z', 'filter.toDateTime': '2026-11-02T00:00:00Z', cursor: 'c1' },
  users: { cursor: 'c1' },
  'user-by-id': { id: '55' },
  'users-extensive': { 'filter.userIds': ['u1'], 'filter.createdFromDateTime': '2026-11-01T00:00:00Z', 'filter.createdToDateTime': '2026-11-02T00:00:00Z', cursor: 'c1' },
  activity: { 'filter.fromDate': '2026-11-01', 'filter.toDate': '2026-11-02', 'filter.userIds': ['u1'], aggregationPeriod: 'DAY', cursor: 'c1' },
  coaching: { 'workspace-id': 'w1', 'manager-id': 'm1', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
  scorecards: {
    'filter.callFromDate': '2026-11-01', 'filter.callToDate': '2026-11-02', 'filter.reviewFromDate': '2026-11-01',
    'filter.reviewToDate': '2026-11-02', 'filter.reviewedUserIds': ['u1'], 'filter.scorecardIds': ['s1'], cursor: 'c1',
  },
  tasks: { 'filter.userId': 'u1', 'filter.types': ['MANUAL'], 'filter.taskAction': ['CALL'], 'filter.status': ['OPEN'], 'filter.workspaceId': 'w1' },
  'task-update': { id: '9', userId: 'u1', status: 'DONE', dueDate: '2026-11-03T00:00:00Z', priority: 'High' },
  'crm-entities': { integrationId: 'i1', objectType: 'DEAL', objectsCrmIds: ['d1'] },
  'crm-upload': { integrationId: 'i1', objectType: 'DEAL', clientRequestId: 'gf-1', dataFile: trutoFile('a.ldjson', '{}\n') },
  'crm-status': { integrationId: 'i1', clientRequestId: 'gf-1' },
  'crm-integrations': {},
  brief: { workspaceId: 'w1', briefName: 'Deal Brief', crmEntityType: 'DEAL', crmEntityId: 'd1', timePeriod: 'LAST_30DAYS', fromDateTime: 'a', toDateTime: 'b' },
  workspaces: {},
};

const PROFILES: ProfileName[] = ['full', 'seed', 'seed-raw', 'seed-array'];

function profileTools(profile: ProfileName) {
  const view = buildToolView(resolveProfile({ profile }));
  return { view, tools: view.map((t) => TrutoToolSchema.parse(publicTool(t))) };
}

/** Whether `leaf: value` appears anywhere in the (Gong-side) request. */
function lands(obj: unknown, leaf: string, value: unknown): boolean {
  if (typeof obj !== 'object' || obj === null) return false;
  for (const [k, v] of Object.entries(obj)) {
    if (k === leaf && JSON.stringify(v) === JSON.stringify(value)) return true;
    if (lands(v, leaf, value)) return true;
  }
  return false;
}

describe('arguments from each tool schema, on every sandbox profile', () => {
  for (const profile of PROFILES) {
    it(`${profile}: every listed capability is usable, sends no undeclared key, and every value reaches Gong`, () => {
      const { view, tools } = profileTools(profile);
      const style = resolveProfile({ profile }).argStyle;
      const resolved = resolveAll(tools, 'ia');
      let checked = 0;
      for (const id of CAPABILITY_IDS) {
        const r = resolved.get(id)!;
        expect(r.status, `${profile} ${id}`).not.toBe('unusable');
        if (r.status !== 'present') continue;
        const { args, omitted } = wireArgs(r.tool, CAPABILITIES[id], SAMPLE[id]);
        const req = buildProxyRequest(r.tool, 'ia', args);
        expect(req.droppedKeys, `${profile} ${id}`).toEqual([]);
        // What the sandbox's Truto makes of it: no unknown key, each value at Gong's key.
        const pt = view.find((t) => t.name === r.tool.name)!;
        const { integrated_account_id: _ia, ...query } = req.query;
        const reserved = new Set([...pt.paging, ...(['get', 'update', 'delete'].includes(pt.method) ? ['id'] : [])]);
        const mapped = mapArgs(pt.args, style, { query: query as never, body: req.body }, reserved);
        expect(mapped.unknown, `${profile} ${id}`).toEqual([]);
        for (const [path, value] of Object.entries(SAMPLE[id])) {
          if (omitted.includes(path) || path === 'cursor' || path === 'dataFile') continue;
          const home = homeOf(r.tool, CAPABILITIES[id].args.find((a) => a.path === path)!);
          if (home?.where === 'path') {
            expect(req.path, `${profile} ${id} ${path}`).toContain(`/${String(value)}`);
            continue;
          }
          const leaf = path.split('.').pop()!;
          expect(lands({ ...mapped.query, ...(mapped.body as object) }, leaf, value), `${profile} ${id} ${path}`).toBe(true);
        }
        // Nothing the capability needs was left out.
        for (const path of omitted) expect(CAPABILITIES[id].args.find((a) => a.path === path)?.required, `${profile} ${id} ${path}`).toBeFalsy();
        checked += 1;
      }
      expect(checked).toBeGreaterThanOrEqual(profile === 'full' ? 18 : 11);
    });
  }

  it('finds homes exactly, then case-, underscore- and hyphen-insensitively, nested or flat', () => {
    const t = (props: Record<string, unknown>, where: 'body' | 'query' = 'body', method = 'create'): TrutoTool => ({
      name: 't', resource: 'r', method, [`${where}_schema`]: { type: 'object', properties: props },
    });
    const arg = (path: string, extra = {}) => ({ path, about: path, ...extra });
    expect(homeOf(t({ filter: { type: 'object', properties: { callIds: {} } } }), arg('filter.callIds'))).toEqual({ where: 'body', wire: ['filter', 'callIds'] });
    expect(homeOf(t({ call_ids: {} }), arg('filter.callIds'))).toEqual({ where: 'body', wire: ['call_ids'] });
    expect(homeOf(t({ filter_call_ids: {} }), arg('filter.callIds'))).toEqual({ where: 'body', wire: ['filter_call_ids'] });
    expect(homeOf(t({ client_request_id: {} }, 'query'), arg('clientRequestId'))).toEqual({ where: 'query', wire: ['client_request_id'] });
    expect(homeOf(t({ workspace_id: {} }, 'query', 'list'), arg('workspace-id'))).toEqual({ where: 'query', wire: ['workspace_id'] });
    // A free-form object takes the rest of the path as is.
    expect(homeOf(t({ content_selector: { type: 'object', properties: { exposed_fields: { type: 'object' } } } }), arg('contentSelector.exposedFields.parties')))
      .toEqual({ where: 'body', wire: ['content_selector', 'exposed_fields', 'parties'] });
    // The exact key wins over a loose one.
    expect(homeOf(t({ call_ids: {}, callIds: {} }), arg('callIds'))?.wire).toEqual(['callIds']);
    // A get tool's id is the path, whatever the schema declares.
    expect(homeOf(t({}, 'query', 'get'), arg('clientRequestId', { aliases: ['id'] }))).toEqual({ where: 'path', wire: ['id'] });
    expect(homeOf(t({ other: {} }), arg('filter.callIds'))).toBeUndefined();
  });

  it('a required argument with no home, or a required key left empty, fails before any request, naming tool and argument', () => {
    const transcripts: TrutoTool = { name: 'odd_transcripts', resource: 'calls_transcript', method: 'create', body_schema: { type: 'object', properties: { from: {} } } };
    const err = (() => {
      try {
        wireArgs(transcripts, CAPABILITIES.transcripts, { filter: { callIds: ['1'] } });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ArgumentHomeError);
    expect(err).toMatchObject({ tool: 'odd_transcripts', argument: 'filter.callIds', retryable: false });
    expect((err as Error).message).toMatch(/^odd_transcripts declares no argument for filter\.callIds/);
    expect(resolveAll([transcripts], 'ia').get('transcripts')).toMatchObject({ status: 'unusable' });

    const calls: TrutoTool = { name: 'list_all_gong_calls', resource: 'calls', method: 'list', query_schema: { type: 'object', properties: { from_date_time: {}, to_date_time: {} } }, required: ['from_date_time', 'to_date_time'] };
    expect(() => wireArgs(calls, CAPABILITIES.calls, { fromDateTime: 'a' })).toThrow(/list_all_gong_calls requires toDateTime \(the window end\)/);
    const nested: TrutoTool = {
      name: 'tasks', resource: 'tasks', method: 'create',
      body_schema: { type: 'object', properties: { filter: { type: 'object', required: ['userId', 'types'], properties: { userId: {}, types: {} } } } },
    };
    expect(() => wireArgs(nested, CAPABILITIES.tasks, { filter: { userId: 'u' } })).toThrow(/requires filter\.types/);
    // A requirement listed dotted is checked at its nested place.
    const dotted: TrutoTool = {
      name: 'tr', resource: 'calls_transcript', method: 'create',
      body_schema: { type: 'object', properties: { filter: { type: 'object', properties: { callIds: {}, fromDateTime: {} } } } }, required: ['filter.callIds'],
    };
    expect(resolveAll([dotted], 'ia').get('transcripts')?.status).toBe('present');
    expect(wireArgs(dotted, CAPABILITIES.transcripts, { filter: { callIds: ['1'] } }).args).toEqual({ filter: { callIds: ['1'] } });
    // A key the capability does not know is a programming error, not a silent drop.
    expect(() => wireArgs(calls, CAPABILITIES.calls, { fromDateTime: 'a', toDateTime: 'b', bogus: 1 })).toThrow(ArgumentHomeError);
  });
});
