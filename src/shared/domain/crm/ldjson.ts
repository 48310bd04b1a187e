/**
 * Local validation of an LDJSON upload before anything leaves the machine: every line must parse,
 * match its type's schema and belong to the file's one type. Line numbers count every line of the
 * file from 1, blank ones included, exactly as Gong numbers them in its request-status errors.
 */
import { BadInputError } from '../../platform/index.ts';
import { ALLOWS_CUSTOM_FIELDS, COMMON_FIELDS, CRM_OBJECT_TYPES, LINE_SCHEMAS, TYPE_FIELDS, type CrmObjectType } from './object-types.ts';

export interface LineError {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface LdjsonCheck {
  /** Non-blank lines, i.e. entities Gong will process. */
  entities: number;
  errors: LineError[];
}

/** Checks every line of `content` against `objectType`'s rules; never throws on bad content. */
export function checkLdjson(content: string, objectType: CrmObjectType): LdjsonCheck {
  const errors: LineError[] = [];
  let entities = 0;
  content.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    entities += 1;
    const message = checkLine(raw, objectType);
    if (message) errors.push({ line: i + 1, message });
  });
  if (entities === 0) errors.push({ line: 0, message: 'the file has no entities (every line is blank)' });
  return { entities, errors };
}

function checkLine(raw: string, objectType: CrmObjectType): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'each line must be one JSON object';
  const fields = Object.keys(value);
  const mixed = foreignType(value as Record<string, unknown>, fields, objectType);
  if (mixed) return mixed;
  const parsed = LINE_SCHEMAS[objectType].safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  if (!issue) return 'invalid line';
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} for ${objectType}`;
  return issue.message;
}

/** A line that names another type, or carries another type's standard fields: one type per file. */
function foreignType(value: Record<string, unknown>, fields: string[], objectType: CrmObjectType): string | undefined {
  const declared = value['objectType'];
  if (typeof declared === 'string' && declared !== objectType) {
    return `objectType ${declared} in a ${objectType} file (one type per file)`;
  }
  const own = new Set<string>([...COMMON_FIELDS, ...TYPE_FIELDS[objectType], 'objectType']);
  const foreign = fields.filter((f) => !own.has(f));
  if (foreign.length === 0) return undefined;
  const other = CRM_OBJECT_TYPES.find((t) => t !== objectType && foreign.some((f) => TYPE_FIELDS[t].includes(f)));
  if (!other) return undefined;
  const shown = foreign.filter((f) => TYPE_FIELDS[other].includes(f));
  // ACCOUNT and DEAL take custom fields, but not under another type's standard names.
  const why = ALLOWS_CUSTOM_FIELDS.has(objectType) ? '' : ` (${objectType} takes no custom fields)`;
  return `looks like a ${other} (${shown.join(', ')}) in a ${objectType} file: one type per file${why}`;
}

/** One line for the user: how many lines are bad and the first few by number. */
export function describeLineErrors(file: string, check: LdjsonCheck, shown = 5): string {
  const list = check.errors
    .slice(0, shown)
    .map((e) => (e.line === 0 ? e.message : `line ${e.line}: ${e.message}`))
    .join('; ');
  const more = check.errors.length > shown ? `; and ${check.errors.length - shown} more` : '';
  const count = check.errors.length === 1 && check.errors[0]?.line === 0 ? '' : `${check.errors.length} bad line${check.errors.length === 1 ? '' : 's'} of ${check.entities}: `;
  return `${file}: ${count}${list}${more}; nothing was uploaded`;
}

/** Throws one BadInputError naming the bad lines, or returns the count of entities. */
export function assertLdjson(file: string, content: string, objectType: CrmObjectType): number {
  const check = checkLdjson(content, objectType);
  if (check.errors.length > 0) throw new BadInputError(describeLineErrors(file, check));
  return check.entities;
}
