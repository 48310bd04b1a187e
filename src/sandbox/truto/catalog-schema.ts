/**
 * The shape of a catalog tool and the small JSON Schema builders the catalogs share. A catalog
 * tool is canonical: Gong's own camelCase keys and nesting. Profiles (arg-style.ts, tool-view.ts)
 * derive what `/tools` shows from it.
 */

export type JsonSchema = Record<string, unknown>;

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
}

export interface CatalogTool {
  name: string;
  /** Proxy resource, e.g. `calls_transcript`. */
  resource: string;
  /** Truto method: list | get | create | update | delete. */
  method: 'list' | 'get' | 'create' | 'update' | 'delete';
  /** Empty = no description: `/tools` hides the tool unless asked with `has_description=false`. */
  description: string;
  tags: string[];
  /** Gong OAuth scope the call needs (gong-api.md §7). */
  scope: string;
  /**
   * The Gong endpoint behind it; `:id` is replaced by the proxy id, or, with `idQuery`, the proxy
   * id becomes that Gong query parameter (e.g. request-status by `clientRequestId`).
   */
  gong: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; idQuery?: string };
  query_schema: ObjectSchema;
  body_schema: ObjectSchema;
  required: string[];
  /** list tools: where the records sit in Gong's body. */
  listFrom?: (gongBody: Record<string, unknown>) => unknown[];
  /**
   * list tools backed by a Gong POST read: query keys moved into the body's `filter`. Gong requires
   * a filter there even when all its fields are optional, so an empty one is sent if none is given.
   */
  filterKeys?: string[];
  /**
   * A Gong POST read exposed as a create tool: the key of its items in Gong's body. The profile's
   * `bodies` mode decides whether Truto answers Gong's body, the unwrapped items or a bare array.
   */
  readItems?: string;
}

export const str = (description: string): JsonSchema => ({ type: 'string', description });
export const strList = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });
export const obj = (description: string, properties: Record<string, JsonSchema>, required?: string[]): JsonSchema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});
export const schema = (properties: Record<string, JsonSchema> = {}): ObjectSchema => ({ type: 'object', properties });

export const ID = { id: str('The ID of the record.') };
export const LIST_PAGING = {
  limit: { type: 'integer', description: 'Maximum number of records on a page.' },
  next_cursor: str('Cursor from the previous page; omit or leave empty for the first page.'),
};
export const CURSOR = { cursor: str("Gong's `records.cursor` from the previous page; omit for the first page.") };
export const CALL_FILTER = obj('Which calls to read.', {
  fromDateTime: str('Calls that started on or after this ISO-8601 date-time.'),
  toDateTime: str('Calls that started before this ISO-8601 date-time (exclusive).'),
  workspaceId: str('Only calls of this workspace.'),
  callIds: strList('Only these call IDs (within the date range). Must not be an empty list.'),
  primaryUserIds: strList('Only calls hosted by these Gong user IDs.'),
});

export const arrayAt = (key: string) => (body: Record<string, unknown>): unknown[] => {
  const value = body[key];
  return Array.isArray(value) ? value : [];
};
/** A single Gong object (no list in the body): the whole body minus `requestId`, as one record. */
export const single = (body: Record<string, unknown>): unknown[] => {
  const { requestId: _requestId, ...rest } = body;
  return [rest];
};

