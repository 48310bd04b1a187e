/**
 * Fair-share priorities, as a pure function. BullMQ serves a queue's prioritized jobs lowest
 * priority first (score = priority · 2^32 + an insertion counter, so FIFO among equals), so a
 * priority works as a virtual-time tag of start-time fair queuing:
 *
 * - A **flow** is one account's work in one lane, in one queue. Each job a flow enqueues costs
 *   `weight(lane)` of virtual time: its tag is its start time `max(V, F)`, and `tag + weight`
 *   becomes the flow's finish F. Flows with work waiting are therefore served round-robin, in
 *   proportion to 1 / weight (interactive 1 vs bulk 4: four interactive jobs per bulk job), and a
 *   flow that was idle restarts at V instead of catching up on service it never asked for.
 * - **V**, the queue's virtual time, is the tag of the first job waiting (the frontier: the start
 *   time of the next job served), never moving back within a busy period (a promoted delayed job or
 *   a head start sits below it).
 * - A **run** arriving in a queue gets a bounded **head start**: its first `headStart / weight`
 *   jobs get tags in [V − headStart, V), ahead of the backlog already waiting, fixed at its first
 *   enqueue there (least-attained-service flavour: a small run overtakes a big one's backlog).
 *   Its remaining jobs join its account's flow. So an account's share stays one flow per lane
 *   however many runs it launches, and each newcomer overtakes waiting work by at most
 *   `headStart` worth of jobs, so a stream of newcomers delays a big run by at most that much each.
 * - When the queue is idle (nothing waiting, delayed, active or waiting for children), the busy
 *   period ends and the state starts over; tags are clamped at BullMQ's limit, where jobs of a
 *   queue that never drains for days degrade to FIFO among themselves.
 */

/** BullMQ's highest priority value (`PRIORITY_LIMIT`, 2^21 − 1). */
export const PRIORITY_MAX = 2 ** 21 - 1;

export interface RunHeadStart {
  /** V − headStart at the run's first enqueue into this queue: the tag of its first job. */
  base: number;
  /** Virtual time of the head start used so far. */
  used: number;
}

/** What the queue's stored state says about the jobs being enqueued. */
export interface ClockState {
  /** The queue's virtual time as last stored; 0 when none. */
  virtualTime: number;
  /** Finish tag of the jobs' flow (account × lane) in this busy period, if it enqueued before. */
  flowFinish?: number;
  /** The run's head start in this queue, if the run enqueued here before in this busy period. */
  run?: RunHeadStart;
}

/** What the queue itself looks like right now (read from BullMQ's keys). */
export interface QueueView {
  /** Priority of the first prioritized job waiting, or null when none waits. */
  frontier: number | null;
  /** Nothing waiting, prioritized, delayed, active or waiting for children. */
  idle: boolean;
}

export interface TagRequest {
  /** Jobs to tag, in the order they should run. */
  count: number;
  /** Virtual time per job: the lane's weight (≥ 1). */
  weight: number;
  /** Head start of a new run, in virtual-time units. */
  headStart: number;
  /** Only runs get a head start; loose jobs (a CRM poll, a tool call) join their flow directly. */
  isRun: boolean;
}

export interface TagPlan {
  /** One BullMQ priority per job, in [1, PRIORITY_MAX]. */
  priorities: number[];
  /** To store: the queue's virtual time. */
  virtualTime: number;
  /** To store: the flow's finish tag (undefined if it has none yet). */
  flowFinish?: number;
  /** To store: the run's head start (undefined for loose jobs). */
  run?: RunHeadStart;
  /** The queue was idle: drop the previous busy period's state before storing. */
  reset: boolean;
}

/** The lowest virtual time of a busy period: head-start tags below it stay ≥ 1. */
export const floorOf = (headStart: number): number => headStart + 1;

const clamp = (tag: number): number => Math.min(PRIORITY_MAX, Math.max(1, Math.round(tag)));

export function planTags(stored: ClockState, view: QueueView, req: TagRequest): TagPlan {
  if (!Number.isInteger(req.weight) || req.weight < 1) throw new RangeError(`lane weight must be a whole number ≥ 1, got ${req.weight}`);
  const state: ClockState = view.idle ? { virtualTime: 0 } : stored;
  const v = Math.max(floorOf(req.headStart), state.virtualTime, view.frontier ?? 0);
  const run = req.isRun ? { ...(state.run ?? { base: v - req.headStart, used: 0 }) } : undefined;
  let finish = state.flowFinish;
  const priorities: number[] = [];
  for (let i = 0; i < req.count; i++) {
    if (run && run.used + req.weight <= req.headStart) {
      priorities.push(clamp(run.base + run.used));
      run.used += req.weight;
    } else {
      const start = Math.max(v, finish ?? 0);
      finish = start + req.weight;
      priorities.push(clamp(start));
    }
  }
  return {
    priorities,
    virtualTime: v,
    ...(finish !== undefined ? { flowFinish: Math.min(finish, PRIORITY_MAX) } : {}),
    ...(run ? { run } : {}),
    reset: view.idle,
  };
}
