/**
 * Logical arguments (Gong's terms) → the keys a tool's own schema declares. Truto's schemas are
 * written per integration (truto-api.md, "Corrections"): the same value may be `filter.callIds`
 * nested in a body, a flat `callIds` or `call_ids`, a query parameter, or (for a `get` tool) the
 * path id. A logical argument finds its home by, in order:
 * 1. the record id of a get/update/delete tool, when it is (or is an alias of) `id`;
 * 2. walking its dotted path through the body, then the query schema, each segment matched exactly,
 *    then case-, `_`- and `-`-insensitively (`clientRequestId` = `client_request_id`); a free-form
 *    object (`{type: 'object'}` without properties) takes the rest of the path as is;
 * 3. a top-level key named like its last segment or its whole path (`call_ids`, `filter_call_ids`).
 * Nothing is guessed beyond that: a required argument without a home is an ArgumentHomeError
 * before any request, and the tool's own `required` keys must all be filled.
 */
import { ArgumentHomeError } from '../errors.ts';
import { looseKey } from '../truto/pagination.ts';
import type { TrutoTool } from '../truto/types.ts';
import { isFileArg } from '../truto/wire.ts';
import type { CapabilitySpec, LogicalArg } from './types.ts';

export interface ArgHome {
  where: 'path' | 'body' | 'query';
  /** The wire key and, for nested homes, the keys inside it: `['filter', 'callIds']`. */
  wire: string[];
}

const ID_ROUTED = new Set(['get', 'update', 'delete']);
/** Truto's own paging parameters: valid on list tools whether declared or not. */
const PAGING = new Set(['limit', 'next_cursor']);

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function propsOf(schema: unknown): Record<string, unknown> | undefined {
  return asRecord(asRecord(schema)?.properties);
}

function findKey(props: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(props, name)) return name;
  return Object.keys(props).find((k) => looseKey(k) === looseKey(name));
}

/** A property that takes any object: declared as an object (or untyped) without listed properties. */
function freeForm(schema: unknown): boolean {
  const s = asRecord(schema);
  if (!s || propsOf(s)) return false;
  return s.type === undefined || s.type === 'object';
}

function walk(props: Record<string, unknown> | undefined, segments: string[]): string[] | undefined {
  const [head, ...rest] = segments;
  if (!props || head === undefined) return undefined;
  const key = findKey(props, head);
  if (key === undefined) return undefined;
  if (rest.length === 0) return [key];
  const child = props[key];
  if (freeForm(child)) return [key, ...rest];
  const inner = walk(propsOf(child), rest);
  return inner ? [key, ...inner] : undefined;
}

/** Where `arg` goes in `tool`'s request, or undefined when its schema has no place for it. */
export function homeOf(tool: TrutoTool, arg: LogicalArg): ArgHome | undefined {
  const names = [arg.path, ...(arg.aliases ?? [])];
  if (ID_ROUTED.has(tool.method) && names.includes('id')) return { where: 'path', wire: ['id'] };
  const schemas = [['body', tool.body_schema], ['query', tool.query_schema]] as const;
  for (const name of names) {
    for (const [where, schema] of schemas) {
      const wire = walk(propsOf(schema), name.split('.'));
      if (wire) return { where, wire };
    }
  }
  for (const name of names) {
    const segments = name.split('.');
    if (segments.length < 2) continue;
    const wanted = new Set([looseKey(segments[segments.length - 1]!), looseKey(segments.join(''))]);
    for (const [where, schema] of schemas) {
      const key = Object.keys(propsOf(schema) ?? {}).find((k) => wanted.has(looseKey(k)));
      if (key !== undefined) return { where, wire: [key] };
    }
  }
  return undefined;
}

/**
 * Why `tool` cannot serve `spec` at all, or undefined when it can: a required logical argument
 * with no home, or a key the tool requires that no logical argument of the capability fills.
 */
export function unusableReason(tool: TrutoTool, spec: CapabilitySpec): ArgumentHomeError | undefined {
  const tops = new Set<string>();
  for (const arg of spec.args) {
    const home = homeOf(tool, arg);
    if (home) tops.add(home.wire[0]!);
    else if (arg.required) {
      return new ArgumentHomeError(tool.name, arg.path, `${tool.name} declares no argument for ${arg.path} (${arg.about}), which ${spec.label} needs`);
    }
  }
  for (const key of tool.required ?? []) {
    // A schema may list a nested requirement dotted (`filter.callIds`): its top key must have a home.
    const top = key.split('.')[0]!;
    if (tops.has(top) || (ID_ROUTED.has(tool.method) && key === 'id') || PAGING.has(key)) continue;
    return new ArgumentHomeError(tool.name, key, `${tool.name} requires \`${key}\`, which the fleet has no value for (serving ${spec.label})`);
  }
  return undefined;
}

/**
 * Logical values (nested in Gong's shape, `{filter: {callIds}}`, or dotted, `{'filter.callIds'}`)
 * as a map from each declared argument path to its value. A key the capability does not declare
 * is a programming error, reported before any request.
 */
export function flattenValues(spec: CapabilitySpec, values: Record<string, unknown>, tool: string): Map<string, unknown> {
  const declared = new Set(spec.args.map((a) => a.path));
  const out = new Map<string, unknown>();
  const visit = (obj: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      if (value === undefined) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const nested = asRecord(value);
      if (declared.has(path)) out.set(path, value);
      else if (nested && !isFileArg(value) && [...declared].some((d) => d.startsWith(`${path}.`))) visit(nested, path);
      else throw new ArgumentHomeError(tool, path, `${spec.label} has no argument ${path} (it takes ${[...declared].join(', ') || 'none'})`);
    }
  };
  visit(values, '');
  return out;
}

function setAt(target: Record<string, unknown>, wire: string[], value: unknown): void {
  let node = target;
  for (const key of wire.slice(0, -1)) {
    const next = asRecord(node[key]);
    node = next ?? (node[key] = {});
  }
  node[wire[wire.length - 1]!] = value;
}

export interface WireArgs {
  /** The arguments as the tool's schema names them, for TrutoClient (`id` = the path id). */
  args: Record<string, unknown>;
  /** Optional logical arguments given a value that the tool has no home for: left out. */
  omitted: string[];
}

/**
 * The tool's arguments for these logical values. Optional arguments without a home are left out
 * and listed (`omitted`); callers that lose something by it check `supports` first and say so.
 */
export function wireArgs(tool: TrutoTool, spec: CapabilitySpec, values: Record<string, unknown>): WireArgs {
  const args: Record<string, unknown> = {};
  const omitted: string[] = [];
  for (const [path, value] of flattenValues(spec, values, tool.name)) {
    const arg = spec.args.find((a) => a.path === path)!;
    const home = homeOf(tool, arg);
    if (home) setAt(args, home.wire, value);
    else if (arg.required) throw new ArgumentHomeError(tool.name, path, `${tool.name} declares no argument for ${path} (${arg.about})`);
    else omitted.push(path);
  }
  assertRequiredFilled(tool, spec, args);
  return { args, omitted };
}

function valueAt(obj: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = obj;
  for (const key of path) node = asRecord(node)?.[key];
  return node;
}

/** The tool's `required` keys (and the `required` of its object properties) all have a value. */
function assertRequiredFilled(tool: TrutoTool, spec: CapabilitySpec, args: Record<string, unknown>): void {
  for (const key of tool.required ?? []) {
    if (valueAt(args, key.split('.')) !== undefined || (tool.method === 'list' && PAGING.has(key))) continue;
    const arg = spec.args.find((a) => homeOf(tool, a)?.wire.join('.') === key) ?? spec.args.find((a) => homeOf(tool, a)?.wire[0] === key);
    const what = arg ? `${arg.path} (${arg.about})` : `\`${key}\``;
    throw new ArgumentHomeError(tool.name, arg?.path ?? key, `${tool.name} requires ${what} and no value was given for ${spec.label}`);
  }
  for (const [key, value] of Object.entries(args)) {
    const schema = asRecord(propsOf(tool.body_schema)?.[key]) ?? asRecord(propsOf(tool.query_schema)?.[key]);
    const required = schema?.required;
    const obj = asRecord(value);
    if (!obj || !Array.isArray(required)) continue;
    const missing = required.filter((r): r is string => typeof r === 'string' && obj[r] === undefined);
    if (missing.length > 0) {
      throw new ArgumentHomeError(tool.name, `${key}.${missing[0]}`, `${tool.name} requires ${key}.${missing.join(`, ${key}.`)} and no value was given for ${spec.label}`);
    }
  }
}

/** `args` with `value` set at the home of `arg` (e.g. the next page's cursor), as a copy. */
export function withArgAt(args: Record<string, unknown>, home: ArgHome, value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  setAt(copy, home.wire, value);
  return copy;
}
