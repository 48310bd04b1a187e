/**
 * What job processors may use: the services a worker process hands to every job. Declared here,
 * by the side that uses them; the composition root (src/app/services.ts) builds one object that
 * satisfies this and the producers' ProducerServices. Config arrives as the few values jobs read.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FleetQueues } from '../queues/fleet-queues.ts';
import type { LlmCache, PlanLimits, PollLimits, SweepSettings, ToolClassifier, TranscriptStore } from '../shared/domain/index.ts';
import type { LlmClient, RateGovernor, TrutoClient } from '../shared/upstream/index.ts';

export interface WaitTracker {
  /** Adds a rate-limit wait to a job's running total and returns the total, in ms. */
  add(job: Job, waitMs: number): Promise<number>;
  /** A job's total rate-limit waits so far, in ms (agent step logs). Optional: 0 when absent. */
  total?(job: Job): Promise<number>;
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
  /** The governor's view of an account (daily budget left): agent built-ins plan pipeline runs with it. */
  governor: Pick<RateGovernor, 'state'>;
  /** Upstream limits for those plans (GONG_PER_*, TRUTO_PER_ACCOUNT_PER_10S, GONG_FLEET_ACCOUNT_LIMITS). */
  planLimits: PlanLimits;
  /**
   * How agent runs classify tools as read or write. Default: the domain's `classifyTool`. Tests
   * inject a wrong one to prove the write guard holds on its own.
   */
  classifyTool?: ToolClassifier;
}
