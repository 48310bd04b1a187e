/**
 * Step two of a sync, run by the `crm-poll` job: one status read per job, then either a final
 * state (DONE or FAILED with Gong's per-line errors) or the next poll job, delayed with growing
 * backoff, until a bounded total wait. Success is recorded only when Gong says DONE.
 */
import { NonRetryableError } from '../../platform/index.ts';
import { loadCapabilities, TrutoNotFoundError, type CrmRequestStatus } from '../../upstream/index.ts';
import type { CrmStepDeps } from './upload.ts';
import { FINAL_PHASES, type CrmSyncState } from './sync-store.ts';

/** The full sandbox's name of the status tool; the `crm-status` capability also takes a `get` tool by id. */
export const STATUS_TOOL = 'list_all_gong_crm_request_status';

export interface PollLimits {
  /** Delay before the first poll, in ms; each later one is 1.5× longer. */
  firstPollMs: number;
  /** Longest delay between two polls, in ms. */
  maxPollMs: number;
  /** Total wait after the upload before giving up as TIMED_OUT, in ms. */
  maxWaitMs: number;
}

/** Delay before poll number `seq` (0-based): capped exponential, no jitter (one poller per sync). */
export function pollDelayMs(seq: number, limits: Pick<PollLimits, 'firstPollMs' | 'maxPollMs'>): number {
  return Math.round(Math.min(limits.maxPollMs, limits.firstPollMs * 1.5 ** Math.max(0, seq)));
}

/**
 * Gong's current status of an upload (a read: safe from any job), through whichever request-status
 * tool the account has: a list with the id in its query, or a get by id.
 */
export async function readRequestStatus(truto: CrmStepDeps['truto'], state: Pick<CrmSyncState, 'accountId' | 'integrationId' | 'clientRequestId'>, signal?: AbortSignal): Promise<CrmRequestStatus> {
  const caps = await loadCapabilities(truto, state.accountId);
  const status = await caps.one('crm-status', {
    integrationId: state.integrationId,
    clientRequestId: state.clientRequestId,
  }, signal ? { signal } : {});
  if (!status) throw new NonRetryableError(`Gong returned no status for CRM request ${state.clientRequestId}`);
  return status;
}

export type PollOutcome = 'final' | 'scheduled' | 'stale';

export async function pollCrmSync(deps: CrmStepDeps, limits: PollLimits, id: string, seq: number, signal?: AbortSignal): Promise<{ outcome: PollOutcome; state?: CrmSyncState }> {
  const now = deps.now ?? Date.now;
  const state = await deps.store.get(id);
  // A poll job of an older chain (or a duplicate after a crash) must not fork a second chain.
  if (!state || FINAL_PHASES.has(state.phase) || state.phase !== 'polling' || state.pollSeq !== seq) {
    return { outcome: 'stale', ...(state ? { state } : {}) };
  }
  let status: CrmRequestStatus;
  try {
    status = await readRequestStatus(deps.truto, state, signal);
  } catch (err) {
    if (!(err instanceof TrutoNotFoundError)) throw err;
    const failed = await deps.store.update(id, { phase: 'ERROR', finishedAtMs: now(), message: `Gong does not know request ${id} (404)` });
    return { outcome: 'final', state: failed };
  }
  const polled = { gongStatus: status.status, polls: state.polls + 1, lastPolledAtMs: now() };
  if (status.status === 'DONE' || status.status === 'FAILED') {
    const final = await deps.store.update(id, {
      ...polled,
      phase: status.status,
      finishedAtMs: now(),
      totalSuccessCount: status.totalSuccessCount ?? 0,
      totalErrorCount: status.totalErrorCount ?? status.errors?.length ?? 0,
      errors: (status.errors ?? []).map((e) => ({ line: e.line, description: e.description })),
    });
    deps.logger.info({ clientRequestId: id, status: status.status, polls: final.polls }, 'crm sync finished');
    return { outcome: 'final', state: final };
  }
  const waitedMs = now() - (state.uploadedAtMs ?? state.createdAtMs);
  if (waitedMs >= limits.maxWaitMs) {
    const timedOut = await deps.store.update(id, {
      ...polled,
      phase: 'TIMED_OUT',
      finishedAtMs: now(),
      message: `Gong still says ${status.status} after ${Math.round(waitedMs / 1000)} s; check later with: gong-fleet crm-sync status ${id}`,
    });
    return { outcome: 'final', state: timedOut };
  }
  const delayMs = Math.max(0, Math.min(pollDelayMs(seq + 1, limits), limits.maxWaitMs - waitedMs));
  // Enqueue first, then advance: a crash in between re-runs this poll, whose enqueue is a no-op.
  await deps.schedule(seq + 1, delayMs);
  const next = await deps.store.update(id, { ...polled, pollSeq: seq + 1 });
  return { outcome: 'scheduled', state: next };
}
