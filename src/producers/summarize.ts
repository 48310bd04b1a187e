/**
 * Producer: bulk-summarize the calls of an account, by window or by ids. Validates everything
 * and makes the plan before anything is enqueued (shared/domain/runs/plan-requests.ts, which the
 * agent's `summarize_calls` uses too).
 */
import { checkWindow, planSummarizeRun, type RunPlan, type SummarizeRequest } from '../shared/domain/index.ts';
import type { ProducerServices } from './services.ts';

export type { SummarizeRequest };
export { checkWindow };

export function planSummarize(services: Pick<ProducerServices, 'truto' | 'transcripts' | 'governor' | 'planLimits' | 'llm'>, req: SummarizeRequest): Promise<RunPlan> {
  return planSummarizeRun(services, req);
}
