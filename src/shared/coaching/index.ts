/** The coaching sweep's services: roster, activity, coaching, scorecards, flags, team numbers, narrative. */
export { fetchRoster, findTeam, buildTeams } from './roster.ts';
export type { Person, Team, Roster } from './roster.ts';
export { fetchActivity } from './activity.ts';
export type { Activity, ActivityResult } from './activity.ts';
export { fetchCoaching, fetchWorkspaceId } from './coaching.ts';
export type { CoachingMetrics } from './coaching.ts';
export { fetchScorecards } from './scorecards.ts';
export type { ScorecardResult } from './scorecards.ts';
export { flagsFor, DEFAULT_THRESHOLDS } from './flags.ts';
export type { FlagThresholds, FlagCode, RepFlag } from './flags.ts';
export { teamNumbers } from './numbers.ts';
export type { RepNumbers, TeamNumbers, TeamInputs } from './numbers.ts';
export { narrate, narrativeInput, narrativeMessages } from './narrative.ts';
export type { NarrativeResult } from './narrative.ts';
export { lastDays, checkSweepWindow, splitWindow, isoDay, DAY_MS } from './window.ts';
export type { SweepWindow, WindowPieces } from './window.ts';
