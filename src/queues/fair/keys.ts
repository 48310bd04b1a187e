/**
 * Redis keys of fair sharing, all under the fleet's hash-tagged prefix (one Cluster slot with the
 * queues, so scripts may touch BullMQ's keys and these together).
 */
import type { Queue } from 'bullmq';

/** The queue's fair-share clock: virtual time, flow finish tags, run head starts (clock-store.ts). */
export const clockKey = (prefix: string, queue: string): string => `${prefix}:fair:clock:${queue}`;

/** Jobs enqueued and not finished, per `lane|account` (accounting.ts). */
export const pendingKey = (prefix: string, queue: string): string => `${prefix}:fair:pending:${queue}`;

/** Jobs finished in one minute (epoch minutes), per `queue|lane|account`. */
export const finishedMinuteKey = (prefix: string, minute: number): string => `${prefix}:fair:done:${minute}`;

/** Jobs finished since the counters began, per `queue|lane|account`. */
export const finishedTotalKey = (prefix: string): string => `${prefix}:fair:done`;

/** BullMQ's keys of the states a job waits or runs in, for one queue. */
export interface QueueStateKeys {
  wait: string;
  prioritized: string;
  delayed: string;
  active: string;
  waitingChildren: string;
}

export function queueStateKeys(queue: Queue): QueueStateKeys {
  const pick = (name: string): string => {
    const key = queue.keys[name];
    if (!key) throw new Error(`BullMQ queue ${queue.name} has no "${name}" key`);
    return key;
  };
  return { wait: pick('wait'), prioritized: pick('prioritized'), delayed: pick('delayed'), active: pick('active'), waitingChildren: pick('waiting-children') };
}
