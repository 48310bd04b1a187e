/**
 * The plan a producer prints before it enqueues anything: calls found, upstream requests still
 * needed (transcript batches for calls not yet stored, deal context), the ETA at the account's
 * rate limit, and the daily budget left. A plan the daily budget cannot cover is refused.
 */
import { createHash } from 'node:crypto';
import { type CallRef } from '../calls/calls.ts';
import { BadInputError } from '../../platform/errors.ts';
import { PROMPT_VERSION } from '../summaries/schemas.ts';
import type { FleetServices } from '../../../app/services.ts';
import { TRANSCRIPT_BATCH_SIZE } from '../../../workers/transcript-batch.ts';
import type { FoundDeal } from '../deals/find-deal.ts';

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
  requestsNeeded: number;
  ratePerSecond: number;
  etaSeconds: number;
  dailyLimit: number;
  dailyBudgetLeft: number;
}

/** Thrown when the account's daily budget cannot cover a plan; nothing is enqueued. */
export class BudgetError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetError';
  }
}

export async function makePlan(
  services: Pick<FleetServices, 'transcripts' | 'governor' | 'config' | 'llm'>,
  input: Omit<RunPlan, 'runId' | 'storedCallIds' | 'batches' | 'requestsNeeded' | 'ratePerSecond' | 'etaSeconds' | 'dailyLimit' | 'dailyBudgetLeft'>,
): Promise<RunPlan> {
  const ids = input.calls.map((c) => c.callId);
  const stored = await services.transcripts.stored(input.accountId, ids);
  const toFetch = input.calls.filter((c) => !stored.has(c.callId));
  const batches: CallRef[][] = [];
  for (let i = 0; i < toFetch.length; i += TRANSCRIPT_BATCH_SIZE) batches.push(toFetch.slice(i, i + TRANSCRIPT_BATCH_SIZE));
  const contextRequests = input.kind === 'autopsy' ? input.userIds.length + 1 : 0;
  const requestsNeeded = batches.length + contextRequests;

  const state = await services.governor.state(input.accountId);
  const limits = services.config.GONG_FLEET_ACCOUNT_LIMITS[input.accountId] ?? {};
  const ratePerSecond = Math.min(
    limits.gongPerSecond ?? services.config.GONG_PER_SECOND,
    (limits.trutoPerAccountPer10s ?? services.config.TRUTO_PER_ACCOUNT_PER_10S) / 10,
  );
  const dailyLimit = state.dailyLimit ?? services.config.GONG_PER_DAY;
  const dailyBudgetLeft = state.dailyBudgetLeft ?? dailyLimit;
  if (requestsNeeded > dailyBudgetLeft) {
    throw new BudgetError(
      `this run needs ${requestsNeeded} upstream requests but account ${input.accountId} has ${dailyBudgetLeft} of its ${dailyLimit} daily requests left; narrow the window or try after the daily reset`,
    );
  }
  const runId = makeRunId(input.kind, input.accountId, ids, services.llm?.model ?? 'none');
  return {
    ...input,
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

export function describePlan(p: RunPlan): string[] {
  return [
    `plan ${p.runId}: ${p.kind} of ${p.subject}`,
    `  calls found: ${p.calls.length} (${p.storedCallIds.length} transcripts already stored, ${p.calls.length - p.storedCallIds.length} to fetch in ${p.batches.length} batch requests)`,
    `  upstream requests: ${p.discoveryRequests} made for discovery, ${p.requestsNeeded} still needed`,
    `  ETA at ${p.ratePerSecond}/s: ~${p.etaSeconds} s of upstream time, plus LLM time`,
    `  daily budget left: ${p.dailyBudgetLeft} of ${p.dailyLimit}`,
  ];
}
