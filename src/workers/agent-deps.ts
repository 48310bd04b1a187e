/**
 * Wires an agent run's domain steps (shared/domain/agent) to a worker's services: the run store,
 * the governed tool-calling completion, the classifier, the account's tools, and how a built-in's
 * pipeline result is read (its stored report, trimmed for the model, with its counters).
 */
import { reportKey } from '../queues/keys.ts';
import { reportForAgent } from '../reports/for-agent.ts';
import type { RunReport } from '../reports/model.ts';
import { AskStore, classifyTool, compactJson, readRun, type StepDeps, type StoredPlan, type StoredResult } from '../shared/domain/index.ts';
import { NonRetryableError } from '../shared/platform/index.ts';
import { completeWithTools, toolContextOf } from '../shared/upstream/index.ts';
import type { WorkerServices } from './services.ts';

export function askStore(services: Pick<WorkerServices, 'redis' | 'prefix'>): AskStore {
  return new AskStore({ redis: services.redis, prefix: services.prefix });
}

export function stepDeps(services: WorkerServices): StepDeps {
  const llm = services.llm;
  if (!llm) throw new NonRetryableError('no OPENAI_API_KEY configured: agent runs need a model');
  return {
    store: askStore(services),
    complete: (req) => completeWithTools(llm, req),
    context: toolContextOf(llm),
    classify: services.classifyTool ?? classifyTool,
    listTools: (accountId) => services.truto.listTools(accountId, { hasDescription: false }),
    planDeps: services,
    pipelineResult: (plan) => pipelineResult(services, plan),
  };
}

/** A built-in's result once its run's report is stored; undefined while it runs. */
export async function pipelineResult(services: Pick<WorkerServices, 'redis' | 'prefix'>, plan: StoredPlan): Promise<StoredResult | undefined> {
  const json = await services.redis.get(reportKey(services.prefix, plan.runId));
  if (!json) return undefined;
  const report = JSON.parse(json) as RunReport;
  const progress = await readRun(services.redis, services.prefix, plan.runId);
  return {
    status: 'ok',
    text: compactJson(reportForAgent(report)),
    requests: plan.discoveryRequests + progress.upstreamRequests,
    // The pipeline's own jobs wait on the governor; their waits are counted in the run, not here.
    governorWaitMs: 0,
    durationMs: Date.now() - plan.plannedAtMs,
    promptTokens: progress.promptTokens + report.stats.reducePromptTokens,
    completionTokens: progress.completionTokens + report.stats.reduceCompletionTokens,
    storedAtMs: Date.now(),
  };
}
