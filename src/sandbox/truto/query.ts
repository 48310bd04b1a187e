/**
 * Query strings as Truto reads them: bracket notation for nested values (`filter[callIds][]=1`,
 * as `qs.stringify` writes them), plus repeated keys and comma lists for arrays.
 */

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type ParsedQuery = Record<string, QueryValue>;

/** `a[b][]` → ['a', 'b', '']; a key without brackets is one segment. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const head = key.slice(0, open);
  const rest = key.slice(open);
  const segments = [...rest.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  // Anything that isn't a clean run of [..] groups is taken literally, as qs does.
  if (segments.map((s) => `[${s}]`).join('') !== rest) return [key];
  return [head, ...segments];
}

function assign(target: Record<string, QueryValue>, segments: string[], value: string): void {
  const [first, ...rest] = segments;
  if (first === undefined) return;
  // Guard the object prototype: these keys come straight from the network.
  if (first === '__proto__' || first === 'constructor' || first === 'prototype') return;
  if (rest.length === 0) {
    const existing = target[first];
    if (existing === undefined) target[first] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') target[first] = [existing, value];
    return;
  }
  if (rest.length === 1 && rest[0] === '') {
    const existing = target[first];
    if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') target[first] = [existing, value];
    else if (existing === undefined) target[first] = [value];
    return;
  }
  let child = target[first];
  if (child === undefined || typeof child === 'string' || Array.isArray(child)) {
    child = {};
    target[first] = child;
  }
  assign(child, rest, value);
}

/** `{0: 'a', 1: 'b'}` (qs index format) → `['a', 'b']`, recursively. */
function normalise(value: QueryValue): QueryValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(normalise);
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, normalise(value[k] as QueryValue)] as const);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

export function parseQuery(search: URLSearchParams): ParsedQuery {
  const out: Record<string, QueryValue> = {};
  for (const [key, value] of search) assign(out, splitKey(key), value);
  return normalise(out) as ParsedQuery;
}

/** A value meant as a list: arrays as they are, strings split on commas, empty strings dropped. */
export function asList(value: QueryValue | undefined): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A scalar: the first string of an array, undefined for objects. */
export function asString(value: QueryValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return undefined;
}

/** The query as Gong receives it: flat keys, repeated keys as arrays (nested objects dropped). */
export function toGongQuery(query: ParsedQuery): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}
