/**
 * How tool results are shown to the model: compact JSON (keys whose value is null, false, an
 * empty string, an empty list or an empty object are left out; the system message says so), so
 * more of a result fits the context window. Gong's answers are full of `"notApplicable": false`
 * and `[]`: on the scorecards of a quarter this saves a fifth of the tokens.
 */

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/** The value with empty keys left out of every object (array elements are kept in place). */
export function compactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactValue);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = compactValue(v);
    if (!isEmpty(c)) out[k] = c;
  }
  return out;
}

/** The compact JSON text of a result: what is stored by ref and sliced for the model. */
export function compactJson(value: unknown): string {
  return JSON.stringify(compactValue(value) ?? null) ?? 'null';
}

const ID_KEYS = new Set(['id', 'callId', 'crmId', 'objectId', 'clientRequestId', 'answeredScorecardId']);

/** Ids a result names (values of `id`, `callId`, …), first `max`, for the answer's sources. */
export function idsIn(value: unknown, max = 12): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (out.size >= max || depth > 8) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (out.size >= max) return;
      if (ID_KEYS.has(k) && (typeof x === 'string' || typeof x === 'number')) out.add(String(x));
      else walk(x, depth + 1);
    }
  };
  walk(value, 0);
  return [...out];
}
