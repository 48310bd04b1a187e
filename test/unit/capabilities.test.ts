/**
 * The capability layer without a server: which tool serves what (by name, or by resource + method
 * under another name), read/write classification, absent-tool errors that name a likely scope
 * only as likely, records from answers of every shape, the OpenAI function schema, and paging
 * whose cursor goes back through the tool's own schema.
 */
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  ToolAbsentError,
  TrutoClient,
  TrutoResponseShapeError,
  TrutoScopeError,
  loadCapabilities,
  makeTrutoError,
  recordsOf,
  resolveAll,
  resolveCapability,
  toOpenAiFunction,
  toolAccess,
  type TrutoTool,
} from '../../src/shared/upstream/index.ts';

const obj = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) });
const tool = (name: string, resource: string, method: string, extra: Partial<TrutoTool> = {}): TrutoTool => ({ name, resource, method, ...extra });
const filterBody = (...keys: string[]) => ({ type: 'object', properties: { filter: obj(...keys), cursor: { type: 'string' } } });

describe('resolution', () => {
  it('prefers the candidate name, also matches resource + method under another name, never another method', () => {
    const renamed = tool('create_a_gong_call_transcript', 'calls_transcript', 'create', { body_schema: filterBody('callIds') });
    expect(resolveCapability('transcripts', [renamed], 'ia')).toMatchObject({ status: 'present', matchedBy: 'resource', tool: { name: renamed.name } });
    const named = tool('create_a_gong_calls_transcript', 'transcripts_v2', 'create', { body_schema: filterBody('callIds') });
    expect(resolveCapability('transcripts', [renamed, named], 'ia')).toMatchObject({ status: 'present', matchedBy: 'name', tool: { name: named.name } });
    // Gong's POST /v2/calls adds a call: a `calls` create tool is not the calls list.
    expect(resolveCapability('calls', [tool('create_a_gong_call', 'calls', 'create')], 'ia').status).toBe('absent');
  });

  it('skips a candidate it cannot call for the next one, and reports it when none is callable', () => {
    const list = tool('list_all_gong_crm_request_status', 'crm_request_status', 'list', { query_schema: obj('integration_id') }); // no clientRequestId
    const get = tool('get_single_gong_crm_request_status_by_id', 'crm_request_status', 'get', { query_schema: obj('integration_id') });
    expect(resolveCapability('crm-status', [list, get], 'ia')).toMatchObject({ status: 'present', tool: { name: get.name } });
    const r = resolveCapability('crm-status', [list], 'ia');
    expect(r.status).toBe('unusable');
    expect(r.status === 'unusable' && r.error.message).toMatch(/list_all_gong_crm_request_status declares no argument for clientRequestId/);
  });

  it('an absent tool names the closest listed tools, and its usual scope only as a likely cause', () => {
    const tools = [tool('list_all_gong_calls', 'calls', 'list'), tool('create_a_gong_calls_transcript', 'calls_transcript', 'create', { body_schema: filterBody('callIds') })];
    const r = resolveCapability('call-details', tools, 'ia-1');
    expect(r.status).toBe('absent');
    const err = (r as { error: ToolAbsentError }).error;
    expect(err).toBeInstanceOf(ToolAbsentError);
    expect(err.retryable).toBe(false);
    expect(err.likelyScope).toBe('api:calls:read:extensive');
    expect(err.suggestions).toContain('list_all_gong_calls');
    expect(err.message).toContain('integrated account ia-1 lists no tool for call details');
    expect(err.message).toContain('likely cause (not confirmed): the connection lacks Gong scope api:calls:read:extensive');
    // Not the old claim that the account "lacks" the scope.
    expect(err.message).not.toMatch(/re-consent/);
  });

  it('a 403 names the missing scopes Truto lists as a fact', () => {
    const body = { statusCode: 403, truto_is_remote_error: true, truto_error_insight: { forbidden_error: { description: 'x', value: { missing_scopes: ['api:calls:read:transcript', 'api:calls:read:extensive'] } } } };
    const err = makeTrutoError(403, {}, body, { tool: 'create_a_gong_calls_transcript' });
    expect(err).toBeInstanceOf(TrutoScopeError);
    expect((err as TrutoScopeError).missingScopes).toEqual(['api:calls:read:transcript', 'api:calls:read:extensive']);
    expect(err.message).toContain('missing Gong scopes api:calls:read:transcript, api:calls:read:extensive');
  });
});

describe('read or write, from the capabilities', () => {
  it('classifies by name, by resource + method, and counts unknown tools as writes', () => {
    for (const name of ['list_all_gong_calls', 'create_a_gong_calls_transcript', 'create_a_gong_task', 'create_a_gong_users_extensive', 'get_single_gong_crm_request_status_by_id', 'list_all_gong_entities_get_briefs']) {
      expect(toolAccess(name), name).toBe('read');
    }
    expect(toolAccess('update_a_gong_task_by_id')).toBe('write');
    expect(toolAccess('create_a_gong_crm_entity')).toBe('write');
    expect(toolAccess('delete_a_gong_flow_by_id')).toBe('write');
    expect(toolAccess(tool('create_a_gong_call_transcript', 'calls_transcript', 'create'))).toBe('read');
    expect(toolAccess(tool('create_a_gong_call', 'calls', 'create'))).toBe('write');
    // A read's name on a write method is still a write.
    expect(toolAccess(tool('list_all_gong_calls', 'calls', 'delete'))).toBe('write');
  });
});

const transcriptsRule = () => CAPABILITIES.transcripts.items;

describe('records in every answer shape', () => {
  const transcripts = CAPABILITIES.transcripts.items;
  const t = (id: string) => ({ callId: id, transcript: [] });
  it('Gong body, Truto envelope (of records or of Gong bodies), bare array', () => {
    expect(recordsOf(transcripts, { records: { cursor: 'x' }, callTranscripts: [t('1')] }, 'x').map((r) => r.callId)).toEqual(['1']);
    expect(recordsOf(transcripts, { result: [t('1'), t('2')], next_cursor: null }, 'x')).toHaveLength(2);
    expect(recordsOf(transcripts, { result: [{ callTranscripts: [t('1'), t('2')] }] }, 'x')).toHaveLength(2);
    expect(recordsOf(transcripts, [t('1')], 'x')).toHaveLength(1);
    expect(() => recordsOf(transcripts, { calls: [] }, 'x')).toThrow(TrutoResponseShapeError);
    expect(() => recordsOf(transcripts, 'text', 'x')).toThrow(TrutoResponseShapeError);
  });

  it('single objects (status, brief) and Gong maps (CRM entities)', () => {
    const status = { status: 'DONE', errors: [], totalErrorCount: 0, totalSuccessCount: 2 };
    expect(recordsOf(CAPABILITIES['crm-status'].items, status, 'x')[0]?.status).toBe('DONE');
    expect(recordsOf(CAPABILITIES['crm-status'].items, { result: [status], next_cursor: null }, 'x')[0]?.status).toBe('DONE');
    // A method whose response_path points at one object, and the `results` spelling of some Truto docs.
    expect(recordsOf(CAPABILITIES['crm-status'].items, { result: status }, 'x')[0]?.status).toBe('DONE');
    expect(recordsOf(transcriptsRule(), { results: [{ callId: '9', transcript: [] }], next_cursor: null }, 'x')[0]?.callId).toBe('9');
    const sections = [{ title: 'A', sectionSummary: ['s'] }];
    expect(recordsOf(CAPABILITIES.brief.items, { briefSections: sections }, 'x')[0]?.briefSections).toHaveLength(1);
    expect(recordsOf(CAPABILITIES.brief.items, { result: sections, next_cursor: null }, 'x')[0]?.briefSections).toHaveLength(1);
    const crm = CAPABILITIES['crm-entities'].items;
    expect(recordsOf(crm, { crmObjectsMap: { d1: { name: 'Deal' }, d2: null } }, 'x')).toEqual([{ objectId: 'd1', name: 'Deal' }]);
    expect(recordsOf(crm, { result: [{ crmId: 'd1', name: 'Deal' }], next_cursor: null }, 'x')).toEqual([{ crmId: 'd1', objectId: 'd1', name: 'Deal' }]);
  });
});

describe('OpenAI function schema', () => {
  it('merges query and body properties, keeps only declared required keys, adds a get tool id, describes undocumented tools', () => {
    const f = toOpenAiFunction(tool('get_single_gong_crm_request_status_by_id', 'crm_request_status', 'get', {
      description: null, query_schema: obj('integration_id'), required: ['id', 'integration_id', 'ghost'],
    }));
    expect(f.type).toBe('function');
    expect(f.function.name).toBe('get_single_gong_crm_request_status_by_id');
    expect(f.function.description).toBe('Gong: CRM request status. (Reads Gong.)');
    expect(f.function.parameters).toEqual({
      type: 'object',
      properties: { integration_id: { type: 'string' }, id: { type: 'string', description: 'The ID of the record.' } },
      required: ['id', 'integration_id'],
    });
    const w = toOpenAiFunction(tool('update a task!', 'tasks', 'update', { description: 'Update a task.', body_schema: obj('status') }));
    expect(w.function.name).toBe('update_a_task_');
    expect(w.function.description).toBe('Update a task. (Writes to Gong.)');
  });
});

describe('AccountCapabilities over a fake Truto', () => {
  it("sends Gong's cursor back through the key the schema declares, wherever that is", async () => {
    const tools: TrutoTool[] = [tool('list_all_gong_users', 'users', 'create', {}), tool('list_all_gong_users', 'users', 'list', { query_schema: obj('Cursor') })];
    const seen: URL[] = [];
    const fetch = (async (input: string | URL) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/tools')) return Response.json({ result: tools });
      seen.push(url);
      const cursor = url.searchParams.get('Cursor');
      return Response.json(cursor ? { users: [{ id: '2' }] } : { records: { cursor: 'k1' }, users: [{ id: '1' }] });
    }) as typeof globalThis.fetch;
    const client = new TrutoClient({ baseUrl: 'https://t.test', apiKey: 'k', fetch });
    const caps = await loadCapabilities(client, 'ia');
    expect(caps.tool('users').method).toBe('list');
    expect((await caps.collect('users', {})).map((u) => u.id)).toEqual(['1', '2']);
    expect(seen.map((u) => u.searchParams.get('Cursor'))).toEqual([null, 'k1']);
    expect(resolveAll(tools, 'ia').get('users')?.status).toBe('present');
  });
});
