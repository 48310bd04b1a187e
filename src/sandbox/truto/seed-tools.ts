/**
 * The `seed` tool set: only the 11 Gong tool names Truto's own blog post (the seed article) names,
 * plus one CRM request-status tool in a different shape from the full set's list tool. It is the
 * account a new user most plausibly has: no calls-extensive, workspaces, CRM integrations or
 * users-extensive tools. Entries stay canonical (camelCase); the profile's arg style applies later.
 */
import { schema, str, type CatalogTool } from './catalog-schema.ts';
import { catalogTool } from './tool-catalog.ts';

/** The Gong tool names of the seed article (truto-api.md, "Corrections and open questions"). */
export const SEED_TOOL_NAMES = [
  'list_all_gong_calls',
  'create_a_gong_calls_transcript',
  'list_all_gong_entities_get_briefs',
  'create_a_gong_activity_aggregate_by_period',
  'update_a_gong_task_by_id',
  'create_a_gong_task',
  'list_all_gong_coachings',
  'list_all_gong_activity_scorecards',
  'create_a_gong_crm_entity',
  'list_all_gong_crm_entities',
  'list_all_gong_users',
] as const;

/**
 * Request status as Truto's `get` convention would name it: the record id is the upload's
 * clientRequestId. No description on purpose: Truto's `/tools` hides it unless asked with
 * `has_description=false`, the way a method nobody documented would be.
 */
export const SEED_REQUEST_STATUS_TOOL: CatalogTool = {
  name: 'get_single_gong_crm_request_status_by_id',
  resource: 'crm_request_status',
  method: 'get',
  description: '',
  tags: ['crm'],
  scope: 'api:crm:upload',
  gong: { method: 'GET', path: '/v2/crm/request-status', idQuery: 'clientRequestId' },
  query_schema: schema({
    id: str('The clientRequestId of the upload.'),
    integrationId: str('CRM integration ID.'),
  }),
  body_schema: schema(),
  required: ['id', 'integrationId'],
};

/** Where a seed tool differs from the full catalog's entry of the same name. */
const SEED_OVERRIDES: Partial<Record<(typeof SEED_TOOL_NAMES)[number], Partial<CatalogTool>>> = {
  // Gong's spec marks both required on GET /v2/calls (its text says they may be omitted; the
  // sandbox's Gong accepts that), and a tool generated from the spec would say so.
  list_all_gong_calls: { required: ['fromDateTime', 'toDateTime'] },
  // The full catalog's text names list_all_gong_crm_request_status, which this set lacks.
  create_a_gong_crm_entity: {
    description: 'Upload CRM entities (one type per file) as an LDJSON file. Asynchronous: poll the upload by its clientRequestId.',
  },
};

function seedTool(name: (typeof SEED_TOOL_NAMES)[number]): CatalogTool {
  const base = catalogTool(name);
  if (!base) throw new Error(`seed tool ${name} is missing from the full catalog`);
  return { ...base, ...SEED_OVERRIDES[name] };
}

export const SEED_CATALOG: readonly CatalogTool[] = [...SEED_TOOL_NAMES.map(seedTool), SEED_REQUEST_STATUS_TOOL];
