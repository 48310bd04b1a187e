/**
 * Enqueueing an agent run's jobs: its steps (one per model turn, deterministic ids, so a retried
 * step or a repeated `approve` never enqueues one twice) and a step's children (tool calls,
 * approved writes, built-in pipelines), attached to the step as their parent. Every agent job is
 * in the `interactive` lane, set here in one place; the run id groups its jobs into one fair-share
 * run, so an agent's tool calls share one head start (queues/fair).
 */
import type { ChildRequest } from '../shared/domain/index.ts';
import type { Lane } from './fair/index.ts';
import type { FleetQueues, JobSpec } from './fleet-queues.ts';
import { launchRun, type FlowDeps } from './flows.ts';
import { agentResumeJobId, agentStepJobId, agentToolJobId, agentWriteJobId } from './keys.ts';

/** A person waits on an `ask`: its jobs belong to the interactive lane. */
export const ASK_LANE: Lane = 'interactive';

export interface StepRef {
  runId: string;
  accountId: string;
  turn: number;
}

/** Enqueues turn `turn` of a run (a no-op when that step exists). `afterDecisionOn`: the continuation after a person decided on that call. */
export async function enqueueAgentStep(queues: FleetQueues, step: StepRef, afterDecisionOn?: string) {
  const jobId = afterDecisionOn ? agentResumeJobId(step.runId, step.turn, afterDecisionOn) : agentStepJobId(step.runId, step.turn);
  return queues.enqueue('agent-step', step, { jobId, lane: ASK_LANE });
}

/**
 * Adds a step's children with `parent` as their parent: tool calls (upstream), approved writes
 * (writes) and pipelines (a summarize/autopsy flow whose report job is the child). Existing ids
 * are left alone, so a retried step adds nothing twice.
 */
export async function addAgentChildren(deps: FlowDeps, parent: { id: string; queue: string }, step: StepRef, children: readonly ChildRequest[]): Promise<void> {
  const q = deps.queues;
  const link = { parent, ignoreDependencyOnFailure: true, lane: ASK_LANE };
  const specs: JobSpec[] = [];
  for (const c of children) {
    if (c.kind === 'pipeline') {
      if (!(await q.queue('flows').getJob(c.plan.runId))) await launchRun(deps, c.plan, { parent, lane: ASK_LANE });
      continue;
    }
    const base = { runId: step.runId, accountId: step.accountId, callKey: c.callKey, tool: c.tool, args: c.args };
    specs.push(c.kind === 'tool'
      ? q.jobSpec('agent-tool', base, { ...link, jobId: agentToolJobId(step.runId, c.callKey) })
      : q.jobSpec('agent-write', { ...base, hash: c.hash }, { ...link, jobId: agentWriteJobId(step.runId, c.callKey) }));
  }
  // Through FleetQueues, so the tool calls get fair-share priorities like every other job.
  if (specs.length > 0) await q.addBulk(specs);
}
