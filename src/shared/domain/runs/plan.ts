/**
 * The plan a producer prints before it enqueues anything: calls found, upstream requests still
 * needed (transcript batches for calls not yet stored, deal context), the ETA at the account's
 * rate limit, and the daily budget left. A plan the daily budget cannot cover is refused.
 */
import { createHash } from 'node:crypto';
import { type CallRef } from '../calls/calls.ts';
import type { LlmClient, RateGovernor, TrutoLimits } from '../../upstream/index.ts';
import type { FoundDeal } from '../deals/find-deal.ts';
import type { Degradation } from './degradations.ts';
import { BudgetError } from '../errors.ts';
import { PROMPT_VERSION } from '../summaries/schemas.ts';
import { TRANSCRIPT_BATCH_SIZE } from '../transcripts/fetch.ts';
import type { TranscriptStore } from '../transcripts/store.ts';

export interface RunPlan {
  runId: string;
  kind: 'summarize' | 'autopsy';
  accountId: string;
  subject: string;
  window: { from: string; to: string };
  calls: CallRef[];
  deal?: Omit<FoundDeal, 'calls'>;
  /** Hosts of the deal's calls, whose Engage tasks the autopsy checks. */
  userIds: string[];
  /** Calls whose transcript is already stored (no fetch needed). */
  storedCallIds: string[];
  batches: CallRef[][];
  discoveryRequests: number;
  /** What the account's tools could not give this run (the report says so). */
  degradations: Degradation[];
  requestsNeeded: number;
  ratePerSecond: number;
  etaSeconds: number;
  dailyLimit: number;
  dailyBudgetLeft: number;
}

/**
 * The upstream limits a plan's ETA and budget come from (config GONG_PER_SECOND, GONG_PER_DAY,
 * TRUTO_PER_ACCOUNT_PER_10S, and GONG_FLEET_ACCOUNT_LIMITS for accounts whose limits were raised).
 */
export interface PlanLimits {
  defaults: Pick<TrutoLimits, 'gongPerSecond' | 'gongPerDay' | 'trutoPerAccountPer10s'>;
  overrides: Readonly<Record<string, Partial<TrutoLimits>>>;
}

/** What making a plan reads: stored transcripts, the governor's view of the account, the limits. */
export interface PlanDeps {
  transcripts: Pick<TranscriptStore, 'stored'>;
  governor: Pick<RateGovernor, 'state'>;
  planLimits: PlanLimits;
  /** The model that will summarize (part of the run id); undefined when no LLM is configured. */
  llm: Pick<LlmClient, 'model'> | undefined;
}

/** What a planner hands `makePlan`: the calls and their subject; no degradations when left out. */
export type PlanInput = Omit<RunPlan, 'runId' | 'storedCallIds' | 'batches' | 'requestsNeeded' | 'ratePerSecond' | 'etaSeconds' | 'dailyLimit' | 'dailyBudgetLeft' | 'degradations'> &
  Partial<Pick<RunPlan, 'degradations'>>;

export async function makePlan(services: PlanDeps, input: PlanInput): Promise<RunPlan> {
  const ids = input.calls.map((c) => c.callId);
  const stored = await services.transcripts.stored(input.accountId, ids);
  const toFetch = input.calls.filter((c) => !stored.has(c.callId));
  const batches: CallRef[][] = [];
  for (let i = 0; i < toFetch.length; i += TRANSCRIPT_BATCH_SIZE) batches.push(toFetch.slice(i, i + TRANSCRIPT_BATCH_SIZE));
  const contextRequests = input.kind === 'autopsy' ? input.userIds.length + 1 : 0;
  const requestsNeeded = batches.length + contextRequests;

  const state = await services.governor.state(input.accountId);
  const { defaults, overrides } = services.planLimits;
  const limits = overrides[input.accountId] ?? {};
  const ratePerSecond = Math.min(
    limits.gongPerSecond ?? defaults.gongPerSecond,
    (limits.trutoPerAccountPer10s ?? defaults.trutoPerAccountPer10s) / 10,
  );
  const dailyLimit = state.dailyLimit ?? defaults.gongPerDay;
  const dailyBudgetLeft = state.dailyBudgetLeft ?? dailyLimit;
  if (requestsNeeded > dailyBudgetLeft) {
    throw new BudgetError(
      `this run needs ${requestsNeeded} upstream requests but account ${input.accountId} has ${dailyBudgetLeft} of its ${dailyLimit} daily requests left; narrow the window or try after the daily reset`,
    );
  }
  const runId = makeRunId(input.kind, input.accountId, ids, services.llm?.model ?? 'none');
  return {
    ...input,
    degradations: input.degradations ?? [],
    runId,
    storedCallIds: [...stored],
    batches,
    requestsNeeded,
    ratePerSecond,
    etaSeconds: Math.ceil(requestsNeeded / ratePerSecond),
    dailyLimit,
    dailyBudgetLeft,
  };
}

/**
 * A run id: the request's content hash plus the start time. The content hash makes ids
 * recognisable in Bull Board; per-call work is deduplicated across runs by the transcript store,
 * the summary cache and its lock, not by job ids.
 */
function makeRunId(kind: string, accountId: string, callIds: string[], model: string): string {
  const h = createHash('sha256').update([kind, accountId, PROMPT_VERSION, model, ...[...callIds].sort()].join('|')).digest('hex');
  return `r-${h.slice(0, 10)}-${Date.now().toString(36)}`;
}
