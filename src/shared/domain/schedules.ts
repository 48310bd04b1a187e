/**
 * Checks a schedule's cron pattern and time zone before anything is written to Redis, with the
 * same parser BullMQ's job schedulers use (cron-parser), so what passes here also runs there.
 */
import { CronExpressionParser } from 'cron-parser';
import { BadInputError } from '../platform/index.ts';

/** Returns the next `count` fire times (ms) of a pattern in a zone; throws BadInputError if either is invalid. */
export function checkCron(pattern: string, tz: string, count = 1, fromMs: number = Date.now()): number[] {
  checkTimeZone(tz);
  const fields = pattern.trim().split(/\s+/);
  // cron-parser accepts 5 or 6 fields (optional seconds); anything else is a typo.
  if (fields.length < 5 || fields.length > 6) {
    throw new BadInputError(`--cron "${pattern}" must have 5 fields (minute hour day-of-month month day-of-week), e.g. "0 6 * * 1-5"`);
  }
  try {
    const it = CronExpressionParser.parse(pattern, { tz, currentDate: new Date(fromMs), strict: false });
    return Array.from({ length: count }, () => it.next().getTime());
  } catch (err) {
    throw new BadInputError(`--cron "${pattern}" is not a valid cron pattern: ${(err as Error).message}`);
  }
}

export function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new BadInputError(`--tz "${tz}" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)`);
  }
  return tz;
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayIn(tz: string, ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}
