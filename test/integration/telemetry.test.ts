/**
 * OTEL_ENABLED wires bullmq-otel into queues and workers: adding and processing a job on a real
 * Redis produces OpenTelemetry spans (captured in memory here; in production an SDK exports them).
 */
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { QueueEvents } from 'bullmq';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/index.ts';
import { FleetQueues } from '../../src/queues/fleet-queues.ts';
import { silentLogger, createTelemetry } from '../../src/shared/platform/index.ts';
import type { WorkerServices } from '../../src/workers/services.ts';
import { defineJob } from '../../src/workers/define-job.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

const catalog = {
  ping: defineJob({
    name: 'ping', queue: 'upstream', schema: z.object({ n: z.number() }),
    attempts: 1, backoffMs: 10, timeoutMs: 5_000,
    async process(p) { return p.n + 1; },
  }),
};

describe('OpenTelemetry through bullmq-otel', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('otel');
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('is off by default and on with OTEL_ENABLED=true', () => {
    expect(createTelemetry({ enabled: loadConfig({}).OTEL_ENABLED })).toBeUndefined();
    const cfg = loadConfig({ OTEL_ENABLED: 'true', OTEL_SERVICE_NAME: 'fleet-test' });
    expect(createTelemetry({ enabled: cfg.OTEL_ENABLED, serviceName: cfg.OTEL_SERVICE_NAME })).toBeDefined();
    expect(() => loadConfig({ OTEL_ENABLED: 'yes' })).toThrow(/OTEL_ENABLED/);
  });

  it('emits spans for adding and processing a job', async () => {
    const telemetry = createTelemetry({ enabled: true, serviceName: 'fleet-test' });
    const queues = new FleetQueues({ connection: redis, prefix, catalog, ...(telemetry ? { telemetry } : {}) });
    const services = { waits: { add: async () => 0 } } as unknown as WorkerServices;
    const fleet = startWorkers({ connection: redis, prefix, jobs: catalog, services, logger: silentLogger, queues: ['upstream'], concurrency: 1, ...(telemetry ? { telemetry } : {}) });
    const events = new QueueEvents('upstream', { connection: redis.duplicate(), prefix });
    // Listening before the job exists: a job finished between waitUntilFinished's own check and the
    // events stream's first read would otherwise never be reported (seen once fair-share tagging
    // shifted the timing of the add).
    await events.waitUntilReady();
    try {
      const job = await queues.enqueue('ping', { n: 41 });
      // A generous wait: on a loaded 2-core machine the worker can take seconds to pick the job up.
      expect(await job.waitUntilFinished(events, 30_000)).toBe(42);
      // The worker ends its "process" span just after the job's completion is published.
      const names = () => exporter.getFinishedSpans().map((s) => s.name);
      await vi.waitFor(() => expect(names()).toContain('process upstream'), { timeout: 10_000 });
      expect(names()).toContain('add upstream.ping');
    } finally {
      await fleet.close(2_000);
      await queues.close();
      await events.close();
    }
  });
});
