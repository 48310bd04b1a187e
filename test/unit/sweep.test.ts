/** Pure pieces of the sweep: window splitting for Gong's day-only stats, flags with their numbers, cron/tz checks. */
import { describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_THRESHOLDS, flagsFor, splitWindow, checkCron, dayIn } from '../../src/shared/domain/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';

describe('splitWindow', () => {
  it('sends whole days to the stats and partial days to the calls list', () => {
    const from = Date.parse('2026-03-01T15:00:00Z');
    const to = Date.parse('2026-03-31T09:30:00Z');
    expect(splitWindow({ fromMs: from, toMs: to })).toEqual({
      days: { fromDate: '2026-03-02', toDate: '2026-03-31' },
      partial: [
        { fromDateTime: '2026-03-01T15:00:00.000Z', toDateTime: '2026-03-02T00:00:00.000Z' },
        { fromDateTime: '2026-03-31T00:00:00.000Z', toDateTime: '2026-03-31T09:30:00.000Z' },
      ],
    });
    const m = Date.parse('2026-03-01T00:00:00Z');
    expect(splitWindow({ fromMs: m, toMs: m + 30 * DAY_MS })).toEqual({ days: { fromDate: '2026-03-01', toDate: '2026-03-31' }, partial: [] });
  });
});

describe('flagsFor', () => {
  it('flags at the thresholds, not before, with the numbers in the detail', () => {
    const rep = { isNewHire: true, callsHosted: 9, callsListenedByManager: 4, scorecardsReceived: 1 };
    expect(flagsFor(rep, DEFAULT_THRESHOLDS).map((f) => f.code)).toEqual(['neglected_new_hire']);
    expect(flagsFor(rep, DEFAULT_THRESHOLDS)[0]!.detail).toContain('4 of 9');
    expect(flagsFor({ ...rep, callsListenedByManager: 5 }, DEFAULT_THRESHOLDS)).toEqual([]);
    const host = { isNewHire: false, callsHosted: 20, callsListenedByManager: 0, scorecardsReceived: 0 };
    expect(flagsFor(host, DEFAULT_THRESHOLDS).map((f) => f.code)).toEqual(['no_scorecards']);
    expect(flagsFor({ ...host, callsHosted: 19 }, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(flagsFor({ ...host, scorecardsReceived: 1 }, DEFAULT_THRESHOLDS)).toEqual([]);
  });
});

describe('checkCron', () => {
  it('reads the pattern in its zone and rejects typos with one line', () => {
    const [next] = checkCron('0 6 * * 1-5', 'America/New_York', 1, Date.parse('2026-03-13T12:00:00Z')); // a Friday
    expect(new Date(next!).toISOString()).toBe('2026-03-16T10:00:00.000Z'); // Monday 06:00 EDT
    expect(() => checkCron('0 6 * *', 'UTC')).toThrow(BadInputError);
    expect(() => checkCron('61 6 * * *', 'UTC')).toThrow(/not a valid cron/);
    expect(() => checkCron('0 6 * * *', 'Not/AZone')).toThrow(/IANA/);
    expect(dayIn('America/New_York', Date.parse('2026-03-16T02:00:00Z'))).toBe('2026-03-15');
  });
});
