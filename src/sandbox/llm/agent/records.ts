/**
 * Reading records out of a tool result whatever its shape: Gong's whole body (`{records, users}`),
 * Truto's list envelope (`{result, next_cursor}`), the toolset's (`{items, nextCursor}`), a bare
 * array, or the partial value of a truncated result. Records are found by their shape (a user has
 * `firstName` and `emailAddress`, a task has `status` and an `opportunity`…), not by where they sit.
 */
import { isRecord } from './protocol.ts';

export type Row = Record<string, unknown>;

const MAX_DEPTH = 8;

/** Every object in `value` matching `is`, outermost first, in document order (matches aren't searched inside). */
export function collect(value: unknown, is: (row: Row) => boolean): Row[] {
  const out: Row[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
    } else if (isRecord(v)) {
      if (is(v)) {
        out.push(v);
        return;
      }
      for (const item of Object.values(v)) walk(item, depth + 1);
    }
  };
  walk(value, 0);
  return out;
}

export interface Cursor {
  value: string;
  /** `truto`: pass back as `next_cursor`; `gong`: Gong's `records.cursor`, passed back as `cursor`. */
  style: 'truto' | 'gong';
}

/** The cursor of the next page, if the result says there is one. */
export function cursorOf(value: unknown): Cursor | undefined {
  if (!isRecord(value)) return undefined;
  const truto = value['next_cursor'] ?? value['nextCursor'];
  if (typeof truto === 'string' && truto !== '') return { value: truto, style: 'truto' };
  const records = value['records'];
  const gong = isRecord(records) ? records['cursor'] : undefined;
  if (typeof gong === 'string' && gong !== '') return { value: gong, style: 'gong' };
  return undefined;
}

/** Ids arrive as strings or JSON numbers depending on the endpoint. */
export function idOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : 0;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Epoch ms of an ISO date-time, or NaN. */
export function ms(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

export const isUser = (r: Row): boolean => typeof r['firstName'] === 'string' && 'emailAddress' in r && 'id' in r;
export const isCall = (r: Row): boolean => 'primaryUserId' in r && 'title' in r && 'id' in r;
export const isTask = (r: Row): boolean => 'status' in r && 'id' in r && ('opportunity' in r || 'account' in r || 'title' in r) && 'userId' in r;
export const isTranscript = (r: Row): boolean => 'callId' in r && Array.isArray(r['transcript']);
export const isActivity = (r: Row): boolean => 'userId' in r && Array.isArray(r['userAggregateActivity']);
export const isCoaching = (r: Row): boolean => Array.isArray(r['directReportsMetrics']);
export const isScorecard = (r: Row): boolean => 'scorecardName' in r && 'reviewedUserId' in r;
export const isBrief = (r: Row): boolean => Array.isArray(r['briefSections']);
export const isWorkspace = (r: Row): boolean => 'id' in r && 'name' in r && !('firstName' in r) && !('primaryUserId' in r);
export const isIntegration = (r: Row): boolean => 'integrationId' in r;
export const isParty = (r: Row): boolean => 'speakerId' in r && 'affiliation' in r;
