/**
 * Enqueueing an agent run's jobs: its steps (one per model turn, deterministic ids, so a retried
 * step or a repeated `approve` never enqueues one twice) and a step's children (tool calls,
 * approved writes, built-in pipelines), attached to the step as their parent. Every agent job
 * carries the `interactive` lane hint here, in one place, for fair scheduling (issue 14).
 */
import type { ChildRequest } from '../shared/domain/index.ts';
import type { FleetQueues } from './fleet-queues.ts';
import { launchRun, type FlowDeps } from './flows.ts';
import { agentResumeJobId, agentStepJobId, agentToolJobId, agentWriteJobId } from './keys.ts';

/** A person waits on an `ask`: its jobs belong to the interactive lane (issue 14 wires lanes). */
export const ASK_LANE = 'interactive' as const;

export interface StepRef {
  runId: string;
  accountId: string;
  turn: number;
}

/** Enqueues turn `turn` of a run (a no-op when that step exists). `afterDecisionOn`: the continuation after a person decided on that call. */
export async function enqueueAgentStep(queues: FleetQueues, step: StepRef, afterDecisionOn?: string) {
  const jobId = afterDecisionOn ? agentResumeJobId(step.runId, step.turn, afterDecisionOn) : agentStepJobId(step.runId, step.turn);
  return queues.enqueue('agent-step', { ...step, lane: ASK_LANE }, { jobId });
}

/**
 * Adds a step's children with `parent` as their parent: tool calls (upstream), approved writes
 * (writes) and pipelines (a summarize/autopsy flow whose report job is the child). Existing ids
 * are left alone, so a retried step adds nothing twice.
 */
export async function addAgentChildren(deps: FlowDeps, parent: { id: string; queue: string }, step: StepRef, children: readonly ChildRequest[]): Promise<void> {
  const q = deps.queues;
  const link = { parent, ignoreDependencyOnFailure: true };
  const bulk = new Map<string, { name: string; data: Record<string, unknown>; opts: object }[]>();
  for (const c of children) {
    if (c.kind === 'pipeline') {
      if (!(await q.queue('flows').getJob(c.plan.runId))) await launchRun(deps, c.plan, { parent });
      continue;
    }
    const base = { runId: step.runId, accountId: step.accountId, callKey: c.callKey, tool: c.tool, args: c.args, lane: ASK_LANE };
    const spec = c.kind === 'tool'
      ? q.jobSpec('agent-tool', base, { ...link, jobId: agentToolJobId(step.runId, c.callKey) })
      : q.jobSpec('agent-write', { ...base, hash: c.hash }, { ...link, jobId: agentWriteJobId(step.runId, c.callKey) });
    bulk.set(spec.queueName, [...(bulk.get(spec.queueName) ?? []), { name: spec.name, data: spec.data, opts: spec.opts }]);
  }
  for (const [queueName, jobs] of bulk) await q.queue(queueName as 'upstream' | 'writes').addBulk(jobs);
}
