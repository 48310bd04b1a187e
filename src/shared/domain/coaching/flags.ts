/**
 * Coaching flags, computed in code from the fetched numbers (the LLM only narrates them). Each
 * flag carries the figures that triggered it and the threshold it crossed.
 */

export interface FlagThresholds {
  /** A rep created this many days before the window's end or later is a new hire. Default 30. */
  newHireDays: number;
  /** A new hire whose manager listened to fewer of their calls than this is flagged. Default 5. */
  minManagerListens: number;
  /** A rep who hosted at least this many calls with no scorecard is flagged. Default 20. */
  maxCallsWithoutScorecard: number;
}

export const DEFAULT_THRESHOLDS: FlagThresholds = { newHireDays: 30, minManagerListens: 5, maxCallsWithoutScorecard: 20 };

export type FlagCode = 'neglected_new_hire' | 'no_scorecards';

export interface RepFlag {
  code: FlagCode;
  /** One line with the numbers behind the flag. */
  detail: string;
}

export interface RepNumbersInput {
  isNewHire: boolean;
  callsHosted: number;
  callsListenedByManager: number;
  scorecardsReceived: number;
}

export function flagsFor(rep: RepNumbersInput, t: FlagThresholds): RepFlag[] {
  const flags: RepFlag[] = [];
  if (rep.isNewHire && rep.callsListenedByManager < t.minManagerListens) {
    flags.push({
      code: 'neglected_new_hire',
      detail: `new hire with ${rep.callsListenedByManager} of ${rep.callsHosted} calls listened to by the manager (fewer than ${t.minManagerListens})`,
    });
  }
  if (rep.callsHosted >= t.maxCallsWithoutScorecard && rep.scorecardsReceived === 0) {
    flags.push({
      code: 'no_scorecards',
      detail: `hosted ${rep.callsHosted} calls (${t.maxCallsWithoutScorecard}+ threshold) and received no scorecard`,
    });
  }
  return flags;
}
