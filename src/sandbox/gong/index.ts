/** Public surface of the sandbox's simulated Gong: the data world and the Gong v2 API over it. */
export {
  createWorld, accountIdFor, ALL_SCOPES, STANDARD_ACCOUNTS, RESTRICTED_MISSING_SCOPES,
  type World, type WorldOptions, type StandardAccountKind,
} from '../world/world.ts';
export { GLOBEX, ACME, INITECH } from '../world/deals-account.ts';
export { COACHING_MANAGERS, REPS_PER_MANAGER, TRUTH_WINDOW_DAYS } from '../world/coaching-account.ts';
export { FILLER_FORBIDDEN_RE } from '../world/transcript-bank.ts';
export type {
  AccountData, AccountKind, CallParty, Deal, Monologue, PlantedFact, RepCoachingTruth, WorldCall, WorldTask, WorldUser,
} from '../world/types.ts';
export { createGongApi, type GongApiOptions, type LateTranscripts } from './api.ts';
export { CALLS_PAGE_SIZE, TRANSCRIPTS_PAGE_SIZE, NO_CALLS } from './calls.ts';
export { USERS_PAGE_SIZE } from './users.ts';
