/**
 * One manager's team numbers: the roster, activity, coaching metrics and scorecards joined per rep,
 * with flags. Pure: the fetchers supply the inputs, so this is unit-testable without Gong.
 */
import type { Activity } from './activity.ts';
import type { CoachingMetrics } from './coaching.ts';
import { flagsFor, type FlagThresholds, type RepFlag } from './flags.ts';
import type { Person } from './roster.ts';
import { DAY_MS, type SweepWindow } from './window.ts';

export interface RepNumbers {
  userId: string;
  name: string;
  email: string;
  createdAt: string;
  isNewHire: boolean;
  callsHosted: number;
  callsListenedByManager: number;
  callsManagerAttended: number;
  callsWithFeedback: number;
  scorecardsReceived: number;
  flags: RepFlag[];
}

export interface TeamNumbers {
  manager: { userId: string; name: string; email: string };
  reps: RepNumbers[];
  totals: { callsHosted: number; callsListenedByManager: number; scorecardsReceived: number; flaggedReps: number; newHires: number };
}

export interface TeamInputs {
  manager: Person;
  reps: Person[];
  window: SweepWindow;
  /** Per user id; a missing user counts as no activity. */
  activity: ReadonlyMap<string, Pick<Activity, 'callsAsHost'>>;
  coaching: ReadonlyMap<string, CoachingMetrics>;
  scorecards: ReadonlyMap<string, number>;
  thresholds: FlagThresholds;
}

export function teamNumbers(i: TeamInputs): TeamNumbers {
  const newHireFromMs = i.window.toMs - i.thresholds.newHireDays * DAY_MS;
  const reps = i.reps.map((p): RepNumbers => {
    const c = i.coaching.get(p.id);
    const base = {
      isNewHire: p.createdMs >= newHireFromMs,
      callsHosted: i.activity.get(p.id)?.callsAsHost ?? 0,
      callsListenedByManager: c?.callsListenedTo ?? 0,
      scorecardsReceived: i.scorecards.get(p.id) ?? 0,
    };
    return {
      userId: p.id,
      name: p.name,
      email: p.email,
      createdAt: new Date(p.createdMs).toISOString(),
      ...base,
      callsManagerAttended: c?.callsManagerAttended ?? 0,
      callsWithFeedback: c?.callsWithFeedback ?? 0,
      flags: flagsFor(base, i.thresholds),
    };
  });
  const sum = (f: (r: RepNumbers) => number) => reps.reduce((n, r) => n + f(r), 0);
  return {
    manager: { userId: i.manager.id, name: i.manager.name, email: i.manager.email },
    reps,
    totals: {
      callsHosted: sum((r) => r.callsHosted),
      callsListenedByManager: sum((r) => r.callsListenedByManager),
      scorecardsReceived: sum((r) => r.scorecardsReceived),
      flaggedReps: reps.filter((r) => r.flags.length > 0).length,
      newHires: reps.filter((r) => r.isNewHire).length,
    },
  };
}
