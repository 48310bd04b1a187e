/**
 * What the CLI-facing use cases may use. Declared here, by the side that uses them; the
 * composition root (src/app/services.ts) builds one object that satisfies this and the workers'
 * WorkerServices. Config arrives as the few values producers read, never as the whole Config.
 */
import type { Redis } from 'ioredis';
import type { FleetQueues } from '../queues/fleet-queues.ts';
import type { PlanLimits, SweepSettings, TranscriptStore } from '../shared/domain/index.ts';
import type { LlmClient, RateGovernor, TrutoClient } from '../shared/upstream/index.ts';

export interface ProducerServices {
  /** A Redis connection for run counters, stored reports and CRM sync state. */
  redis: Redis;
  /** Hash-tagged key prefix for every key the fleet owns. */
  prefix: string;
  /** Paced by the fleet-wide governor, like the workers'. */
  truto: TrutoClient;
  /** To enqueue flows and write jobs, and to watch their parents. */
  queues: FleetQueues;
  /** Plans skip calls whose transcripts are stored. */
  transcripts: TranscriptStore;
  /** Plans read the account's daily budget left. */
  governor: RateGovernor;
  /** The model (part of a run's id; `ask` sizes its tools from the budget); undefined when no OPENAI_API_KEY is configured. */
  llm: Pick<LlmClient, 'model' | 'promptBudgetTokens' | 'promptBudgetFor'> | undefined;
  /** Upstream limits for a plan's ETA and budget (GONG_PER_*, TRUTO_PER_ACCOUNT_PER_10S, GONG_FLEET_ACCOUNT_LIMITS). */
  planLimits: PlanLimits;
  /** SWEEP_* config. */
  sweep: SweepSettings;
  /** Largest LDJSON file `crm-sync` accepts, in bytes (CRM_MAX_FILE_BYTES). */
  crmMaxFileBytes: number;
  /** `ask` defaults (ASK_MAX_STEPS, ASK_RESULT_CHARS). */
  ask: { maxSteps: number; resultChars: number };
}
