/**
 * Gives jobs their fair-share priorities just before they are added (FleetQueues calls it for
 * every enqueue, bulk add and flow). Jobs are grouped by queue and flow (account × lane) and, for
 * runs, by run; each group is tagged in its given order with `planTags`, against the queue's
 * clock in Redis (ClockStore). A job that already has a priority keeps it.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { laneOf, NO_ACCOUNT, type FairShareSettings } from './lanes.ts';
import { ClockStore, flowField, runField } from './clock-store.ts';
import { planTags, type TagPlan } from './tags.ts';

/** A job about to be added: where it goes, its data (payload + lane) and its BullMQ options. */
export interface PendingJob {
  queueName: string;
  data: Record<string, unknown>;
  opts: JobsOptions;
}

/**
 * Compare-and-set attempts before tagging from the last read without storing it. Only producers
 * enqueueing for the same flow and queue at the same moment collide; 30 at once (a test) settle in
 * well under this. Tags that were not stored are still valid priorities (ties run FIFO).
 */
const MAX_COMMIT_ATTEMPTS = 50;

export interface FairSchedulerOptions {
  redis: Redis;
  prefix: string;
  settings: FairShareSettings;
  /** The fleet's Queue object for a queue name (for its key names). */
  queue: (name: string) => Queue;
}

/** Who a job's work is for, as fair sharing sees it. */
export function shareOf(data: Record<string, unknown>): { accountId: string; lane: ReturnType<typeof laneOf>; runId?: string } {
  const accountId = typeof data.accountId === 'string' && data.accountId ? data.accountId : NO_ACCOUNT;
  const runId = typeof data.runId === 'string' && data.runId ? data.runId : undefined;
  return { accountId, lane: laneOf(data), ...(runId ? { runId } : {}) };
}

export class FairScheduler {
  private readonly store: ClockStore;
  constructor(private readonly opts: FairSchedulerOptions) {
    this.store = new ClockStore(opts.redis, opts.prefix, opts.settings.idleGraceMs);
  }

  get enabled(): boolean {
    return this.opts.settings.enabled;
  }

  /** Sets `opts.priority` on every job that has none (in place). A no-op when fair sharing is off. */
  async prioritize(jobs: PendingJob[]): Promise<void> {
    if (!this.enabled) return;
    const groups = new Map<string, PendingJob[]>();
    for (const job of jobs) {
      if (job.opts.priority) continue;
      const s = shareOf(job.data);
      const key = JSON.stringify([job.queueName, s.lane, s.accountId, s.runId ?? null]);
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    for (const group of groups.values()) {
      const priorities = await this.tag(group[0]!, group.length);
      group.forEach((job, i) => {
        job.opts.priority = priorities[i];
      });
    }
  }

  private async tag(first: PendingJob, count: number): Promise<number[]> {
    const { accountId, lane, runId } = shareOf(first.data);
    const queue = this.opts.queue(first.queueName);
    const flow = flowField(lane, accountId);
    const run = runId ? runField(runId) : undefined;
    const { headStart, weights } = this.opts.settings;
    let plan: TagPlan | undefined;
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const read = await this.store.read(queue, flow, run);
      plan = planTags(read.state, read.view, { count, weight: weights[lane], headStart, isRun: run !== undefined });
      if (await this.store.commit(queue.name, read, plan, flow, run)) return plan.priorities;
      // Jittered, growing pause so colliding producers stop colliding.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, 1 + attempt)));
    }
    // Sustained contention: these tags are still valid priorities, only not remembered.
    return plan!.priorities;
  }
}
