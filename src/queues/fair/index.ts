/**
 * Fair sharing of the fleet's queues between accounts, runs and lanes, on open-source BullMQ:
 * priorities assigned at enqueue time (tags.ts explains the scheme), and counters of who got the
 * work (accounting.ts). FleetQueues applies it to every job; workers count finished jobs.
 */
export { DEFAULT_FAIR_SHARE, DEFAULT_LANE, LANE_FIELD, LANES, LaneSchema, NO_ACCOUNT, laneOf, parseLane, withoutLane, type FairShareSettings, type Lane } from './lanes.ts';
export { FairScheduler, shareOf, type PendingJob } from './scheduler.ts';
export { FairAccounting, sharesByAccount, MAX_WINDOW_MINUTES, type AccountShare, type FairShareSnapshot, type ShareCount } from './accounting.ts';
export { planTags, PRIORITY_MAX, type TagPlan, type TagRequest, type ClockState, type QueueView } from './tags.ts';
