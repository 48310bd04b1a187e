/**
 * What the fleet needs from Gong, as capabilities rather than tool names. No public source lists
 * Truto's Gong tools beyond the eleven the seed article names (truto-api.md, "Corrections"), and an
 * integration author picks names, argument keys and answer shapes; so each capability says:
 * - the tools that serve it, ranked (the seed's name first where the seed names one), each also
 *   matched by its `resource` + `method` when the account names it differently;
 * - whether it reads or writes (the one source of truth for the write guard, see tool-access.ts);
 * - the Gong scope it usually needs (a likely cause when it is absent, never a diagnosis);
 * - its logical arguments in Gong's own terms (`filter.callIds`, `cursor`), mapped onto each tool's
 *   schema at call time (arg-map.ts);
 * - where its records sit in an answer of any shape (records.ts).
 */
import { z } from 'zod';
import {
  AnsweredScorecard,
  CallBasicData,
  CallData,
  CallTranscript,
  CoachingData,
  CrmEntity,
  CrmIntegration,
  CrmRequestStatus,
  GetBriefResponse,
  GongTask,
  UserAggregateActivity,
  UserMetadata,
  Workspace,
} from '../truto/gong-schemas.ts';
import type { CapabilityId, CapabilityItems, CapabilitySpec, LogicalArg, ToolCandidate } from './types.ts';

export type { CapabilityId, CapabilityItems, CapabilitySpec, ItemRule, LogicalArg, ToolCandidate } from './types.ts';

const anyRecord = z.record(z.string(), z.unknown());
const CURSOR: LogicalArg = { path: 'cursor', about: "Gong's page cursor" };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Gong's `{crmObjectsMap: {crmId: fields | null}}`, or records Truto already unwrapped (keyed `crmId`). */
function crmRecords(raw: unknown[]): unknown[] {
  return raw.flatMap((item) => {
    if (!isRecord(item)) return [];
    const map = item.crmObjectsMap;
    if (isRecord(map)) {
      return Object.entries(map).filter(([, v]) => isRecord(v)).map(([id, v]) => ({ objectId: id, ...(v as Record<string, unknown>) }));
    }
    const id = item.objectId ?? item.crmId ?? item.id;
    return id === undefined || id === null ? [] : [{ ...item, objectId: id }];
  });
}

/** A brief as one object, whether Truto hands the whole body, the body in a list, or its sections as the list. */
function briefRecords(raw: unknown[]): unknown[] {
  if (raw.length === 0 || raw.some((r) => isRecord(r) && Array.isArray(r.briefSections))) return raw;
  return [{ briefSections: raw }];
}

export const CAPABILITIES: { readonly [K in CapabilityId]: CapabilitySpec<CapabilityItems[K]> } = {
  calls: {
    id: 'calls',
    label: 'calls in a window',
    access: 'read',
    scope: 'api:calls:read:basic',
    candidates: [{ name: 'list_all_gong_calls', resource: 'calls', method: 'list' }],
    // GET /v2/calls: flat query parameters in Gong's own spec.
    args: [
      { path: 'fromDateTime', about: 'the window start' },
      { path: 'toDateTime', about: 'the window end' },
      { path: 'workspaceId', about: 'the workspace' },
      CURSOR,
    ],
    items: { key: 'calls', schema: CallBasicData },
  },
  'call-by-id': {
    id: 'call-by-id',
    label: 'one call by id',
    access: 'read',
    scope: 'api:calls:read:basic',
    candidates: [{ name: 'get_single_gong_call_by_id', resource: 'calls', method: 'get' }],
    args: [{ path: 'id', about: 'the call id', required: true }],
    // Gong answers `{requestId, call}`; Truto's get returns the body verbatim.
    items: { key: 'call', single: true, gather: (raw) => raw.map((r) => (isRecord(r) && isRecord(r.call) ? r.call : r)), schema: CallBasicData },
  },
  'call-details': {
    id: 'call-details',
    label: 'call details (parties, CRM context)',
    access: 'read',
    scope: 'api:calls:read:extensive',
    candidates: [
      { name: 'create_a_gong_calls_extensive', resource: 'calls_extensive', method: 'create' },
      { resource: 'calls', method: 'extensive' },
    ],
    args: [
      { path: 'filter.fromDateTime', about: 'the window start' },
      { path: 'filter.toDateTime', about: 'the window end' },
      { path: 'filter.callIds', about: 'the call ids' },
      { path: 'filter.workspaceId', about: 'the workspace' },
      { path: 'contentSelector.context', about: 'the CRM context level' },
      { path: 'contentSelector.exposedFields.parties', about: 'the parties (who spoke)' },
      CURSOR,
    ],
    items: { key: 'calls', schema: CallData },
  },
  transcripts: {
    id: 'transcripts',
    label: 'transcripts by call ids',
    access: 'read',
    scope: 'api:calls:read:transcript',
    candidates: [
      { name: 'create_a_gong_calls_transcript', resource: 'calls_transcript', method: 'create' },
      { resource: 'calls', method: 'transcript' },
    ],
    args: [
      { path: 'filter.callIds', about: 'the call ids', required: true },
      { path: 'filter.fromDateTime', about: 'the window start' },
      { path: 'filter.toDateTime', about: 'the window end' },
      CURSOR,
    ],
    items: { key: 'callTranscripts', schema: CallTranscript },
  },
  users: {
    id: 'users',
    label: 'users',
    access: 'read',
    scope: 'api:users:read',
    candidates: [{ name: 'list_all_gong_users', resource: 'users', method: 'list' }],
    args: [CURSOR],
    items: { key: 'users', schema: UserMetadata },
  },
  'user-by-id': {
    id: 'user-by-id',
    label: 'one user by id',
    access: 'read',
    scope: 'api:users:read',
    candidates: [{ name: 'get_single_gong_user_by_id', resource: 'users', method: 'get' }],
    args: [{ path: 'id', about: 'the user id', required: true }],
    items: { key: 'user', single: true, gather: (raw) => raw.map((r) => (isRecord(r) && isRecord(r.user) ? r.user : r)), schema: UserMetadata },
  },
  'users-extensive': {
    id: 'users-extensive',
    label: 'users by ids or creation dates',
    access: 'read',
    scope: 'api:users:read',
    // POST /v2/users/extensive: a read, like Gong's other POST reads.
    candidates: [{ name: 'create_a_gong_users_extensive', resource: 'users_extensive', method: 'create' }],
    args: [
      { path: 'filter.userIds', about: 'the user ids' },
      { path: 'filter.createdFromDateTime', about: 'the earliest creation time' },
      { path: 'filter.createdToDateTime', about: 'the latest creation time' },
      CURSOR,
    ],
    items: { key: 'users', schema: UserMetadata },
  },
  activity: {
    id: 'activity',
    label: 'activity aggregates',
    access: 'read',
    scope: 'api:stats:user-actions',
    candidates: [
      { name: 'create_a_gong_activity_aggregate_by_period', resource: 'activity_aggregate_by_period', method: 'create' },
      { resource: 'stats_activity_aggregate_by_period', method: 'create' },
    ],
    args: [
      { path: 'filter.fromDate', about: 'the first day', required: true },
      { path: 'filter.toDate', about: 'the day after the last', required: true },
      { path: 'filter.userIds', about: 'the user ids' },
      { path: 'aggregationPeriod', about: 'the period length', required: true },
      CURSOR,
    ],
    items: { key: 'usersAggregateActivity', schema: UserAggregateActivity },
  },
  coaching: {
    id: 'coaching',
    label: 'coaching per manager',
    access: 'read',
    scope: 'api:coaching:read',
    candidates: [
      { name: 'list_all_gong_coachings', resource: 'coachings', method: 'list' },
      { resource: 'coaching', method: 'list' },
    ],
    // Gong's own names for this endpoint are hyphenated (gong-api.md §4).
    args: [
      { path: 'workspace-id', about: 'the workspace' },
      { path: 'manager-id', about: "the manager's user id", required: true },
      { path: 'from', about: 'the window start', required: true },
      { path: 'to', about: 'the window end', required: true },
    ],
    items: { key: 'coachingData', schema: CoachingData },
  },
  scorecards: {
    id: 'scorecards',
    label: 'answered scorecards',
    access: 'read',
    scope: 'api:stats:scorecards',
    candidates: [
      { name: 'list_all_gong_activity_scorecards', resource: 'activity_scorecards', method: 'list' },
      { resource: 'stats_activity_scorecards', method: 'create' },
    ],
    args: [
      { path: 'filter.callFromDate', about: 'the first call day' },
      { path: 'filter.callToDate', about: 'the day after the last call day' },
      { path: 'filter.reviewFromDate', about: 'the first review day' },
      { path: 'filter.reviewToDate', about: 'the day after the last review day' },
      { path: 'filter.reviewedUserIds', about: 'the reviewed user ids' },
      { path: 'filter.scorecardIds', about: 'the scorecard ids' },
      CURSOR,
    ],
    items: { key: 'answeredScorecards', schema: AnsweredScorecard },
  },
  tasks: {
    id: 'tasks',
    label: 'Engage tasks',
    access: 'read',
    scope: 'api:tasks:read',
    // The seed lists a rep's tasks with `create_a_gong_task`: Gong's POST /v2/tasks is a read.
    candidates: [{ name: 'create_a_gong_task', resource: 'tasks', method: 'create' }],
    args: [
      { path: 'filter.userId', about: "the rep's user id", required: true },
      { path: 'filter.types', about: 'the task types' },
      { path: 'filter.taskAction', about: 'the task actions' },
      { path: 'filter.status', about: 'the statuses' },
      { path: 'filter.workspaceId', about: 'the workspace' },
    ],
    items: { key: 'tasks', schema: GongTask },
  },
  'task-update': {
    id: 'task-update',
    label: 'task update',
    access: 'write',
    scope: 'api:tasks:write',
    candidates: [{ name: 'update_a_gong_task_by_id', resource: 'tasks', method: 'update' }],
    args: [
      { path: 'id', about: 'the task id', required: true, aliases: ['taskId'] },
      { path: 'userId', about: "the task owner's user id", required: true },
      { path: 'status', about: 'the new status' },
      { path: 'dueDate', about: 'the new due date' },
      { path: 'priority', about: 'the new priority' },
    ],
    items: { single: true, schema: anyRecord },
  },
  'crm-entities': {
    id: 'crm-entities',
    label: 'CRM entities',
    access: 'read',
    scope: 'api:crm:get-objects',
    candidates: [{ name: 'list_all_gong_crm_entities', resource: 'crm_entities', method: 'list' }],
    args: [
      { path: 'integrationId', about: 'the CRM integration id', required: true },
      { path: 'objectType', about: 'the entity type', required: true },
      { path: 'objectsCrmIds', about: 'the CRM ids', required: true },
    ],
    items: { key: 'crmObjectsMap', gather: crmRecords, schema: CrmEntity },
  },
  'crm-upload': {
    id: 'crm-upload',
    label: 'CRM upload',
    access: 'write',
    scope: 'api:crm:upload',
    candidates: [{ name: 'create_a_gong_crm_entity', resource: 'crm_entities', method: 'create' }],
    args: [
      { path: 'integrationId', about: 'the CRM integration id', required: true },
      { path: 'objectType', about: 'the entity type', required: true },
      { path: 'clientRequestId', about: 'the upload id', required: true },
      { path: 'dataFile', about: 'the LDJSON file', required: true },
    ],
    items: { single: true, schema: anyRecord },
  },
  'crm-status': {
    id: 'crm-status',
    label: 'CRM request status',
    access: 'read',
    scope: 'api:crm:upload',
    candidates: [
      { name: 'list_all_gong_crm_request_status', resource: 'crm_request_status', method: 'list' },
      // Truto's `get` convention: the record id is the upload's clientRequestId.
      { name: 'get_single_gong_crm_request_status_by_id', resource: 'crm_request_status', method: 'get' },
    ],
    args: [
      { path: 'integrationId', about: 'the CRM integration id', required: true },
      { path: 'clientRequestId', about: 'the upload id', required: true, aliases: ['id'] },
    ],
    items: { single: true, schema: CrmRequestStatus },
  },
  'crm-integrations': {
    id: 'crm-integrations',
    label: 'CRM integrations',
    access: 'read',
    scope: 'api:crm:integrations:read',
    candidates: [{ name: 'list_all_gong_crm_integrations', resource: 'crm_integrations', method: 'list' }],
    args: [],
    items: { key: 'integrations', schema: CrmIntegration },
  },
  brief: {
    id: 'brief',
    label: 'AI brief',
    access: 'read',
    scope: 'api:ai-briefer:read',
    candidates: [
      { name: 'list_all_gong_entities_get_briefs', resource: 'entities_get_briefs', method: 'list' },
      { resource: 'entities_get_brief', method: 'list' },
    ],
    args: [
      { path: 'workspaceId', about: 'the workspace', required: true },
      { path: 'briefName', about: 'the brief name', required: true },
      { path: 'crmEntityType', about: 'the CRM entity type', required: true },
      { path: 'crmEntityId', about: 'the CRM entity id', required: true },
      { path: 'timePeriod', about: 'the period', required: true },
      { path: 'fromDateTime', about: 'the custom range start' },
      { path: 'toDateTime', about: 'the custom range end' },
    ],
    items: { single: true, gather: briefRecords, schema: GetBriefResponse },
  },
  workspaces: {
    id: 'workspaces',
    label: 'workspaces',
    access: 'read',
    scope: 'api:workspaces:read',
    candidates: [{ name: 'list_all_gong_workspaces', resource: 'workspaces', method: 'list' }],
    args: [],
    items: { key: 'workspaces', schema: Workspace },
  },
};

export const CAPABILITY_IDS = Object.keys(CAPABILITIES) as CapabilityId[];

/** The spec of a capability (typed by its id). */
export function capabilitySpec<K extends CapabilityId>(id: K): CapabilitySpec<CapabilityItems[K]> {
  return CAPABILITIES[id] as CapabilitySpec<CapabilityItems[K]>;
}

/** How a candidate reads in a message: its name, or `resource/method`. */
export function describeCandidate(c: ToolCandidate): string {
  return c.name ?? `${c.resource}/${c.method}`;
}
