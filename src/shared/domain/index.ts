/** The coaching sweep's services: roster, activity, coaching, scorecards, flags, team numbers, narrative. */
export { fetchRoster, findTeam, buildTeams } from './coaching/roster.ts';
export type { Person, Team, Roster } from './coaching/roster.ts';
export { fetchActivity } from './coaching/activity.ts';
export type { Activity, ActivityResult } from './coaching/activity.ts';
export { fetchCoaching, fetchWorkspaceId } from './coaching/coaching.ts';
export type { CoachingMetrics } from './coaching/coaching.ts';
export { fetchScorecards } from './coaching/scorecards.ts';
export type { ScorecardResult } from './coaching/scorecards.ts';
export { flagsFor, DEFAULT_THRESHOLDS } from './coaching/flags.ts';
export type { FlagThresholds, FlagCode, RepFlag } from './coaching/flags.ts';
export { teamNumbers } from './coaching/numbers.ts';
export type { RepNumbers, TeamNumbers, TeamInputs } from './coaching/numbers.ts';
export { narrate, narrativeInput, narrativeMessages } from './coaching/narrative.ts';
export type { NarrativeResult } from './coaching/narrative.ts';
export { lastDays, checkSweepWindow, splitWindow, isoDay, DAY_MS } from './coaching/window.ts';
export type { SweepWindow, WindowPieces } from './coaching/window.ts';
