/**
 * The sweep's time window, `[fromMs, toMs)`. Gong's activity stats take whole UTC days
 * (`toDate` exclusive and not after today), while calls and coaching take date-times; a window
 * that doesn't start and end at midnight is split so each piece goes to the endpoint that can
 * answer it exactly.
 */
import { BadInputError } from '../../platform/index.ts';

export const DAY_MS = 86_400_000;

export interface SweepWindow {
  fromMs: number;
  toMs: number;
}

export interface WindowPieces {
  /** Whole UTC days `[fromDay, toDay)` as YYYY-MM-DD, for aggregate-by-period; absent if none. */
  days?: { fromDate: string; toDate: string };
  /** Partial days at either end, as ISO date-time ranges, for the calls list. */
  partial: Array<{ fromDateTime: string; toDateTime: string }>;
}

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
const ceilDay = (ms: number): number => Math.ceil(ms / DAY_MS) * DAY_MS;

/** The default window: the `days` days up to now (what the sandbox's ground truth covers). */
export function lastDays(days: number, nowMs: number = Date.now()): SweepWindow {
  return { fromMs: nowMs - days * DAY_MS, toMs: nowMs };
}

/** Checks a user-given window; Gong rejects dates after today, so a future `to` is bad input. */
export function checkSweepWindow(w: SweepWindow, nowMs: number = Date.now()): SweepWindow {
  const iso = (ms: number) => new Date(ms).toISOString();
  if (w.fromMs >= w.toMs) throw new BadInputError(`--from (${iso(w.fromMs)}) must be before --to (${iso(w.toMs)})`);
  if (w.toMs > nowMs + 60_000) {
    throw new BadInputError(`--to (${iso(w.toMs)}) is in the future; Gong rejects dates after today`);
  }
  return w;
}

export function splitWindow(w: SweepWindow): WindowPieces {
  const firstMidnight = ceilDay(w.fromMs);
  const lastMidnight = floorDay(w.toMs);
  if (firstMidnight >= lastMidnight) {
    return { partial: [{ fromDateTime: new Date(w.fromMs).toISOString(), toDateTime: new Date(w.toMs).toISOString() }] };
  }
  const partial: WindowPieces['partial'] = [];
  if (w.fromMs < firstMidnight) partial.push({ fromDateTime: new Date(w.fromMs).toISOString(), toDateTime: new Date(firstMidnight).toISOString() });
  if (lastMidnight < w.toMs) partial.push({ fromDateTime: new Date(lastMidnight).toISOString(), toDateTime: new Date(w.toMs).toISOString() });
  return { days: { fromDate: isoDay(firstMidnight), toDate: isoDay(lastMidnight) }, partial };
}
