/**
 * Which Gong tools may run where. Gong exposes several reads as POSTs, so Truto names them
 * `create_a_…` (e.g. `create_a_gong_calls_transcript`, and `create_a_gong_task`, which the seed uses
 * to *list* a rep's tasks): the HTTP verb cannot tell a read from a write. This table can. Jobs that
 * feed an LLM (summaries, sweeps, the generic tool job) may only use READ tools, so text inside a
 * transcript can never trigger a write; write tools run only from explicit write jobs.
 */
export const READ_TOOLS = new Set([
  'list_all_gong_calls',
  'get_single_gong_call_by_id',
  'create_a_gong_calls_extensive',
  'create_a_gong_calls_transcript',
  'list_all_gong_users',
  'get_single_gong_user_by_id',
  // POST /v2/users/extensive: a read (users with their join dates), like the other POST reads.
  'create_a_gong_users_extensive',
  'create_a_gong_activity_aggregate_by_period',
  'list_all_gong_coachings',
  'list_all_gong_activity_scorecards',
  'list_all_gong_entities_get_briefs',
  'create_a_gong_task',
  'list_all_gong_crm_entities',
  'list_all_gong_crm_request_status',
  'get_single_gong_crm_request_status_by_id',
  'list_all_gong_crm_integrations',
  'list_all_gong_workspaces',
]);

export const WRITE_TOOLS = new Set(['update_a_gong_task_by_id', 'create_a_gong_crm_entity']);

export type ToolAccess = 'read' | 'write';

/**
 * The Gong OAuth scope each known tool needs (gong-api.md §7). Truto's `/tools` lists only what an
 * account's scopes allow, so a known tool missing from that list means a missing scope, not a
 * typo: the error can name the scope and the fix (re-consent in Truto) instead of guessing names.
 */
export const TOOL_SCOPES: Readonly<Record<string, string>> = {
  list_all_gong_calls: 'api:calls:read:basic',
  get_single_gong_call_by_id: 'api:calls:read:basic',
  create_a_gong_calls_extensive: 'api:calls:read:extensive',
  create_a_gong_calls_transcript: 'api:calls:read:transcript',
  list_all_gong_users: 'api:users:read',
  get_single_gong_user_by_id: 'api:users:read',
  create_a_gong_users_extensive: 'api:users:read',
  list_all_gong_workspaces: 'api:workspaces:read',
  create_a_gong_activity_aggregate_by_period: 'api:stats:user-actions',
  list_all_gong_coachings: 'api:coaching:read',
  list_all_gong_activity_scorecards: 'api:stats:scorecards',
  list_all_gong_entities_get_briefs: 'api:ai-briefer:read',
  create_a_gong_task: 'api:tasks:read',
  update_a_gong_task_by_id: 'api:tasks:write',
  create_a_gong_crm_entity: 'api:crm:upload',
  list_all_gong_crm_entities: 'api:crm:get-objects',
  list_all_gong_crm_request_status: 'api:crm:upload',
  get_single_gong_crm_request_status_by_id: 'api:crm:upload',
  list_all_gong_crm_integrations: 'api:crm:integrations:read',
};

/** The Gong scope a known tool needs, or undefined for a tool this table does not know. */
export function requiredScope(name: string): string | undefined {
  return Object.hasOwn(TOOL_SCOPES, name) ? TOOL_SCOPES[name] : undefined;
}

/** Unknown tools count as writes: a new tool must be classified before a read job may use it. */
export function toolAccess(name: string): ToolAccess {
  return READ_TOOLS.has(name) ? 'read' : 'write';
}
