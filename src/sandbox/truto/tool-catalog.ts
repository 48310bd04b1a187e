/**
 * The Gong tools the sandbox's Truto exposes, each mapped to one Gong v2 endpoint. Names follow
 * Truto's convention (truto-api.md §1, "Tool naming convention") and the seed article; no Truto
 * source lists Gong's real resources, so the resource names are the inferred ones of truto-api.md
 * §2. Each entry names the Gong scope it needs: `/tools` lists only what the account may call.
 */

type JsonSchema = Record<string, unknown>;

export interface CatalogTool {
  name: string;
  /** Proxy resource, e.g. `calls_transcript`. */
  resource: string;
  /** Truto method: list | get | create | update | delete. */
  method: 'list' | 'get' | 'create' | 'update' | 'delete';
  description: string;
  tags: string[];
  /** Gong OAuth scope the call needs (gong-api.md §7). */
  scope: string;
  /** The Gong endpoint behind it; `:id` is replaced by the proxy id. */
  gong: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string };
  query_schema: { type: 'object'; properties: Record<string, JsonSchema> };
  body_schema: { type: 'object'; properties: Record<string, JsonSchema> };
  required: string[];
  /** list tools: where the records sit in Gong's body. */
  listFrom?: (gongBody: Record<string, unknown>) => unknown[];
  /**
   * list tools backed by a Gong POST read: query keys moved into the body's `filter`. Gong requires
   * a filter there even when all its fields are optional, so an empty one is sent if none is given.
   */
  filterKeys?: string[];
}

const str = (description: string): JsonSchema => ({ type: 'string', description });
const strList = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });
const obj = (description: string, properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});
const schema = (properties: Record<string, JsonSchema> = {}) => ({ type: 'object' as const, properties });

const ID = { id: str('The ID of the record.') };
const LIST_PAGING = {
  limit: { type: 'integer', description: 'Maximum number of records on a page.' },
  next_cursor: str('Cursor from the previous page; omit or leave empty for the first page.'),
};
const CURSOR = { cursor: str("Gong's `records.cursor` from the previous page; omit for the first page.") };
const CALL_FILTER = obj('Which calls to read.', {
  fromDateTime: str('Calls that started on or after this ISO-8601 date-time.'),
  toDateTime: str('Calls that started before this ISO-8601 date-time (exclusive).'),
  workspaceId: str('Only calls of this workspace.'),
  callIds: strList('Only these call IDs (within the date range). Must not be an empty list.'),
  primaryUserIds: strList('Only calls hosted by these Gong user IDs.'),
});

const arrayAt = (key: string) => (body: Record<string, unknown>): unknown[] => {
  const value = body[key];
  return Array.isArray(value) ? value : [];
};
/** A single Gong object (no list in the body): the whole body minus `requestId`, as one record. */
const single = (body: Record<string, unknown>): unknown[] => {
  const { requestId: _requestId, ...rest } = body;
  return [rest];
};

export const TOOL_CATALOG: readonly CatalogTool[] = [
  {
    name: 'list_all_gong_calls',
    resource: 'calls',
    method: 'list',
    description: 'List calls (basic metadata: id, title, start, duration, host) that took place in a date range.',
    tags: ['calls'],
    scope: 'api:calls:read:basic',
    gong: { method: 'GET', path: '/v2/calls' },
    query_schema: schema({
      fromDateTime: str('Calls that started on or after this ISO-8601 date-time.'),
      toDateTime: str('Calls that started before this ISO-8601 date-time (exclusive).'),
      workspaceId: str('Only calls of this workspace.'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: [],
    listFrom: arrayAt('calls'),
  },
  {
    name: 'get_single_gong_call_by_id',
    resource: 'calls',
    method: 'get',
    description: "Get one call's basic metadata by its ID.",
    tags: ['calls'],
    scope: 'api:calls:read:basic',
    gong: { method: 'GET', path: '/v2/calls/:id' },
    query_schema: schema(ID),
    body_schema: schema(),
    required: ['id'],
  },
  {
    name: 'create_a_gong_calls_extensive',
    resource: 'calls_extensive',
    method: 'create',
    description:
      'Read detailed call data (parties with speaker IDs, CRM context, content, interaction) for calls matching a filter. A read despite the name; pages with records.cursor.',
    tags: ['calls'],
    scope: 'api:calls:read:extensive',
    gong: { method: 'POST', path: '/v2/calls/extensive' },
    query_schema: schema(),
    body_schema: schema({
      filter: CALL_FILTER,
      contentSelector: obj('Which parts of each call to return.', {
        context: { type: 'string', enum: ['None', 'Basic', 'Extended'], description: 'CRM context detail.' },
        exposedFields: { type: 'object', description: 'Field groups to include, e.g. {"parties": true}.' },
      }),
      ...CURSOR,
    }),
    required: ['filter'],
  },
  {
    name: 'create_a_gong_calls_transcript',
    resource: 'calls_transcript',
    method: 'create',
    description:
      'Fetch the transcripts of calls in a date range, or of specific call IDs. A read despite the name; pages with records.cursor.',
    tags: ['calls'],
    scope: 'api:calls:read:transcript',
    gong: { method: 'POST', path: '/v2/calls/transcript' },
    query_schema: schema(),
    body_schema: schema({ filter: CALL_FILTER, ...CURSOR }),
    required: ['filter'],
  },
  {
    name: 'list_all_gong_users',
    resource: 'users',
    method: 'list',
    description: 'List the Gong users of the company (id, name, email, title, managerId, created).',
    tags: ['users'],
    scope: 'api:users:read',
    gong: { method: 'GET', path: '/v2/users' },
    query_schema: schema({ includeAvatars: { type: 'boolean', description: 'Include Gong avatar users.' }, ...LIST_PAGING }),
    body_schema: schema(),
    required: [],
    listFrom: arrayAt('users'),
  },
  {
    name: 'get_single_gong_user_by_id',
    resource: 'users',
    method: 'get',
    description: 'Get one Gong user by ID.',
    tags: ['users'],
    scope: 'api:users:read',
    gong: { method: 'GET', path: '/v2/users/:id' },
    query_schema: schema(ID),
    body_schema: schema(),
    required: ['id'],
  },
  {
    name: 'create_a_gong_users_extensive',
    resource: 'users_extensive',
    method: 'create',
    description: 'Read users matching a filter (user IDs, creation dates). A read despite the name.',
    tags: ['users'],
    scope: 'api:users:read',
    gong: { method: 'POST', path: '/v2/users/extensive' },
    query_schema: schema(),
    body_schema: schema({
      filter: obj('Which users to read.', {
        userIds: strList('Gong user IDs.'),
        createdFromDateTime: str('Users created on or after this ISO-8601 date-time.'),
        createdToDateTime: str('Users created before this ISO-8601 date-time.'),
      }),
      ...CURSOR,
    }),
    required: ['filter'],
  },
  {
    name: 'list_all_gong_workspaces',
    resource: 'workspaces',
    method: 'list',
    description: "List the company's Gong workspaces.",
    tags: ['users', 'workspaces'],
    scope: 'api:workspaces:read',
    gong: { method: 'GET', path: '/v2/workspaces' },
    query_schema: schema(LIST_PAGING),
    body_schema: schema(),
    required: [],
    listFrom: arrayAt('workspaces'),
  },
  {
    name: 'create_a_gong_activity_aggregate_by_period',
    resource: 'activity_aggregate_by_period',
    method: 'create',
    description:
      'Aggregated activity counters (calls hosted, calls listened to, feedback, scorecards…) per user per DAY/WEEK/MONTH/QUARTER/YEAR.',
    tags: ['stats'],
    scope: 'api:stats:user-actions',
    gong: { method: 'POST', path: '/v2/stats/activity/aggregate-by-period' },
    query_schema: schema(),
    body_schema: schema({
      filter: obj(
        'Date range (YYYY-MM-DD; toDate exclusive and not after today) and users.',
        { fromDate: str('Inclusive start date.'), toDate: str('Exclusive end date.'), userIds: strList('Gong user IDs.') },
        ['fromDate', 'toDate'],
      ),
      aggregationPeriod: { type: 'string', enum: ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'], description: 'Period length.' },
      ...CURSOR,
    }),
    required: ['filter', 'aggregationPeriod'],
  },
  {
    name: 'list_all_gong_coachings',
    resource: 'coachings',
    method: 'list',
    description: "A manager's coaching metrics per direct report (calls listened to, attended, with feedback or a scorecard).",
    tags: ['coaching'],
    scope: 'api:coaching:read',
    gong: { method: 'GET', path: '/v2/coaching' },
    // Gong's own parameter names for this endpoint are hyphenated (gong-api.md §4).
    query_schema: schema({
      'workspace-id': str('Workspace ID.'),
      'manager-id': str("The manager's Gong user ID."),
      from: str('Start ISO-8601 date-time.'),
      to: str('End ISO-8601 date-time.'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: ['workspace-id', 'manager-id', 'from', 'to'],
    listFrom: arrayAt('coachingData'),
  },
  {
    name: 'list_all_gong_activity_scorecards',
    resource: 'activity_scorecards',
    method: 'list',
    description:
      'List answered scorecards, filtered by call date, review date, reviewed users or scorecard IDs. The filter fields are query parameters.',
    tags: ['stats', 'coaching'],
    scope: 'api:stats:scorecards',
    gong: { method: 'POST', path: '/v2/stats/activity/scorecards' },
    query_schema: schema({
      callFromDate: str('Calls on or after this date (YYYY-MM-DD).'),
      callToDate: str('Calls before this date (YYYY-MM-DD).'),
      reviewFromDate: str('Reviews on or after this date (YYYY-MM-DD).'),
      reviewToDate: str('Reviews before this date (YYYY-MM-DD).'),
      reviewedUserIds: strList('Gong user IDs of the reviewed reps.'),
      scorecardIds: strList('Scorecard IDs.'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: [],
    listFrom: arrayAt('answeredScorecards'),
    filterKeys: ['callFromDate', 'callToDate', 'reviewFromDate', 'reviewToDate', 'reviewedUserIds', 'scorecardIds', 'reviewMethod'],
  },
  {
    name: 'list_all_gong_entities_get_briefs',
    resource: 'entities_get_briefs',
    method: 'list',
    description: "Gong's pre-generated AI brief for an account, deal, contact or lead.",
    tags: ['briefs'],
    scope: 'api:ai-briefer:read',
    gong: { method: 'GET', path: '/v2/entities/get-brief' },
    query_schema: schema({
      workspaceId: str('Workspace ID.'),
      briefName: str('Name of the brief configured in Agent Studio.'),
      crmEntityType: { type: 'string', enum: ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'], description: 'CRM entity type.' },
      crmEntityId: str('CRM ID of the entity.'),
      timePeriod: str('Period the brief covers, e.g. LAST_30DAYS, LAST_90DAYS, THIS_QUARTER, CUSTOM_RANGE.'),
      fromDateTime: str('Start ISO-8601 date-time (CUSTOM_RANGE only).'),
      toDateTime: str('End ISO-8601 date-time (CUSTOM_RANGE only).'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: ['workspaceId', 'briefName', 'crmEntityType', 'crmEntityId', 'timePeriod'],
    listFrom: single,
  },
  {
    name: 'create_a_gong_task',
    resource: 'tasks',
    method: 'create',
    description: "List a user's Engage tasks matching a filter (status, type). A read despite the name.",
    tags: ['tasks'],
    scope: 'api:tasks:read',
    gong: { method: 'POST', path: '/v2/tasks' },
    query_schema: schema(),
    body_schema: schema({
      filter: obj(
        'Which tasks to list.',
        {
          userId: str('Gong user ID whose tasks to list.'),
          workspaceId: str('Workspace ID.'),
          status: strList('OPEN, DONE and/or DISMISSED.'),
          types: strList('FLOW and/or MANUAL.'),
          taskAction: strList('Task actions, e.g. CALL, EMAIL.'),
        },
        ['userId', 'types', 'taskAction', 'status'],
      ),
    }),
    required: ['filter'],
  },
  {
    name: 'update_a_gong_task_by_id',
    resource: 'tasks',
    method: 'update',
    description: 'Update an Engage task: status OPEN/DONE/DISMISSED, due date or priority.',
    tags: ['tasks'],
    scope: 'api:tasks:write',
    gong: { method: 'PATCH', path: '/v2/tasks/:id' },
    query_schema: schema(ID),
    body_schema: schema({
      userId: str('Gong user ID that owns the task.'),
      status: { type: 'string', enum: ['OPEN', 'DONE', 'DISMISSED'], description: 'New status.' },
      dueDate: str('New due date-time, ISO-8601.'),
      priority: str('New priority.'),
    }),
    required: ['id', 'userId'],
  },
  {
    name: 'create_a_gong_crm_entity',
    resource: 'crm_entities',
    method: 'create',
    description:
      'Upload CRM entities (one type per file) as an LDJSON file. Asynchronous: returns a clientRequestId to poll with list_all_gong_crm_request_status.',
    tags: ['crm'],
    scope: 'api:crm:upload',
    gong: { method: 'POST', path: '/v2/crm/entities' },
    query_schema: schema({
      integrationId: str('CRM integration ID.'),
      objectType: { type: 'string', enum: ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'BUSINESS_USER', 'STAGE'], description: 'Entity type.' },
      clientRequestId: str('Unique id of this upload (letters, digits, - and _).'),
    }),
    body_schema: schema({ dataFile: { type: 'string', format: 'binary', description: 'LDJSON file, one entity per line.' } }),
    required: ['integrationId', 'objectType', 'clientRequestId', 'dataFile'],
  },
  {
    name: 'list_all_gong_crm_entities',
    resource: 'crm_entities',
    method: 'list',
    description: 'Read CRM entities by their CRM IDs (at most 100; there is no list-all).',
    tags: ['crm'],
    scope: 'api:crm:get-objects',
    gong: { method: 'GET', path: '/v2/crm/entities' },
    query_schema: schema({
      integrationId: str('CRM integration ID.'),
      objectType: { type: 'string', enum: ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'], description: 'Entity type.' },
      objectsCrmIds: strList('CRM IDs to read.'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: ['integrationId', 'objectType', 'objectsCrmIds'],
    // Gong answers a map crmId → fields (or null when unknown); Truto's list is the found records.
    listFrom: (body) => {
      const map = body.crmObjectsMap;
      if (typeof map !== 'object' || map === null) return [];
      return Object.entries(map as Record<string, unknown>)
        .filter(([, v]) => typeof v === 'object' && v !== null)
        .map(([crmId, v]) => ({ crmId, ...(v as Record<string, unknown>) }));
    },
  },
  {
    name: 'list_all_gong_crm_request_status',
    resource: 'crm_request_status',
    method: 'list',
    description: 'Status of an asynchronous CRM upload: PENDING, IN_PROGRESS, DONE or FAILED, with per-line errors.',
    tags: ['crm'],
    scope: 'api:crm:upload',
    gong: { method: 'GET', path: '/v2/crm/request-status' },
    query_schema: schema({
      integrationId: str('CRM integration ID.'),
      clientRequestId: str('The clientRequestId of the upload.'),
      ...LIST_PAGING,
    }),
    body_schema: schema(),
    required: ['integrationId', 'clientRequestId'],
    listFrom: single,
  },
  {
    name: 'list_all_gong_crm_integrations',
    resource: 'crm_integrations',
    method: 'list',
    description: "The company's generic CRM integration (integrationId, name, ownerEmail).",
    tags: ['crm'],
    scope: 'api:crm:integrations:read',
    gong: { method: 'GET', path: '/v2/crm/integrations' },
    query_schema: schema(LIST_PAGING),
    body_schema: schema(),
    required: [],
    listFrom: arrayAt('integrations'),
  },
];

/** The tool serving `method` on `resource`, if any. */
export function findTool(resource: string, method: string): CatalogTool | undefined {
  return TOOL_CATALOG.find((t) => t.resource === resource && t.method === method);
}

export function hasResource(resource: string): boolean {
  return TOOL_CATALOG.some((t) => t.resource === resource);
}

/** A tool as `GET /integrated-account/:id/tools` shows it (routing details stay private). */
export function publicTool(t: CatalogTool): Record<string, unknown> {
  return {
    name: t.name,
    description: t.description,
    resource: t.resource,
    method: t.method,
    query_schema: t.query_schema,
    body_schema: t.body_schema,
    required: t.required,
    tags: t.tags,
  };
}

const READ = new Set(['list', 'get']);
const WRITE = new Set(['create', 'update', 'delete']);

export interface ToolFilter {
  /** Method names, or `read` (list+get), `write` (create+update+delete), `custom` (non-CRUD). */
  methods?: string[];
  tags?: string[];
  /** Only tools with a description (Truto's default). */
  hasDescription?: boolean;
}

/** The tools an account with `scopes` may call, after Truto's `/tools` filters. */
export function toolsFor(scopes: readonly string[], filter: ToolFilter = {}): CatalogTool[] {
  const granted = new Set(scopes);
  const methods = filter.methods?.map((m) => m.toLowerCase());
  const tags = filter.tags?.map((t) => t.toLowerCase());
  return TOOL_CATALOG.filter((t) => {
    if (!granted.has(t.scope)) return false;
    if (methods && methods.length > 0) {
      const custom = !READ.has(t.method) && !WRITE.has(t.method);
      const ok = methods.some(
        (m) => m === t.method || (m === 'read' && READ.has(t.method)) || (m === 'write' && WRITE.has(t.method)) || (m === 'custom' && custom),
      );
      if (!ok) return false;
    }
    if (tags && tags.length > 0 && !t.tags.some((tag) => tags.includes(tag))) return false;
    if (filter.hasDescription !== false && !t.description) return false;
    return true;
  });
}
