/**
 * A person's decision on the write an agent run waits for. Only `gong-fleet approve` records one;
 * no job does, so nothing a model reads or writes can approve anything. The decision is bound to
 * the pending request's hash and call. Recording it and resuming the run are separate idempotent
 * steps (record, enqueue the continuation, mark the run running), and the continuation can mark
 * the run running itself, so a crash between them never leaves a run stuck.
 */
import { BadInputError } from '../../platform/index.ts';
import { requestHash } from './approval.ts';
import type { AskRun, Decision, PendingWrite } from './run-model.ts';
import { StaleRunError, type ApprovalRecord, type AskStore } from './run-store.ts';

export interface DecisionRequest {
  runId: string;
  /** Absent = approve; a reason = deny. */
  denyReason?: string;
  /** Who decides (user@host). */
  by: string;
}

/** The run and its pending write; BadInputError when there is nothing to decide. */
export async function pendingOf(store: AskStore, runId: string): Promise<{ run: AskRun; pending: PendingWrite }> {
  const run = await store.get(runId);
  if (!run) throw new BadInputError(`unknown agent run "${runId}" (or it expired)`);
  if (run.status !== 'awaiting-approval' || !run.pending) throw new BadInputError(`run ${runId} is not waiting for approval (status ${run.status})`);
  // The stored hash must still describe the stored request (a tampered record is refused).
  if (requestHash(run.runId, run.pending.tool, run.pending.args) !== run.pending.hash) {
    throw new BadInputError(`run ${runId}: the pending request does not match its hash; refusing to decide on it`);
  }
  return { run, pending: run.pending };
}

/**
 * Records the decision on the pending write (the first decision on a request stands). Returns
 * the decision in effect and the pending request it applies to.
 */
export async function recordDecision(store: AskStore, req: DecisionRequest): Promise<{ approval: ApprovalRecord; pending: PendingWrite }> {
  const { run, pending } = await pendingOf(store, req.runId);
  const denied = req.denyReason !== undefined;
  const approval = await store.putApproval({
    runId: run.runId,
    callKey: pending.callKey,
    tool: pending.tool,
    hash: pending.hash,
    decision: denied ? 'denied' : 'approved',
    ...(denied ? { reason: req.denyReason?.trim() || 'denied by a person' } : {}),
    by: req.by,
    atMs: Date.now(),
  });
  return { approval, pending };
}

/**
 * Moves a run waiting on a decided request back to `running`, with the decision in its record.
 * Returns the run as it now is (unchanged when it wasn't waiting, or nobody decided yet).
 */
export async function resumeDecided(store: AskStore, runId: string): Promise<AskRun | undefined> {
  for (let i = 0; i < 3; i++) {
    const run = await store.get(runId);
    if (!run || run.status !== 'awaiting-approval' || !run.pending) return run;
    const approval = await store.getApproval(run.pending.hash, run.pending.callKey);
    if (!approval) return run;
    const decision: Decision = {
      hash: approval.hash,
      callKey: approval.callKey,
      tool: approval.tool,
      decision: approval.decision,
      ...(approval.reason ? { reason: approval.reason } : {}),
      by: approval.by,
      atMs: approval.atMs,
    };
    try {
      return await store.save({ ...run, status: 'running', pending: undefined, decisions: [...run.decisions, decision] });
    } catch (err) {
      if (!(err instanceof StaleRunError)) throw err;
    }
  }
  return store.get(runId);
}
