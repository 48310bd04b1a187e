/**
 * Lanes: who is waiting for a job. `interactive` is a person at a terminal (a CLI run, `ask`);
 * `bulk` is work nobody watches (backfills, scripts); `scheduled` is what job schedulers fire
 * (nightly sweeps). A lane's weight is how much virtual time one of its jobs costs its flow: with
 * interactive 1 and bulk 4, an interactive flow gets four jobs served for every one of a bulk flow
 * while both have work waiting, and bulk still advances (no starvation).
 *
 * Every job carries its lane in `job.data.lane`, next to its payload (outside the payload
 * contract: FleetQueues adds it, the worker runtime strips it before validating), so work a job
 * adds at run time (summaries of a transcript batch, the next CRM poll) inherits it.
 */
import { z } from 'zod';
import { BadInputError } from '../../shared/platform/index.ts';

export const LANES = ['interactive', 'bulk', 'scheduled'] as const;
export type Lane = (typeof LANES)[number];
export const LaneSchema = z.enum(LANES);

/** The lane of a job enqueued without one: work nobody said a person waits for. */
export const DEFAULT_LANE: Lane = 'bulk';

/** Jobs without an account (test kinds, fleet-wide chores) share one flow per lane. */
export const NO_ACCOUNT = '-';

/** The key under which a job's lane travels in its data. */
export const LANE_FIELD = 'lane';

export interface FairShareSettings {
  /** Assign fair-share priorities at enqueue time. Default true; false = plain FIFO per queue. */
  enabled: boolean;
  /**
   * Head start of a newly arrived run, in virtual-time units (interactive jobs): its first
   * `headStart / weight` jobs in a queue go ahead of the backlog already waiting there. Bounds how
   * far any newcomer can overtake waiting work. Default 32 (a 20-call run fits in it).
   */
  headStart: number;
  /** Virtual time one job costs per lane. Default interactive 1, bulk 4, scheduled 4. */
  weights: Record<Lane, number>;
  /**
   * How long after jobs were last tagged for a queue it still counts as busy even if it looks empty
   * (their adds may be on the way); only then does a new busy period restart the clock. Default 10 s.
   */
  idleGraceMs?: number;
}

export const DEFAULT_FAIR_SHARE: FairShareSettings = {
  enabled: true,
  headStart: 32,
  weights: { interactive: 1, bulk: 4, scheduled: 4 },
};

/** A `--lane` value, or a BadInputError naming the choices. */
export function parseLane(value: string, option = '--lane', allowed: readonly Lane[] = LANES): Lane {
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as Lane;
  throw new BadInputError(`${option} must be one of ${allowed.join('|')}, got "${value}"`);
}

/** The lane a job's data carries; jobs enqueued before lanes existed count as the default lane. */
export function laneOf(data: unknown): Lane {
  const lane = (data as Record<string, unknown> | undefined)?.[LANE_FIELD];
  return LaneSchema.safeParse(lane).success ? (lane as Lane) : DEFAULT_LANE;
}

/** Job data without the lane: what the payload contract validates. */
export function withoutLane(data: unknown): unknown {
  if (!data || typeof data !== 'object' || !(LANE_FIELD in data)) return data;
  const { [LANE_FIELD]: _lane, ...payload } = data as Record<string, unknown>;
  return payload;
}
