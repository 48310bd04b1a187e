/**
 * What job processors may use: the services a worker process hands to every job. Declared here,
 * by the side that uses them; the composition root (src/app/services.ts) builds one object that
 * satisfies this and the producers' ProducerServices. Config arrives as the few values jobs read.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FleetQueues } from '../queues/fleet-queues.ts';
import type { LlmCache, PollLimits, SweepSettings, TranscriptStore } from '../shared/domain/index.ts';
import type { LlmClient, TrutoClient } from '../shared/upstream/index.ts';

export interface WaitTracker {
  /** Adds a rate-limit wait to a job's running total and returns the total, in ms. */
  add(job: Job, waitMs: number): Promise<number>;
}

export interface WorkerServices {
  /** A worker-role connection for caches and stores (never blocking commands). */
  redis: Redis;
  /** Hash-tagged key prefix for every key the fleet owns. */
  prefix: string;
  /** Paced by the fleet-wide governor. Read-only jobs get a view that refuses write tools. */
  truto: TrutoClient;
  /** Undefined when no OPENAI_API_KEY is configured (jobs that need it fail with a clear error). */
  llm: LlmClient | undefined;
  /** For fan-out (summaries, poll chains, scheduled sweeps) and child look-ups. */
  queues: FleetQueues;
  /** Fetched transcripts, once per (account, call), with a TTL. */
  transcripts: TranscriptStore;
  /** An empty transcript of a call that ended less than this many hours ago is not final (TRANSCRIPT_READY_HOURS). */
  transcriptReadyHours: number;
  /** Per-call summaries, reduce groups and narratives. */
  llmCache: LlmCache;
  /** Running totals of rate-limit waits per job, bounding how long one job may be delayed. */
  waits: WaitTracker;
  /** Scheduled sweeps plan with these (SWEEP_* config). */
  sweep: SweepSettings;
  /** Where scheduled sweeps write their dated reports (SCHEDULED_REPORTS_DIR). */
  scheduledReportsDir: string;
  /** CRM status poll delays (CRM_POLL_* config). */
  crmPollLimits: PollLimits;
}
