/**
 * How to find the items and the next cursor in a page. Two styles exist: Truto list tools wrap
 * items as `{result, next_cursor}`; Gong's POST reads (exposed as create/custom tools) return
 * Gong's own body with `records.cursor`, repeated with a top-level body `cursor`.
 */

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The page's main array: `itemsKey` when given, else the first array-valued property other than
 * `records` (`calls`, `callTranscripts`, `users`, `usersAggregateActivity`, `answeredScorecards`…).
 */
export function extractItems(body: unknown, itemsKey?: string): unknown[] {
  if (Array.isArray(body)) return body;
  const rec = asRecord(body);
  if (!rec) return [];
  if (itemsKey !== undefined) {
    const named = rec[itemsKey];
    return Array.isArray(named) ? named : [];
  }
  for (const [key, value] of Object.entries(rec)) {
    if (key !== 'records' && Array.isArray(value)) return value;
  }
  return [];
}

/** Gong's cursor for the next page; absent on the last page. */
export function gongNextCursor(body: unknown): string | undefined {
  const cursor = asRecord(asRecord(body)?.records)?.cursor;
  return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}
