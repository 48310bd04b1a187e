/**
 * Any schema the sandbox has no responder for gets the smallest valid instance of its JSON schema,
 * so an unknown prompt still round-trips through `parse()` instead of failing the caller.
 */

const MAX_DEPTH = 32;

type Schema = Record<string, unknown>;

export function minimalInstance(schema: unknown): unknown {
  const root = isSchema(schema) ? schema : {};
  return walk(root, root, 0);
}

function walk(schema: Schema, root: Schema, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  const ref = schema['$ref'];
  if (typeof ref === 'string') return walk(resolveRef(ref, root), root, depth + 1);
  if ('const' in schema) return schema['const'];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues) && enumValues.length > 0) return enumValues[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0 && isSchema(options[0])) {
      return walk(options[0], root, depth + 1);
    }
  }
  const declared = schema['type'];
  const type = Array.isArray(declared) ? declared[0] : declared;
  switch (type) {
    case 'object': {
      const properties = isSchema(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? schema['required'] : [];
      const out: Record<string, unknown> = {};
      for (const name of required) {
        if (typeof name !== 'string') continue;
        const prop = properties[name];
        out[name] = walk(isSchema(prop) ? prop : {}, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const minItems = typeof schema['minItems'] === 'number' ? Math.min(schema['minItems'], 16) : 0;
      const items = isSchema(schema['items']) ? schema['items'] : {};
      return Array.from({ length: minItems }, () => walk(items, root, depth + 1));
    }
    case 'string':
      return typeof schema['minLength'] === 'number' ? 'x'.repeat(Math.min(schema['minLength'], 1024)) : '';
    case 'number':
    case 'integer':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** Local refs only (`#/$defs/x`, `#/definitions/x`, `#`): that is all structured outputs allow. */
function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#')) return {};
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return isSchema(node) ? node : {};
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
