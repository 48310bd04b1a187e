/**
 * Every endpoint's response validates against the response schema of Gong's official OpenAPI spec
 * (src/sandbox/gong/gong-openapi.json, a copy of the reference). Additional properties are allowed,
 * as Gong adds fields without notice. Gong sends `null` for absent values (e.g. a monologue's
 * `topic`) although the spec types them as plain strings, so nulls are dropped before validating.
 * Two generator artifacts are relaxed below (values typed `object` that hold any JSON).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createGongApi, createWorld, GLOBEX } from '../../src/sandbox/gong/index.ts';
import type { GongRequest } from '../../src/sandbox/types.ts';

const spec = JSON.parse(readFileSync(new URL('../../src/sandbox/gong/gong-openapi.json', import.meta.url), 'utf8'));
// Java `Object` values come out of Gong's spec generator as `type: object`, yet carry any JSON
// (the spec's own examples put strings there): CRM context field values and CRM object fields.
spec.components.schemas.ContextField.properties.value = {};
spec.components.schemas.GetGenericCrmObjectsResponse.properties.crmObjectsMap.additionalProperties.additionalProperties = {};
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ components: spec.components }, 'gong');

function responseSchemaRef(method: string, path: string, status: number): string {
  const op = spec.paths[path][method.toLowerCase()];
  const ref: string = op.responses[String(status)].content['application/json'].schema.$ref;
  return `gong${ref}`;
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  }
  return v;
}

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const world = createWorld({ now: NOW });
let clockMs = NOW.getTime();
const api = createGongApi(world, { clock: () => clockMs, crmProcessingMs: 1000 });
const deals = world.accountIdOf('deals');
const coaching = world.accountIdOf('coaching');
const dealsData = world.account(deals)!;
const coachingData = world.account(coaching)!;
const globex = world.findDeal(deals, GLOBEX)!;
const globexCall = dealsData.calls.find((c) => c.dealCrmId === globex.crmId)!;
const manager = coachingData.users.find((u) => u.role === 'manager')!;
const integrationId = dealsData.integration.integrationId;

interface Case {
  specPath: string;
  req: Omit<GongRequest, 'accountId'> & { accountId?: string };
  status?: number;
}

const cases: Case[] = [
  { specPath: '/v2/calls', req: { method: 'GET', path: '/v2/calls', query: {} } },
  { specPath: '/v2/calls/{id}', req: { method: 'GET', path: `/v2/calls/${globexCall.id}`, query: {} } },
  {
    specPath: '/v2/calls/extensive',
    req: {
      method: 'POST', path: '/v2/calls/extensive', query: {},
      body: {
        filter: { fromDateTime: new Date(NOW.getTime() - 30 * DAY).toISOString() },
        contentSelector: {
          context: 'Extended', contextTiming: ['Now', 'TimeOfCall'],
          exposedFields: {
            parties: true, media: true, collaboration: { publicComments: true },
            content: { brief: true, keyPoints: true, topics: true, trackers: true, structure: true, callOutcome: true },
            interaction: { speakers: true, personInteractionStats: true, questions: true },
          },
        },
      },
    },
  },
  { specPath: '/v2/calls/transcript', req: { method: 'POST', path: '/v2/calls/transcript', query: {}, body: { filter: { callIds: [globexCall.id] } } } },
  { specPath: '/v2/users', req: { method: 'GET', path: '/v2/users', query: {} } },
  { specPath: '/v2/users/{id}', req: { method: 'GET', path: `/v2/users/${globex.ownerUserId}`, query: {} } },
  { specPath: '/v2/users/extensive', req: { method: 'POST', path: '/v2/users/extensive', query: {}, body: { filter: { userIds: [globex.ownerUserId] } } } },
  { specPath: '/v2/workspaces', req: { method: 'GET', path: '/v2/workspaces', query: {} } },
  {
    specPath: '/v2/stats/activity/aggregate-by-period',
    req: {
      accountId: coaching, method: 'POST', path: '/v2/stats/activity/aggregate-by-period', query: {},
      body: { filter: { fromDate: '2026-02-01', toDate: '2026-03-15' }, aggregationPeriod: 'MONTH' },
    },
  },
  { specPath: '/v2/stats/activity/scorecards', req: { accountId: coaching, method: 'POST', path: '/v2/stats/activity/scorecards', query: {}, body: { filter: {} } } },
  {
    specPath: '/v2/coaching',
    req: {
      accountId: coaching, method: 'GET', path: '/v2/coaching',
      query: { 'workspace-id': coachingData.workspaceId, 'manager-id': manager.id, from: '2026-02-13T00:00:00Z', to: '2026-03-15T00:00:00Z' },
    },
  },
  { specPath: '/v2/crm/integrations', req: { method: 'GET', path: '/v2/crm/integrations', query: {} } },
  {
    specPath: '/v2/crm/entities', req: { method: 'GET', path: '/v2/crm/entities', query: { integrationId, objectType: 'DEAL', objectsCrmIds: [globex.crmId, 'nope'] } },
  },
  {
    specPath: '/v2/tasks',
    req: { method: 'POST', path: '/v2/tasks', query: {}, body: { filter: { userId: globex.ownerUserId, types: ['MANUAL', 'FLOW'], taskAction: ['CALL'], status: ['OPEN', 'DONE', 'DISMISSED'] } } },
  },
  {
    specPath: '/v2/entities/get-brief',
    req: { method: 'GET', path: '/v2/entities/get-brief', query: { workspaceId: dealsData.workspaceId, briefName: 'Deal Brief', crmEntityType: 'DEAL', crmEntityId: globex.crmId, timePeriod: 'LAST_90DAYS' } },
  },
];

async function send(req: Case['req']) {
  return (await api.handle({ accountId: deals, ...req })) as { status: number; body: any };
}

function expectValid(method: string, specPath: string, status: number, body: unknown) {
  const validate = ajv.getSchema(responseSchemaRef(method, specPath, status))!;
  const valid = validate(dropNulls(body));
  expect(validate.errors ?? [], `${method} ${specPath}`).toEqual([]);
  expect(valid).toBe(true);
}

describe('responses validate against Gong’s OpenAPI schemas', () => {
  it.each(cases.map((c) => [`${c.req.method} ${c.specPath}`, c] as const))('%s', async (_name, c) => {
    const res = await send(c.req);
    expect(res.status, JSON.stringify(res.body)).toBe(c.status ?? 200);
    expectValid(c.req.method, c.specPath, res.status, res.body);
  });

  it('POST /v2/crm/entities, GET /v2/crm/request-status and PATCH /v2/tasks/{taskId}', async () => {
    const line = JSON.stringify({ objectId: 'acct-schema-1', modifiedDate: '2026-03-01T10:00:00Z', name: 'Schema Co' });
    const up = await send({ method: 'POST', path: '/v2/crm/entities', query: { integrationId, objectType: 'ACCOUNT', clientRequestId: 'schema-1' }, files: { dataFile: Buffer.from(line) } });
    expect(up.status).toBe(201);
    expectValid('POST', '/v2/crm/entities', 201, up.body);
    clockMs += 2_000;
    const status = await send({ method: 'GET', path: '/v2/crm/request-status', query: { integrationId, clientRequestId: 'schema-1' } });
    expectValid('GET', '/v2/crm/request-status', 200, status.body);
    const task = dealsData.tasks[0]!;
    const patch = await send({ method: 'PATCH', path: `/v2/tasks/${task.id}`, query: {}, body: { userId: task.userId, dueDate: '2026-03-20T00:00:00Z' } });
    expect(patch.status).toBe(200);
    expectValid('PATCH', '/v2/tasks/{taskId}', 200, patch.body);
  });

  it('error bodies match ErrorResponse', async () => {
    const res = await send({ method: 'GET', path: '/v2/calls', query: { fromDateTime: '2001-01-01T00:00:00Z', toDateTime: '2001-02-01T00:00:00Z' } });
    expect(res.status).toBe(404);
    expectValid('GET', '/v2/calls', 404, res.body);
  });
});
