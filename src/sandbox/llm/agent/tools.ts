/**
 * The tools a request offers, as the planner understands them: which capability each one is (by
 * Truto's naming convention, whatever profile named it) and where each argument goes in its JSON
 * schema. Arguments are written once in Gong's camelCase terms and placed like a model reading the
 * schema would: matched case-, underscore- and hyphen-insensitively at the top level, or inside a
 * nested object such as `filter`; a key the schema doesn't offer is left out.
 */
import { isRecord, type ProtocolError } from './protocol.ts';

export type Capability =
  | 'users' | 'usersExtensive' | 'calls' | 'callsExtensive' | 'transcripts' | 'workspaces'
  | 'aggregate' | 'coaching' | 'scorecards' | 'briefs' | 'tasks' | 'taskUpdate'
  | 'crmUpload' | 'crmEntities' | 'crmStatus' | 'crmIntegrations'
  | 'summarizeCalls' | 'dealAutopsy' | 'readResult';

/** The fleet's built-in tools (docs/agent-protocol.md). */
export const BUILTINS = { summarizeCalls: 'summarize_calls', dealAutopsy: 'deal_autopsy', readResult: 'read_result' } as const;

type Verb = 'list' | 'get' | 'create' | 'update' | 'delete';

interface Slot {
  /** Property name as the schema spells it. */
  key: string;
  /** The top-level object property it sits in (e.g. `filter`), if nested. */
  parent?: string;
  type?: string;
}

export interface OfferedTool {
  name: string;
  capability?: Capability;
  verb?: Verb;
  parameters: Record<string, unknown>;
  /** Normalised property name → where it goes. Top-level names win over nested ones. */
  slots: Map<string, Slot>;
  required: string[];
}

const VERBS: Record<string, Verb> = { list_all: 'list', get_single: 'get', create_a: 'create', update_a: 'update', delete_a: 'delete' };
const NAME_RE = /^(list_all|get_single|create_a|update_a|delete_a)_(?:gong_)?(.+?)(?:_by_id)?$/;
const TOOL_NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

const RULES: Array<{ capability: Capability; resource: RegExp; verbs?: Verb[] }> = [
  { capability: 'usersExtensive', resource: /^users?_extensive$/ },
  { capability: 'users', resource: /^users?$/, verbs: ['list'] },
  { capability: 'callsExtensive', resource: /^calls?_extensive$/ },
  { capability: 'transcripts', resource: /^calls?_transcripts?$/ },
  { capability: 'calls', resource: /^calls?$/, verbs: ['list'] },
  { capability: 'workspaces', resource: /^workspaces?$/, verbs: ['list'] },
  { capability: 'aggregate', resource: /activity_aggregate/ },
  { capability: 'coaching', resource: /^coachings?$/ },
  { capability: 'scorecards', resource: /scorecards?$/, verbs: ['list', 'create'] },
  { capability: 'briefs', resource: /briefs?$/ },
  { capability: 'taskUpdate', resource: /^tasks?$/, verbs: ['update'] },
  { capability: 'tasks', resource: /^tasks?$/, verbs: ['list', 'create'] },
  { capability: 'crmStatus', resource: /^crm_request_status(es)?$/ },
  { capability: 'crmIntegrations', resource: /^crm_integrations?$/, verbs: ['list', 'get'] },
  { capability: 'crmUpload', resource: /^crm_entit(y|ies)$/, verbs: ['create'] },
  { capability: 'crmEntities', resource: /^crm_entit(y|ies)$/, verbs: ['list'] },
];

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function classify(name: string): { capability?: Capability; verb?: Verb } {
  if (name === BUILTINS.summarizeCalls) return { capability: 'summarizeCalls' };
  if (name === BUILTINS.dealAutopsy) return { capability: 'dealAutopsy' };
  if (name === BUILTINS.readResult) return { capability: 'readResult' };
  const m = NAME_RE.exec(name);
  if (!m) return {};
  const verb = VERBS[m[1]!];
  const rule = RULES.find((r) => r.resource.test(m[2]!) && (!r.verbs || (verb && r.verbs.includes(verb))));
  return { ...(rule ? { capability: rule.capability } : {}), ...(verb ? { verb } : {}) };
}

function slotsOf(parameters: Record<string, unknown>): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  const props = isRecord(parameters['properties']) ? parameters['properties'] : {};
  for (const [key, schema] of Object.entries(props)) {
    const type = isRecord(schema) && typeof schema['type'] === 'string' ? schema['type'] : undefined;
    slots.set(normalise(key), { key, ...(type ? { type } : {}) });
  }
  for (const [parent, schema] of Object.entries(props)) {
    if (!isRecord(schema) || !isRecord(schema['properties'])) continue;
    for (const [key, inner] of Object.entries(schema['properties'])) {
      const name = normalise(key);
      if (slots.has(name)) continue;
      const type = isRecord(inner) && typeof inner['type'] === 'string' ? inner['type'] : undefined;
      slots.set(name, { key, parent, ...(type ? { type } : {}) });
    }
  }
  return slots;
}

/** The request's `tools`, or OpenAI's 400 for a malformed entry. */
export function readTools(tools: unknown): OfferedTool[] | ProtocolError {
  if (!Array.isArray(tools)) return { message: "Invalid type for 'tools': expected an array of objects.", param: 'tools' };
  const out: OfferedTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i] as unknown;
    const fn = isRecord(t) ? t['function'] : undefined;
    if (!isRecord(t) || t['type'] !== 'function' || !isRecord(fn)) {
      return { message: `Invalid value for 'tools[${i}]': expected {type: 'function', function: {name, description, parameters}}.`, param: `tools[${i}]` };
    }
    const name = fn['name'];
    if (typeof name !== 'string' || !TOOL_NAME_RE.test(name)) {
      return { message: `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, param: `tools[${i}].function.name` };
    }
    const parameters = isRecord(fn['parameters']) ? fn['parameters'] : { type: 'object', properties: {} };
    const required = Array.isArray(parameters['required']) ? parameters['required'].filter((r): r is string => typeof r === 'string') : [];
    out.push({ name, ...classify(name), parameters, slots: slotsOf(parameters), required });
  }
  return out;
}

/** Places Gong-named arguments into `tool`'s schema; keys the schema lacks are dropped. */
export function buildArgs(tool: OfferedTool, logical: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(logical)) {
    if (raw === undefined) continue;
    const slot = tool.slots.get(normalise(name));
    if (!slot) continue;
    const value = coerce(raw, slot.type);
    if (slot.parent) {
      const parent = isRecord(args[slot.parent]) ? (args[slot.parent] as Record<string, unknown>) : {};
      parent[slot.key] = value;
      args[slot.parent] = parent;
    } else {
      args[slot.key] = value;
    }
  }
  // A required object nobody filled (Gong's POST reads require a `filter`) goes out empty.
  const props = isRecord(tool.parameters['properties']) ? tool.parameters['properties'] : {};
  for (const key of tool.required) {
    const schema = props[key];
    if (args[key] === undefined && isRecord(schema) && schema['type'] === 'object') args[key] = {};
  }
  return args;
}

/** Whether `tool` has a property matching `name` (anywhere `buildArgs` would put it). */
export function accepts(tool: OfferedTool, name: string): boolean {
  return tool.slots.has(normalise(name));
}

function coerce(value: unknown, type: string | undefined): unknown {
  if (type === 'array' && !Array.isArray(value)) return [value];
  if ((type === 'integer' || type === 'number') && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return value;
}
