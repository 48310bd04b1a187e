/**
 * `agent-step` (flows): one model turn of an `ask` run (shared/domain/agent/step.ts). The turn's
 * completion is stored before anything acts on it; its tool calls become child jobs of this one
 * (sibling `agent-tool` jobs, approved `agent-write` jobs, summarize/autopsy runs for built-ins)
 * and the step waits for them as a parent, holding no worker slot (BullMQ's
 * `moveToWaitingChildren`). Then it stores the envelopes and enqueues the next turn's step. A
 * write nobody approved ends the step: the run waits in Redis until `gong-fleet approve`.
 */
import { WaitingChildrenError, type Job } from 'bullmq';
import { addAgentChildren, enqueueAgentStep } from '../queues/agent.ts';
import { catalog } from '../queues/catalog.ts';
import { agentToolJobId, agentWriteJobId, reportKey } from '../queues/keys.ts';
import { advanceAsk, failAsk, storeChildFailure, type ChildRequest } from '../shared/domain/index.ts';
import { FleetError, isRetryable } from '../shared/platform/index.ts';
import { askStore, stepDeps } from './agent-deps.ts';
import { implement } from './define-job.ts';
import type { WorkerServices } from './services.ts';

/** Rounds of (add children → they were already done) before the step gives the slot back. */
const MAX_ROUNDS = 20;

export const agentStep = implement(catalog['agent-step'], async (p, { job, token, services, logger }) => {
  try {
    const deps = stepDeps(services);
    const parent = { id: job.id!, queue: job.queueQualifiedName };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const out = await advanceAsk(deps, p.runId, p.turn);
      if (out.kind === 'children') {
        await addAgentChildren(services, parent, p, out.children);
        if (await job.moveToWaitingChildren(token ?? '')) throw new WaitingChildrenError();
        await settleChildren(services, p.runId, out.children);
        continue;
      }
      if (out.kind === 'next') {
        await enqueueAgentStep(services.queues, { runId: p.runId, accountId: p.accountId, turn: out.turn });
        return { runId: p.runId, turn: p.turn, next: out.turn };
      }
      logger.debug({ runId: p.runId, turn: p.turn, outcome: out.kind }, 'agent step');
      return { runId: p.runId, turn: p.turn, outcome: out.kind };
    }
    throw new FleetError(`agent step ${p.runId} turn ${p.turn}: children kept finishing without results`, true);
  } catch (err) {
    if (err instanceof WaitingChildrenError) throw err;
    if (lastChance(job, err)) await failAsk(askStore(services), p.runId, `step ${p.turn + 1} failed: ${(err as Error)?.message ?? String(err)}`);
    throw err;
  }
});

/** True when BullMQ will not run this step again after `err`. */
function lastChance(job: Job, err: unknown): boolean {
  if (err instanceof FleetError && err.retryAfterMs !== undefined && err.retryable) return false; // a wait, not an attempt
  return !isRetryable(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Children are all done: the ones that ended without a result failed for good (their retries ran
 * out); their reason becomes the call's `error` result, which the model then reports.
 */
async function settleChildren(services: WorkerServices, runId: string, children: readonly ChildRequest[]): Promise<void> {
  const store = askStore(services);
  for (const c of children) {
    if (c.kind === 'pipeline') {
      if (await services.redis.exists(reportKey(services.prefix, c.plan.runId))) continue;
      const run = await services.queues.queue('flows').getJob(c.plan.runId);
      await storeChildFailure(store, runId, c.callKey, `the ${c.plan.kind} run failed: ${run?.failedReason ?? 'no report was produced'}`);
      continue;
    }
    if (await store.getResult(runId, c.callKey)) continue;
    const queue = services.queues.queue(c.kind === 'tool' ? catalog['agent-tool'].queue : catalog['agent-write'].queue);
    const child = await queue.getJob(c.kind === 'tool' ? agentToolJobId(runId, c.callKey) : agentWriteJobId(runId, c.callKey));
    await storeChildFailure(store, runId, c.callKey, child?.failedReason ?? 'the tool job ended without a result');
  }
}
