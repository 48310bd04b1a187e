/**
 * The producer side of the catalog: `enqueue(kind, payload)` is type-checked from the job's zod
 * schema, validated before anything reaches Redis (a bad payload never half-enqueues), and carries
 * the kind's attempts/backoff. One Queue object per queue name, created lazily. Typed by the
 * fleet's catalog by default; tests pass small catalogs of their own.
 */
import { FlowProducer, Queue, type JobsOptions, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { BadInputError } from '../shared/platform/index.ts';
import type { Catalog } from './catalog.ts';
import type { JobContract } from './contract.ts';
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
}

export class FleetQueues<C extends AnyCatalog = Catalog> {
  private readonly queues = new Map<QueueName, Queue>();
  private flowProducer?: FlowProducer;
  constructor(private readonly opts: FleetQueuesOptions<C>) {}

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

  /** Validates and returns the job options a kind implies, for use in flows and bulk adds. */
  jobSpec<K extends keyof C & string>(kind: K, payload: PayloadOf<C, K>, extra: JobsOptions = {}) {
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
      ...extra,
    };
    return { name: kind, queueName: def.queue, data: parsed.data as Record<string, unknown>, opts };
  }

  async enqueue<K extends keyof C & string>(kind: K, payload: PayloadOf<C, K>, extra: JobsOptions = {}) {
    const spec = this.jobSpec(kind, payload, extra);
    return this.queue(spec.queueName).add(spec.name, spec.data, spec.opts);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flowProducer?.close();
  }
}
