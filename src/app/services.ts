/**
 * The composition root: builds, once per process from the parsed config, the one services object
 * a worker process (or a --local-worker CLI run) and the CLI's producers use. One Truto client and
 * one LLM client, both paced by the fleet-wide governor in Redis, the queues, the caches, and the
 * few config values jobs and producers read. `FleetServices` satisfies both `WorkerServices`
 * (src/workers) and `ProducerServices` (src/producers); only src/cli and tests import this file.
 */
import type { Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import type { ProducerServices } from '../producers/services.ts';
import { catalog } from '../queues/catalog.ts';
import { FleetQueues } from '../queues/fleet-queues.ts';
import { LlmCache, TranscriptStore } from '../shared/domain/index.ts';
import { createTelemetry, type Logger } from '../shared/platform/index.ts';
import { LlmClient, RateGovernor, TrutoClient, llmGate, requiredScope, trutoGate } from '../shared/upstream/index.ts';
import type { WorkerServices } from '../workers/services.ts';

export interface FleetServices extends WorkerServices, ProducerServices {
  llm: LlmClient | undefined;
  governor: RateGovernor;
  logger: Logger;
  /** OpenTelemetry for queues and workers when OTEL_ENABLED; else undefined. */
  telemetry: Telemetry | undefined;
}

export function createServices(config: Config, redis: Redis, logger: Logger): FleetServices {
  const prefix = config.GONG_FLEET_PREFIX;
  const truto = {
    gongPerSecond: config.GONG_PER_SECOND,
    gongPerDay: config.GONG_PER_DAY,
    trutoPerAccountPer10s: config.TRUTO_PER_ACCOUNT_PER_10S,
    trutoPerTokenPer10s: config.TRUTO_PER_TOKEN_PER_10S,
  };
  const governor = new RateGovernor({
    redis,
    prefix: `${prefix}:gov`,
    truto,
    overrides: config.GONG_FLEET_ACCOUNT_LIMITS,
    llm: { requestsPerMinute: config.LLM_REQUESTS_PER_MINUTE, tokensPerMinute: config.LLM_TOKENS_PER_MINUTE },
    safetyMargin: config.GOVERNOR_SAFETY_MARGIN,
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
    redis,
    prefix,
    truto: new TrutoClient({
      baseUrl: config.TRUTO_BASE_URL,
      apiKey: config.TRUTO_API_KEY ?? '',
      timeoutMs: config.TRUTO_TIMEOUT_MS,
      logger: logger.child({ component: 'truto' }),
      gate: trutoGate(governor, config.TRUTO_API_KEY ?? ''),
      missingToolHint: requiredScope,
    }),
    governor,
    llm,
    queues: new FleetQueues({ connection: redis, prefix, catalog, ...(telemetry ? { telemetry } : {}) }),
    transcripts: new TranscriptStore({ redis, prefix, ttlSeconds: config.TRANSCRIPT_TTL_SECONDS }),
    transcriptReadyHours: config.TRANSCRIPT_READY_HOURS,
    llmCache: new LlmCache({ redis, prefix, ttlSeconds: config.SUMMARY_TTL_SECONDS, model: config.OPENAI_MODEL }),
    waits: {
      async add(job, waitMs) {
        const field = `${job.queueName}:${job.id}`;
        const total = await redis.hincrby(waitsKey, field, Math.round(waitMs));
        return total;
      },
      async total(job) {
        return Number((await redis.hget(waitsKey, `${job.queueName}:${job.id}`)) ?? 0);
      },
    },
    planLimits: { defaults: truto, overrides: config.GONG_FLEET_ACCOUNT_LIMITS },
    sweep: {
      windowDays: config.SWEEP_WINDOW_DAYS,
      newHireDays: config.SWEEP_NEW_HIRE_DAYS,
      minManagerListens: config.SWEEP_MIN_MANAGER_LISTENS,
      maxCallsWithoutScorecard: config.SWEEP_MAX_CALLS_WITHOUT_SCORECARD,
    },
    scheduledReportsDir: config.SCHEDULED_REPORTS_DIR,
    crmPollLimits: { firstPollMs: config.CRM_POLL_FIRST_MS, maxPollMs: config.CRM_POLL_MAX_MS, maxWaitMs: config.CRM_POLL_MAX_WAIT_MS },
    crmMaxFileBytes: config.CRM_MAX_FILE_BYTES,
    ask: { maxSteps: config.ASK_MAX_STEPS, resultChars: config.ASK_RESULT_CHARS },
    logger,
    telemetry,
  };
}
