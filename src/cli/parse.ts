/** Small option parsers shared by commands; each failure is a one-line BadInputError naming the option. */
import { BadInputError } from '../shared/platform/index.ts';

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
