/**
 * A tool's argument keys per profile, and the way back. `camel` declares Gong's own keys and
 * nesting (`filter.callIds`); `snake` declares every key snake_case with a body `filter`'s fields
 * flattened to the top (`call_ids`), the way a Truto integration author might write the schema.
 * Either way the sandbox's Truto maps what arrives back to Gong's request, and, like Truto,
 * ignores arguments the schema does not declare: they are reported, never forwarded, so a client
 * that sends the wrong keys meets Gong's own 400 for the missing field.
 */
import type { ArgStyle } from './profile.ts';
import type { CatalogTool, JsonSchema, ObjectSchema } from './catalog-schema.ts';
import type { ParsedQuery, QueryValue } from './query.ts';

/** One declared argument: its key on the wire and where it lands in Gong's (canonical) request. */
export interface ArgSpec {
  wire: string;
  /** e.g. `['filter', 'callIds']` for snake `call_ids`, `['filter']` for camel `filter`. */
  path: string[];
  /** The canonical schema of the value; nested properties are mapped key by key. */
  schema: JsonSchema;
}

export interface ToolArgs {
  query_schema: ObjectSchema;
  body_schema: ObjectSchema;
  required: string[];
  query: Map<string, ArgSpec>;
  body: Map<string, ArgSpec>;
}

export const toSnake = (key: string): string => key.replace(/-/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
export const toCamel = (key: string): string => key.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const propsOf = (s: JsonSchema): Record<string, JsonSchema> | undefined =>
  isRecord(s.properties) ? (s.properties as Record<string, JsonSchema>) : undefined;

/** The schema as a snake-style `/tools` shows it: nested property names and `required` renamed. */
function snakeSchema(s: JsonSchema): JsonSchema {
  const props = propsOf(s);
  if (!props) return s;
  const out: JsonSchema = { ...s, properties: Object.fromEntries(Object.entries(props).map(([k, v]) => [toSnake(k), snakeSchema(v)])) };
  if (Array.isArray(s.required)) out.required = (s.required as string[]).map(toSnake);
  return out;
}

/** A body `filter` with declared fields is what snake style flattens (Gong's POST reads). */
const flattens = (key: string, s: JsonSchema): boolean => key === 'filter' && propsOf(s) !== undefined;

function specsFor(schemaProps: Record<string, JsonSchema>, style: ArgStyle, inBody: boolean): { props: Record<string, JsonSchema>; specs: ArgSpec[]; required: string[] } {
  const props: Record<string, JsonSchema> = {};
  const specs: ArgSpec[] = [];
  const required: string[] = [];
  for (const [key, s] of Object.entries(schemaProps)) {
    if (style === 'camel') {
      props[key] = s;
      specs.push({ wire: key, path: [key], schema: s });
    } else if (inBody && flattens(key, s)) {
      const inner = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      for (const [fk, fs] of Object.entries(propsOf(s)!)) {
        const wire = toSnake(fk);
        props[wire] = snakeSchema(fs);
        specs.push({ wire, path: [key, fk], schema: fs });
        if (inner.has(fk)) required.push(wire);
      }
    } else {
      const wire = toSnake(key);
      props[wire] = snakeSchema(s);
      specs.push({ wire, path: [key], schema: s });
    }
  }
  return { props, specs, required };
}

/** The tool's schemas, `required` and argument map in `style`; `dropBodyKeys` are left out (Truto owns them). */
export function toolArgs(tool: CatalogTool, style: ArgStyle, dropBodyKeys: readonly string[] = []): ToolArgs {
  const bodyProps = Object.fromEntries(Object.entries(tool.body_schema.properties).filter(([k]) => !dropBodyKeys.includes(k)));
  const q = specsFor(tool.query_schema.properties, style, false);
  const b = specsFor(bodyProps, style, true);
  const flattenedAway = new Set(style === 'snake' ? Object.entries(bodyProps).filter(([k, s]) => flattens(k, s)).map(([k]) => k) : []);
  const required = [
    ...tool.required.filter((k) => !flattenedAway.has(k)).map((k) => (style === 'snake' ? toSnake(k) : k)),
    ...b.required,
  ];
  return {
    query_schema: { type: 'object', properties: q.props },
    body_schema: { type: 'object', properties: b.props },
    required: [...new Set(required)],
    query: new Map(q.specs.map((s) => [s.wire, s])),
    body: new Map(b.specs.map((s) => [s.wire, s])),
  };
}

/** Keys of a free-form object, camelised all the way down (snake style only). */
function deepCamel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCamel);
  if (!isRecord(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [toCamel(k), deepCamel(x)]));
}

/** A value mapped through its canonical schema; undeclared nested keys are reported and dropped. */
function mapValue(value: unknown, s: JsonSchema, style: ArgStyle, where: string, unknown: string[]): unknown {
  const props = propsOf(s);
  if (!isRecord(value)) return value;
  if (!props) return style === 'snake' ? deepCamel(value) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const canonical = Object.keys(props).find((p) => (style === 'snake' ? toSnake(p) === k : p === k));
    if (canonical === undefined) unknown.push(`${where}.${k}`);
    else out[canonical] = mapValue(v, props[canonical]!, style, `${where}.${k}`, unknown);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export interface WireArgs {
  query: ParsedQuery;
  body?: unknown;
  files?: Record<string, Buffer>;
}

export interface MappedArgs {
  query: ParsedQuery;
  body?: unknown;
  files?: Record<string, Buffer>;
  /** Argument keys the schema does not declare (nested ones dotted: `filter.foo`). */
  unknown: string[];
}

/**
 * What arrived, mapped to Gong's keys. `reserved` query keys (Truto's own, e.g. paging) are
 * neither mapped nor reported; the caller reads them from the raw query.
 */
export function mapArgs(args: ToolArgs, style: ArgStyle, wire: WireArgs, reserved: ReadonlySet<string>): MappedArgs {
  const unknown: string[] = [];
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wire.query)) {
    if (reserved.has(key) || key.startsWith('truto_')) continue;
    const spec = args.query.get(key);
    if (!spec) unknown.push(key);
    else setPath(query, spec.path, mapValue(value, spec.schema, style, key, unknown));
  }
  const out: MappedArgs = { query: query as Record<string, QueryValue>, unknown };
  if (isRecord(wire.body)) {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(wire.body)) {
      const spec = args.body.get(key);
      if (!spec) unknown.push(key);
      else setPath(body, spec.path, mapValue(value, spec.schema, style, key, unknown));
    }
    out.body = body;
  } else if (wire.body !== undefined) {
    // Not an object (an array, a string): passed on as sent, for Gong to refuse.
    out.body = wire.body;
  }
  if (wire.files) {
    const files: Record<string, Buffer> = {};
    for (const [key, file] of Object.entries(wire.files)) {
      const spec = args.body.get(key);
      if (!spec) unknown.push(key);
      else files[spec.path.join('.')] = file;
    }
    out.files = files;
  }
  return out;
}
