/**
 * What an approval is bound to: the hash of (run, tool, canonical arguments). Canonical means
 * object keys sorted at every depth, so the same request always hashes the same and a changed
 * argument (another task id, another status) hashes differently and needs its own approval.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted; `undefined` members left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const rec = value as Record<string, unknown>;
    const keys = Object.keys(rec).filter((k) => rec[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(rec[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 hex of the run id, the tool name and its canonical arguments. */
export function requestHash(runId: string, tool: string, args: Record<string, unknown>): string {
  return createHash('sha256').update(`${runId}\n${tool}\n${canonicalJson(args)}`).digest('hex');
}
