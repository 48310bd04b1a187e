/** Small option parsers shared by commands; each failure is a one-line BadInputError naming the option. */
import { parseLane, type Lane } from '../queues/fair/index.ts';
import { BadInputError } from '../shared/platform/index.ts';

/** Lanes a person may pick with `--lane` (`scheduled` is what job schedulers use). */
export const CLI_LANES: readonly Lane[] = ['interactive', 'bulk'];
export const LANE_HELP = 'who waits for this run: interactive (a person, the default) or bulk (goes behind interactive work); see "How work is shared" in the README';

/** A command's `--lane`: interactive unless the person says bulk. */
export function parseCliLane(value: string | undefined): Lane {
  return value === undefined ? 'interactive' : parseLane(value, '--lane', CLI_LANES);
}

export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BadInputError(`${option} must be a positive whole number, got "${value}"`);
  return n;
}

export function parseNonNegativeNumber(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new BadInputError(`${option} must be a number ≥ 0, got "${value}"`);
  return n;
}

export function parseRate(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new BadInputError(`${option} must be a fraction between 0 and 1, got "${value}"`);
  return n;
}

/** Parses YYYY-MM-DD or a full ISO date-time; rejects anything Date can't read. */
export function parseDate(value: string, option: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
  const d = new Date(value.trim());
  if (!ok || Number.isNaN(d.getTime())) {
    throw new BadInputError(`${option} must be a date like 2026-11-01 or 2026-11-01T09:00:00Z, got "${value}"`);
  }
  return d;
}
