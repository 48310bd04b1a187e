/**
 * The services a worker process (or a --local-worker CLI run) hands to every job: one Truto client
 * and one LLM client, both paced by the fleet-wide governor in Redis, plus the queues for fan-out.
 * Built once per process from the parsed config; processors stay thin and call into these.
 */
import type { Job, Telemetry } from 'bullmq';
import { createTelemetry, type Logger } from '../shared/platform/index.ts';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import { FleetQueues } from '../queues/fleet-queues.ts';
import { catalog, type Catalog } from '../queues/catalog.ts';
import { RateGovernor, llmGate, trutoGate, LlmClient, requiredScope, TrutoClient } from '../shared/upstream/index.ts';
import { LlmCache, TranscriptStore } from '../shared/domain/index.ts';

export interface WaitTracker {
  /** Adds a rate-limit wait to a job's running total and returns the total, in ms. */
  add(job: Job, waitMs: number): Promise<number>;
}

export interface FleetServices {
  config: Config;
  /** A worker-role connection for caches and stores (never blocking commands). */
  redis: Redis;
  /** Hash-tagged key prefix for every key the fleet owns. */
  prefix: string;
  truto: TrutoClient;
  governor: RateGovernor;
  /** Undefined when no OPENAI_API_KEY is configured (jobs that need it fail with a clear error). */
  llm: LlmClient | undefined;
  queues: FleetQueues<Catalog>;
  /** Fetched transcripts, once per (account, call), with a TTL. */
  transcripts: TranscriptStore;
  /** Per-call summaries and reduce groups. */
  llmCache: LlmCache;
  waits: WaitTracker;
  logger: Logger;
  /** OpenTelemetry for queues and workers when OTEL_ENABLED; else undefined. */
  telemetry: Telemetry | undefined;
}

export function createServices(config: Config, redis: Redis, logger: Logger): FleetServices {
  const prefix = config.GONG_FLEET_PREFIX;
  const governor = new RateGovernor({
    redis,
    prefix: `${prefix}:gov`,
    truto: {
      gongPerSecond: config.GONG_PER_SECOND,
      gongPerDay: config.GONG_PER_DAY,
      trutoPerAccountPer10s: config.TRUTO_PER_ACCOUNT_PER_10S,
      trutoPerTokenPer10s: config.TRUTO_PER_TOKEN_PER_10S,
    },
    overrides: config.GONG_FLEET_ACCOUNT_LIMITS,
    llm: { requestsPerMinute: config.LLM_REQUESTS_PER_MINUTE, tokensPerMinute: config.LLM_TOKENS_PER_MINUTE },
    safetyMargin: config.GOVERNOR_SAFETY_MARGIN,
  });
  const truto = new TrutoClient({
    baseUrl: config.TRUTO_BASE_URL,
    apiKey: config.TRUTO_API_KEY ?? '',
    timeoutMs: config.TRUTO_TIMEOUT_MS,
    logger: logger.child({ component: 'truto' }),
    gate: trutoGate(governor, config.TRUTO_API_KEY ?? ''),
    missingToolHint: requiredScope,
  });
  const llm = config.OPENAI_API_KEY
    ? new LlmClient({
        baseUrl: config.OPENAI_BASE_URL,
        apiKey: config.OPENAI_API_KEY,
        model: config.OPENAI_MODEL,
        contextTokens: config.OPENAI_CONTEXT_TOKENS,
        maxOutputTokens: config.OPENAI_MAX_OUTPUT_TOKENS,
        gate: llmGate(governor),
        logger: logger.child({ component: 'llm' }),
      })
    : undefined;
  const waitsKey = `${prefix}:job-waits`;
  const telemetry = createTelemetry({ enabled: config.OTEL_ENABLED, serviceName: config.OTEL_SERVICE_NAME });
  return {
    config,
    redis,
    prefix,
    truto,
    governor,
    llm,
    queues: new FleetQueues({ connection: redis, prefix, catalog, ...(telemetry ? { telemetry } : {}) }),
    transcripts: new TranscriptStore({ redis, prefix, ttlSeconds: config.TRANSCRIPT_TTL_SECONDS }),
    llmCache: new LlmCache({ redis, prefix, ttlSeconds: config.SUMMARY_TTL_SECONDS, model: config.OPENAI_MODEL }),
    waits: {
      async add(job, waitMs) {
        const field = `${job.queueName}:${job.id}`;
        const total = await redis.hincrby(waitsKey, field, Math.round(waitMs));
        return total;
      },
    },
    logger,
    telemetry,
  };
}
