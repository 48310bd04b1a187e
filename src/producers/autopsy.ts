/**
 * Producer: the deal autopsy (seed scenario 1). Ties the account's recent calls to the deal (by
 * CRM context, else by their titles), then plans transcripts, summaries, the reps' Engage tasks
 * and Gong's AI brief, all before anything is enqueued (shared/domain/runs/plan-requests.ts, which
 * the agent's `deal_autopsy` uses too).
 */
import { planAutopsyRun, type AutopsyRequest, type RunPlan } from '../shared/domain/index.ts';
import type { ProducerServices } from './services.ts';

export type { AutopsyRequest };

export function planAutopsy(services: Pick<ProducerServices, 'truto' | 'transcripts' | 'governor' | 'planLimits' | 'llm'>, req: AutopsyRequest): Promise<RunPlan> {
  return planAutopsyRun(services, req);
}
