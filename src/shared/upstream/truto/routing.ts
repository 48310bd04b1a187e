/**
 * Turns a tool plus flat arguments into a proxy request, as Truto's own toolset does
 * (truto-api.md §2, §7): dispatch on `method`, split args by the schemas' property keys, `id` into
 * the path. The tool name is a label only and is never parsed.
 */
import { NonRetryableError } from '../../platform/index.ts';
import type { TrutoTool } from './types.ts';
import { isFileArg } from './wire.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ProxyRequest {
  httpMethod: HttpMethod;
  /** e.g. `/proxy/tasks/77`. */
  path: string;
  /** Always holds `integrated_account_id`. */
  query: Record<string, unknown>;
  /** Undefined for GET and DELETE. */
  body: Record<string, unknown> | undefined;
  /** True when a body value is a file: send multipart/form-data. */
  multipart: boolean;
  /**
   * Argument keys the schemas do not declare, nested ones dotted (`filter.foo`): Truto's toolset
   * would drop them. The client refuses to send a request that has any (DroppedArgumentError).
   */
  droppedKeys: string[];
}

const ROUTES: Record<string, { http: HttpMethod; withId: boolean; hasBody: boolean }> = {
  list: { http: 'GET', withId: false, hasBody: false },
  get: { http: 'GET', withId: true, hasBody: false },
  create: { http: 'POST', withId: false, hasBody: true },
  update: { http: 'PATCH', withId: true, hasBody: true },
  delete: { http: 'DELETE', withId: true, hasBody: false },
};

const LIST_PARAMS = new Set(['limit', 'next_cursor']);

function schemaKeys(schema: TrutoTool['query_schema']): Set<string> {
  return new Set(Object.keys(schema?.properties ?? {}));
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Keys inside an object value that its property schema does not declare. Only a schema that lists
 * `properties` constrains its value; a free-form object (`{type: 'object'}`) accepts any key.
 */
function undeclaredNested(propSchema: unknown, value: unknown, where: string, out: string[]): void {
  const props = asRecord(asRecord(propSchema)?.properties);
  const obj = asRecord(value);
  if (!props || !obj || isFileArg(value)) return;
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!Object.hasOwn(props, k)) out.push(`${where}.${k}`);
    else undeclaredNested(props[k], v, `${where}.${k}`, out);
  }
}

function encodePath(segment: string): string {
  return segment.split('/').map(encodeURIComponent).join('/');
}

/** Builds the proxy request for one call of `tool` on `accountId`. */
export function buildProxyRequest(tool: TrutoTool, accountId: string, args: Record<string, unknown>): ProxyRequest {
  const route = ROUTES[tool.method];
  const custom = route === undefined;
  const withId = route?.withId ?? false;
  const hasBody = route?.hasBody ?? true;

  let path = `/proxy/${encodePath(tool.resource)}`;
  if (withId) {
    const id = args.id;
    if (id === undefined || id === null || String(id) === '') {
      throw new NonRetryableError(`${tool.name}: argument \`id\` is required for a ${tool.method} tool`);
    }
    path += `/${encodeURIComponent(String(id))}`;
  }
  // Custom methods are always POST /proxy/{resource}/{method} (truto-api.md §2).
  if (custom) path += `/${encodePath(tool.method)}`;

  const queryKeys = schemaKeys(tool.query_schema);
  const bodyKeys = schemaKeys(tool.body_schema);
  const query: Record<string, unknown> = { integrated_account_id: accountId };
  const body: Record<string, unknown> = {};
  const droppedKeys: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    // The id already travels in the path; repeating it in ?id= (as the toolset does) adds nothing.
    if (withId && key === 'id') continue;
    if (key === 'integrated_account_id') continue;
    // Truto's list paging params are valid on every list tool, declared or not (truto-api.md §7).
    const inQuery = queryKeys.has(key) || (tool.method === 'list' && LIST_PARAMS.has(key));
    const inBody = hasBody && bodyKeys.has(key);
    if (inQuery) query[key] = value;
    if (inBody) body[key] = value;
    if (!inQuery && !inBody) droppedKeys.push(key);
    else if (value !== undefined) undeclaredNested((inBody ? tool.body_schema : tool.query_schema)?.properties?.[key], value, key, droppedKeys);
  }

  return {
    httpMethod: route?.http ?? 'POST',
    path,
    query,
    body: hasBody ? body : undefined,
    multipart: hasBody && Object.values(body).some(isFileArg),
    droppedKeys,
  };
}

/** True for tools whose reads follow Truto's `{result, next_cursor}` list envelope. */
export function isListTool(tool: TrutoTool): boolean {
  return tool.method === 'list';
}
