/**
 * No silent waits: a command that enqueued work and waits for it checks that some worker serves
 * each queue the work needs, and says so on stderr within seconds when none does, instead of
 * showing 0/64 forever. It keeps waiting: the jobs stay queued and proceed when a worker starts.
 *
 * Workers are found the way BullMQ lists them (`Queue.getWorkers()`: CLIENT LIST, connections a
 * Worker named after its queue and prefix), so a worker on another machine counts, and one with a
 * different GONG_FLEET_PREFIX (which would never see these jobs) does not. Where CLIENT LIST is
 * refused, nothing is reported: better silence than a false alarm.
 */
import { catalog, type JobKindName } from '../queues/catalog.ts';
import type { FleetQueues } from '../queues/fleet-queues.ts';
import { QUEUE_NAMES, type QueueName } from '../queues/names.ts';
import type { RunPlan } from '../shared/domain/index.ts';

/** The queues the given job kinds run on, in the fleet's queue order. */
export function queuesFor(kinds: readonly JobKindName[]): QueueName[] {
  const used = new Set(kinds.map((k) => catalog[k].queue));
  return QUEUE_NAMES.filter((q) => used.has(q));
}

/** The queues a summarize or autopsy run's jobs use (no transcript batches when all are stored). */
export function queuesForRun(plan: Pick<RunPlan, 'kind' | 'batches' | 'storedCallIds' | 'deal'>): QueueName[] {
  const kinds: JobKindName[] = ['run-report'];
  if (plan.batches.length > 0) kinds.push('transcript-batch');
  if (plan.batches.length > 0 || plan.storedCallIds.length > 0) kinds.push('summarize-call');
  if (plan.kind === 'autopsy' && plan.deal) kinds.push('deal-context');
  return queuesFor(kinds);
}

/** Which of `needed` no worker serves right now; undefined when Redis won't list its clients. */
export async function queuesWithoutWorkers(queues: Pick<FleetQueues, 'queue'>, needed: readonly QueueName[]): Promise<QueueName[] | undefined> {
  try {
    const served = await Promise.all(needed.map(async (name) => (await queues.queue(name).getWorkers()).length > 0));
    return needed.filter((_, i) => !served[i]);
  } catch {
    return undefined; // e.g. CLIENT LIST denied by an ACL
  }
}

/** The stderr line when the set of unserved queues changes: which ones and what to do, or that all are served again. */
export function workerNotice(missing: readonly QueueName[]): string {
  if (missing.length === 0) return 'a worker now serves every queue this needs; the work proceeds.';
  const which = missing.length === 1 ? `the ${missing[0]} queue` : `the ${missing.join(', ')} queues`;
  return `no worker is serving ${which}: the work is queued and waits. Start one with \`gong-fleet worker\` (same REDIS_URL and GONG_FLEET_PREFIX), or re-run with --local-worker.`;
}

export interface WorkerWatchOptions {
  queues: Pick<FleetQueues, 'queue'>;
  needed: readonly QueueName[];
  /** Told each time the set of unserved queues changes (empty: every needed queue is served again). */
  onChange: (missing: QueueName[]) => void;
  /** First check after this long, in ms: in-process workers (--local-worker) connect within it. Default 1500. */
  graceMs?: number;
  /** Check interval after that, in ms. Default 3000. */
  everyMs?: number;
}

export interface WorkerWatch {
  stop(): void;
}

/** Watches the needed queues until stopped; reports only changes, so a long wait prints one line. */
export function watchWorkers(opts: WorkerWatchOptions): WorkerWatch {
  let reported: QueueName[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const missing = await queuesWithoutWorkers(opts.queues, opts.needed);
    if (stopped) return;
    if (missing && missing.join(',') !== reported.join(',')) {
      reported = missing;
      opts.onChange(missing);
    }
    timer = setTimeout(() => void check(), opts.everyMs ?? 3_000);
    timer.unref();
  };
  timer = setTimeout(() => void check(), opts.graceMs ?? 1_500);
  timer.unref();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Writes a watch notice on its own line of `stream`, clearing a spinner or progress line a TTY shows. */
export function printWorkerNotice(missing: readonly QueueName[], stream: NodeJS.WriteStream = process.stderr): void {
  stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}${workerNotice(missing)}\n`);
}

/** Runs `wait` with a watch on the needed queues, stopped however the wait ends. */
export async function withWorkerWatch<T>(opts: WorkerWatchOptions, wait: () => Promise<T>): Promise<T> {
  const watch = watchWorkers(opts);
  try {
    return await wait();
  } finally {
    watch.stop();
  }
}
