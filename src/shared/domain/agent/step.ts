/**
 * One checkpointed step of an agent run: turn `n` from its model completion to its stored
 * results. `advanceAsk` is pure orchestration over the run store and says what the job must do
 * next: add child jobs (tool calls, approved writes, built-in pipelines) and wait for them, stop
 * for a person's approval, enqueue the next turn, or nothing (the run finished). The worker's
 * processor (workers/agent-step.ts) maps that onto BullMQ; nothing here knows about queues.
 */
import { BadInputError, NonRetryableError } from '../../platform/index.ts';
import type { RunPlan } from '../runs/plan.ts';
import { planAutopsyRun, planSummarizeRun, type RunRequestDeps } from '../runs/plan-requests.ts';
import { resumeDecided } from './decide.ts';
import { assignEnvelopes } from './results.ts';
import { FINAL_ASK_STATUSES, type AskRun, type AskStatus, type CallRecord, type PendingWrite } from './run-model.ts';
import { StaleRunError, type StoredResult } from './run-store.ts';
import { takeModelTurn, type TurnDeps } from './turn.ts';

export type ChildRequest =
  | { kind: 'tool'; callKey: string; tool: string; args: Record<string, unknown> }
  | { kind: 'write'; callKey: string; tool: string; args: Record<string, unknown>; hash: string }
  | { kind: 'pipeline'; callKey: string; plan: RunPlan };

export type StepOutcome =
  | { kind: 'children'; children: ChildRequest[] }
  | { kind: 'next'; turn: number }
  | { kind: 'awaiting-approval'; pending: PendingWrite }
  | { kind: 'finished'; status: AskStatus }
  | { kind: 'stale' };

/** A built-in's plan as stored: when it was made, so the call's duration covers the pipeline. */
export type StoredPlan = RunPlan & { plannedAtMs: number };

export interface StepDeps extends TurnDeps {
  /** What planning a built-in's pipeline reads (the domain's run planners). */
  planDeps: RunRequestDeps;
  /** A launched pipeline's result once its report exists (the worker reads the report). */
  pipelineResult: (plan: StoredPlan) => Promise<StoredResult | undefined>;
}

export async function advanceAsk(deps: StepDeps, runId: string, n: number): Promise<StepOutcome> {
  let run = await deps.store.get(runId);
  if (!run) throw new NonRetryableError(`agent run ${runId} is unknown (expired?)`);
  // A continuation enqueued by `approve` may arrive before approve marked the run running.
  if (run.status === 'awaiting-approval') run = (await resumeDecided(deps.store, runId)) ?? run;
  if (run.status !== 'running' || run.turns.length > n + 1 || n > run.turns.length) return { kind: 'stale' };
  if (n === run.turns.length) run = await takeModelTurn(deps, run);
  const turn = run.turns[n]!;
  if (turn.done && turn.calls.length > 0) return { kind: 'next', turn: n + 1 };
  if (turn.calls.length === 0) return finish(deps, run, n);

  const children: ChildRequest[] = [];
  const undecided: CallRecord[] = [];
  for (const call of turn.calls) {
    if (call.envelope !== undefined || call.kind === 'read_result' || call.kind === 'invalid') continue;
    if (await deps.store.getResult(runId, call.key)) continue;
    if (call.kind === 'read') children.push({ kind: 'tool', callKey: call.key, tool: call.name, args: call.args });
    else if (call.kind === 'write') {
      const decision = await deps.store.getApproval(call.hash!, call.key);
      if (!decision) undecided.push(call);
      else if (decision.decision === 'approved') children.push({ kind: 'write', callKey: call.key, tool: call.name, args: call.args, hash: call.hash! });
    } else {
      const child = await builtinChild(deps, run, call);
      if (child) children.push(child);
    }
  }
  if (children.length > 0) return { kind: 'children', children };
  if (undecided.length > 0) {
    const first = undecided[0]!;
    const pending: PendingWrite = { callKey: first.key, turn: n, tool: first.name, args: first.args, hash: first.hash!, sinceMs: Date.now() };
    await deps.store.save({ ...run, status: 'awaiting-approval', pending });
    return { kind: 'awaiting-approval', pending };
  }
  await deps.store.save(await assignEnvelopes(deps.store, deps.context, run, n));
  return { kind: 'next', turn: n + 1 };
}

/** Stores the answer: `failed` when the run had to stop early, `denied` when a person refused a write. */
async function finish(deps: StepDeps, run: AskRun, n: number): Promise<StepOutcome> {
  if (FINAL_ASK_STATUSES.has(run.status)) return { kind: 'stale' };
  const turn = run.turns[n]!;
  const stoppedEarly = turn.toolChoice === 'none' && run.note !== undefined;
  const cut = turn.finishReason === 'length' ? 'The answer was cut at the output token limit.' : undefined;
  const status: AskStatus = stoppedEarly ? 'failed' : run.decisions.some((d) => d.decision === 'denied') ? 'denied' : 'answered';
  const answer = [turn.content ?? '', stoppedEarly ? `_${run.note}_` : '', cut ? `_${cut}_` : ''].filter(Boolean).join('\n\n');
  await deps.store.save({ ...run, status, answer, finishedAtMs: Date.now(), ...(cut && !stoppedEarly ? { note: cut } : {}) });
  return { kind: 'finished', status };
}

/** A built-in's pipeline: planned once (the plan is stored), launched as a child, read when its report exists. */
async function builtinChild(deps: StepDeps, run: AskRun, call: CallRecord): Promise<ChildRequest | undefined> {
  let plan = await deps.store.getPlan<StoredPlan>(run.runId, call.key);
  if (!plan) {
    let made: RunPlan;
    try {
      made = await planBuiltin(deps.planDeps, run, call);
    } catch (err) {
      // The model asked for something that can't run (no calls in the window, unknown deal): tell it.
      if (!(err instanceof BadInputError)) throw err;
      await deps.store.putResult(run.runId, call.key, { status: 'error', error: err.message, requests: 0, governorWaitMs: 0, durationMs: 0, storedAtMs: Date.now() });
      return undefined;
    }
    plan = await deps.store.putPlan<StoredPlan>(run.runId, call.key, { ...made, runId: pipelineRunId(run.runId, call.key), plannedAtMs: Date.now() });
  }
  const result = await deps.pipelineResult(plan);
  if (result) {
    await deps.store.putResult(run.runId, call.key, result);
    return undefined;
  }
  return { kind: 'pipeline', callKey: call.key, plan };
}

/** The id of the summarize/autopsy run a built-in call launches: fixed, so a retried step launches it once. */
export function pipelineRunId(runId: string, callKey: string): string {
  return `${runId}.${callKey}`;
}

function planBuiltin(deps: RunRequestDeps, run: AskRun, call: CallRecord): Promise<RunPlan> {
  const a = call.args;
  if (call.kind === 'deal_autopsy') {
    const days = typeof a.days === 'number' ? a.days : a.days === undefined ? 30 : Number(a.days);
    return planAutopsyRun(deps, { accountId: run.accountId, deal: typeof a.deal === 'string' ? a.deal : '', days });
  }
  if (Array.isArray(a.call_ids) && a.call_ids.length > 0) {
    return planSummarizeRun(deps, { accountId: run.accountId, callIds: a.call_ids.map((x) => String(x)) });
  }
  const from = typeof a.from === 'string' ? new Date(a.from) : undefined;
  const to = typeof a.to === 'string' ? new Date(a.to) : undefined;
  if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    return Promise.reject(new BadInputError('summarize_calls needs call_ids, or from and to as ISO date-times'));
  }
  // Gong rejects future dates; "to the end of today" means now.
  return planSummarizeRun(deps, { accountId: run.accountId, from, to: new Date(Math.min(to.getTime(), Date.now())) });
}

/** Ends a run that cannot go on (its step failed for good): `failed`, with the reason. */
export async function failAsk(store: StepDeps['store'], runId: string, reason: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const run = await store.get(runId);
    if (!run || FINAL_ASK_STATUSES.has(run.status)) return;
    try {
      await store.save({ ...run, status: 'failed', note: reason.slice(0, 500), finishedAtMs: Date.now() });
      return;
    } catch (err) {
      if (!(err instanceof StaleRunError)) throw err;
    }
  }
}

/** Stores an `error` result for a child that ended without one (it failed for good). */
export async function storeChildFailure(store: StepDeps['store'], runId: string, callKey: string, reason: string): Promise<void> {
  await store.putResult(runId, callKey, { status: 'error', error: reason.slice(0, 300), requests: 0, governorWaitMs: 0, durationMs: 0, storedAtMs: Date.now() });
}
