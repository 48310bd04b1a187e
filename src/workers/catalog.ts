/**
 * The job catalog: every job kind the fleet knows, by name. Producers enqueue through it
 * (type-checked payloads) and workers dispatch through it (re-validated payloads).
 *
 *   producers ─► run-report (flows) ◄─ transcript-batch (upstream) ─► summarize-call (llm)
 *                                   ◄─ deal-context (upstream)
 *   truto-tool (upstream): any read tool, one call, for scripts and a future agent mode.
 */
import type { JobDefinition } from './define-job.ts';
import { dealContext } from './deal-context.ts';
import { runReport } from './run-report.ts';
import { summarizeCall } from './summarize-call.ts';
import { transcriptBatch } from './transcript-batch.ts';
import { trutoTool } from './truto-tool.ts';

export const catalog = {
  'truto-tool': trutoTool,
  'transcript-batch': transcriptBatch,
  'summarize-call': summarizeCall,
  'deal-context': dealContext,
  'run-report': runReport,
} as const satisfies Record<string, JobDefinition>;

export type Catalog = typeof catalog;
export type JobKindName = keyof Catalog;
