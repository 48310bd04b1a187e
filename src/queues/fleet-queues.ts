/**
 * The producer side of the catalog: `enqueue(kind, payload)` is type-checked from the job's zod
 * schema, validated before anything reaches Redis (a bad payload never half-enqueues), and carries
 * the kind's attempts/backoff. One Queue object per queue name, created lazily. Typed by the
 * fleet's catalog by default; tests pass small catalogs of their own.
 *
 * Every add goes through fair sharing (queues/fair): the job's data carries its `lane`
 * (`{ lane: 'interactive' }` in the options; default bulk), and just before the add each job gets a
 * fair-share priority from its account, lane and run (`payload.runId`). So every producer and
 * every worker that adds work (`enqueue`, `addBulk`, `addFlow`) shares the queues fairly.
 */
import { FlowProducer, Queue, type Job, type JobNode, type JobsOptions, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BadInputError } from '../shared/platform/index.ts';
import type { Catalog } from './catalog.ts';
import type { JobContract } from './contract.ts';
import { DEFAULT_FAIR_SHARE, DEFAULT_LANE, FairAccounting, FairScheduler, shareOf, type FairShareSettings, type Lane, type ShareCount } from './fair/index.ts';
import type { QueueName } from './names.ts';

export type AnyCatalog = Record<string, JobContract>;
export type PayloadOf<C extends AnyCatalog, K extends keyof C> = z.input<C[K]['schema']>;

export interface FleetQueuesOptions<C extends AnyCatalog = Catalog> {
  connection: Redis;
  /** Hash-tagged key prefix, e.g. `{gong-fleet}`. */
  prefix: string;
  catalog: C;
  /** OpenTelemetry for queue operations. Default none. */
  telemetry?: Telemetry;
  /** Fair-share priorities (on, head start 32, lane weights 1/4/4). Default DEFAULT_FAIR_SHARE. */
  fairShare?: FairShareSettings;
}

/** BullMQ's job options, plus who waits for the job. */
export interface EnqueueOptions extends JobsOptions {
  /**
   * The lane: `interactive` (a person waits: CLI runs, `ask`), `bulk` or `scheduled`. Work the job
   * adds later inherits it. Default `bulk`.
   */
  lane?: Lane;
}

/** A validated job, ready to add alone, in bulk or in a flow. */
export interface JobSpec {
  name: string;
  queueName: QueueName;
  /** The validated payload plus `lane`. */
  data: Record<string, unknown>;
  opts: JobsOptions;
}

export class FleetQueues<C extends AnyCatalog = Catalog> {
  private readonly queues = new Map<QueueName, Queue>();
  private flowProducer?: FlowProducer;
  private readonly scheduler: FairScheduler;
  private readonly accounting: FairAccounting;
  constructor(private readonly opts: FleetQueuesOptions<C>) {
    this.scheduler = new FairScheduler({
      redis: opts.connection,
      prefix: opts.prefix,
      settings: opts.fairShare ?? DEFAULT_FAIR_SHARE,
      queue: (name) => this.queue(name as QueueName),
    });
    this.accounting = new FairAccounting(opts.connection, opts.prefix);
  }

  get prefix(): string {
    return this.opts.prefix;
  }

  private telemetryOption(): { telemetry?: Telemetry } {
    return this.opts.telemetry ? { telemetry: this.opts.telemetry } : {};
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.opts.connection, prefix: this.opts.prefix, ...this.telemetryOption() });
      q.on('error', () => {}); // surfaced through the awaited calls instead
      this.queues.set(name, q);
    }
    return q;
  }

  flows(): FlowProducer {
    this.flowProducer ??= new FlowProducer({ connection: this.opts.connection, prefix: this.opts.prefix, ...this.telemetryOption() });
    return this.flowProducer;
  }

  /** Validates and returns the job a kind implies, for `addBulk` and `addFlow`. */
  jobSpec<K extends keyof C & string>(kind: K, payload: PayloadOf<C, K>, extra: EnqueueOptions = {}): JobSpec {
    const { lane = DEFAULT_LANE, ...jobOpts } = extra;
    const def = this.opts.catalog[kind];
    if (!def) throw new BadInputError(`unknown job kind "${kind}"`);
    const parsed = def.schema.safeParse(payload);
    if (!parsed.success) {
      throw new BadInputError(`invalid ${kind} payload: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    }
    const opts: JobsOptions = {
      attempts: def.attempts,
      // 'fleet' names the workers' custom backoff strategy: the one retry policy, base = backoffMs.
      backoff: { type: 'fleet', delay: def.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      ...jobOpts,
    };
    return { name: kind, queueName: def.queue, data: { ...(parsed.data as Record<string, unknown>), lane }, opts };
  }

  async enqueue<K extends keyof C & string>(kind: K, payload: PayloadOf<C, K>, extra: EnqueueOptions = {}): Promise<Job> {
    const spec = this.jobSpec(kind, payload, extra);
    await this.scheduler.prioritize([spec]);
    const job = await this.queue(spec.queueName).add(spec.name, spec.data, spec.opts);
    await this.count([spec]);
    return job;
  }

  /** Adds jobs (of any queues) at once, each queue's in the given order. */
  async addBulk(specs: JobSpec[]): Promise<Job[]> {
    await this.scheduler.prioritize(specs);
    const byQueue = new Map<QueueName, JobSpec[]>();
    for (const s of specs) byQueue.set(s.queueName, [...(byQueue.get(s.queueName) ?? []), s]);
    const added = await Promise.all(
      [...byQueue].map(([queueName, list]) => this.queue(queueName).addBulk(list.map((s) => ({ name: s.name, data: s.data, opts: s.opts })))),
    );
    await this.count(specs);
    return added.flat();
  }

  /** Adds a flow: `parent` runs once every child has finished (children may sit in any queue). */
  async addFlow(parent: JobSpec, children: JobSpec[]): Promise<JobNode> {
    await this.scheduler.prioritize([parent, ...children]);
    const node = await this.flows().add({
      name: parent.name,
      queueName: parent.queueName,
      data: parent.data,
      opts: parent.opts,
      children: children.map((c) => ({ name: c.name, queueName: c.queueName, data: c.data, opts: c.opts })),
    });
    await this.count([parent, ...children]);
    return node;
  }

  /** Counts added jobs for the dashboard; a failed count never fails an enqueue that succeeded. */
  private async count(specs: JobSpec[]): Promise<void> {
    await this.accounting.enqueued(countShares(specs)).catch(() => {});
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flowProducer?.close();
  }
}

/** Jobs per queue, lane and account, for the pending counters. */
function countShares(specs: JobSpec[]): ShareCount[] {
  const counts = new Map<string, ShareCount>();
  for (const s of specs) {
    const { accountId, lane } = shareOf(s.data);
    const key = JSON.stringify([s.queueName, lane, accountId]);
    const c = counts.get(key) ?? { queue: s.queueName, lane, accountId, count: 0 };
    c.count += 1;
    counts.set(key, c);
  }
  return [...counts.values()];
}
