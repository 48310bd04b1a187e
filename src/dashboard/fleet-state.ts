/**
 * The fleet's shared state as one snapshot read from Redis: job counts of every queue, every
 * governor bucket used in the last two days (tokens available, blocked-until, calls today against
 * the daily budget, 429s and waits), and fair sharing's counters (jobs waiting or running and jobs
 * finished, per queue, lane and account). The dashboard's governor panel and the fleet metrics read it.
 */
import type { Queue } from 'bullmq';
import type { FairAccounting, FairShareSnapshot } from '../queues/fair/index.ts';
import type { BucketState, RateGovernor } from '../shared/upstream/index.ts';

/** BullMQ states shown and exported, in the order a job moves through them. */
export const JOB_STATES = ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

export interface QueueSnapshot {
  name: string;
  counts: Record<JobStateName, number>;
}

export interface FleetSnapshot {
  /** Epoch ms at which it was read. */
  atMs: number;
  queues: QueueSnapshot[];
  buckets: BucketState[];
  /** Who got the work: pending per account, finished in the last `windowMinutes`. */
  fair: FairShareSnapshot;
}

export interface FleetStateSources {
  queues: readonly Queue[];
  governor: RateGovernor;
  fairAccounting: FairAccounting;
  /** Most buckets read per snapshot, most recently used first. Default 200. */
  maxBuckets?: number;
}

/** The share of work is counted over the last this many minutes unless a reader asks otherwise. */
export const DEFAULT_SHARE_WINDOW_MINUTES = 5;

export async function readFleetState(src: FleetStateSources, shareWindowMinutes = DEFAULT_SHARE_WINDOW_MINUTES): Promise<FleetSnapshot> {
  const [queues, bucketNames, fair] = await Promise.all([
    Promise.all(src.queues.map(async (q) => ({ name: q.name, counts: await queueCounts(q) }))),
    src.governor.listBuckets(),
    src.fairAccounting.snapshot(src.queues, shareWindowMinutes),
  ]);
  const buckets = await Promise.all(bucketNames.slice(0, src.maxBuckets ?? 200).map((b) => src.governor.state(b)));
  return { atMs: Date.now(), queues, buckets, fair };
}

async function queueCounts(q: Queue): Promise<Record<JobStateName, number>> {
  const raw = await q.getJobCounts(...JOB_STATES);
  const counts = {} as Record<JobStateName, number>;
  for (const s of JOB_STATES) counts[s] = raw[s] ?? 0;
  return counts;
}

/** `account:abc` → { kind: 'account', id: 'abc' }; token buckets keep only their hash. */
export function splitBucket(bucket: string): { kind: string; id: string } {
  const i = bucket.indexOf(':');
  return i < 0 ? { kind: bucket, id: '' } : { kind: bucket.slice(0, i), id: bucket.slice(i + 1) };
}
