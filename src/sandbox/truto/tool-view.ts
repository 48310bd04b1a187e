/**
 * The tools one sandbox profile exposes: the full or seed catalog, each tool's schemas in the
 * profile's argument style, and (for Gong POST reads) the profile's answer shape. `/tools` and the
 * proxy both read this view, so what is listed is exactly what routes.
 */
import { LIST_PAGING, type CatalogTool, type ObjectSchema } from './catalog-schema.ts';
import { toolArgs, type ToolArgs } from './arg-style.ts';
import type { BodyMode, TrutoProfile } from './profile.ts';
import { SEED_CATALOG } from './seed-tools.ts';
import { TOOL_CATALOG } from './tool-catalog.ts';

export interface ProfileTool {
  /** The canonical catalog entry: Gong endpoint, scope, where items sit in Gong's body. */
  base: CatalogTool;
  name: string;
  resource: string;
  method: CatalogTool['method'];
  description: string;
  tags: string[];
  scope: string;
  args: ToolArgs;
  /** Set on Gong POST reads exposed as create tools: how Truto answers them. */
  bodies?: BodyMode;
  /** Query keys Truto itself reads for paging (`limit`, `next_cursor`); never forwarded, never unknown. */
  paging: ReadonlySet<string>;
}

const PAGING_KEYS: ReadonlySet<string> = new Set(Object.keys(LIST_PAGING));
const NO_KEYS: ReadonlySet<string> = new Set();

function viewOf(tool: CatalogTool, profile: TrutoProfile): ProfileTool {
  const read = tool.readItems !== undefined && tool.method === 'create';
  const trutoPages = read && profile.bodies !== 'gong';
  // When Truto unwraps or collects a POST read, Gong's body `cursor` is Truto's business, not an argument.
  const args = toolArgs(tool, profile.argStyle, trutoPages ? ['cursor'] : []);
  if (read && profile.bodies === 'unwrapped') {
    const query: ObjectSchema = { type: 'object', properties: { ...args.query_schema.properties, ...LIST_PAGING } };
    args.query_schema = query;
  }
  return {
    base: tool,
    name: tool.name,
    resource: tool.resource,
    method: tool.method,
    description: tool.description,
    tags: tool.tags,
    scope: tool.scope,
    args,
    ...(read ? { bodies: profile.bodies } : {}),
    paging: tool.method === 'list' || (read && profile.bodies === 'unwrapped') ? PAGING_KEYS : NO_KEYS,
  };
}

export function buildToolView(profile: TrutoProfile): ProfileTool[] {
  const catalog = profile.tools === 'seed' ? SEED_CATALOG : TOOL_CATALOG;
  return catalog.map((t) => viewOf(t, profile));
}

/** A tool as `GET /integrated-account/:id/tools` shows it (routing details stay private). */
export function publicTool(t: ProfileTool): Record<string, unknown> {
  return {
    name: t.name,
    // Truto keeps a method without a description as null; the official toolset reads it as ''.
    description: t.description || null,
    resource: t.resource,
    method: t.method,
    query_schema: t.args.query_schema,
    body_schema: t.args.body_schema,
    required: t.args.required,
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

/** The tools `/tools` lists: those `scopes` allow (every tool when undefined), after Truto's filters. */
export function toolsFor(tools: readonly ProfileTool[], scopes: readonly string[] | undefined, filter: ToolFilter = {}): ProfileTool[] {
  const granted = scopes ? new Set(scopes) : undefined;
  const methods = filter.methods?.map((m) => m.toLowerCase());
  const tags = filter.tags?.map((t) => t.toLowerCase());
  return tools.filter((t) => {
    if (granted && !granted.has(t.scope)) return false;
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

/** The tool serving `method` on `resource` in this view, if any. */
export function findTool(tools: readonly ProfileTool[], resource: string, method: string): ProfileTool | undefined {
  return tools.find((t) => t.resource === resource && t.method === method);
}

export function hasResource(tools: readonly ProfileTool[], resource: string): boolean {
  return tools.some((t) => t.resource === resource);
}
