/**
 * The children of a fan-in job (run-report, sweep-report) that failed for good: BullMQ keeps their
 * reasons on the parent, keyed by the child's job key; the report needs each child's data too
 * (which calls or which manager it covered) to say what is missing and why.
 */
import type { Job } from 'bullmq';
import { isQueueName } from '../queues/names.ts';
import { parseJobKey } from '../queues/keys.ts';
import type { FleetQueues } from '../queues/fleet-queues.ts';

export interface ChildFailure {
  /** The child's job id. */
  jobId: string;
  /** The child job, if it still exists (removeOnFail keeps failed jobs a week). */
  child: Job | undefined;
  /** BullMQ's failed reason. */
  reason: string;
}

export async function ignoredChildFailures(job: Job, queues: FleetQueues): Promise<ChildFailure[]> {
  const out: ChildFailure[] = [];
  for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
    const parsed = parseJobKey(queues.prefix, key);
    if (!parsed) continue;
    const child = isQueueName(parsed.queueName) ? await queues.queue(parsed.queueName).getJob(parsed.jobId) : undefined;
    out.push({ jobId: parsed.jobId, child: child ?? undefined, reason });
  }
  return out;
}
