/**
 * The job catalog: every job kind the fleet knows, by name. Producers enqueue through it
 * (type-checked payloads) and workers dispatch through it (re-validated payloads).
 *
 *   producers ─► run-report (flows) ◄─ transcript-batch (upstream) ─► summarize-call (llm)
 *                                   ◄─ deal-context (upstream)
 *   coaching sweep: sweep-report (flows) ◄─ sweep-manager ×managers (upstream); scheduled-sweep (flows) launches one
 *   truto-tool (upstream): any read tool, one call, for scripts and a future agent mode.
 *   crm-upload ─► crm-poll ─► crm-poll … (writes): LDJSON upload, then delayed status polls.
 *   task-update (writes): one idempotent Engage task status change.
 */
import type { JobDefinition } from '../workers/define-job.ts';
import { crmPoll } from '../workers/crm-poll.ts';
import { crmUpload } from '../workers/crm-upload.ts';
import { dealContext } from '../workers/deal-context.ts';
import { runReport } from '../workers/run-report.ts';
import { scheduledSweep } from '../workers/scheduled-sweep.ts';
import { summarizeCall } from '../workers/summarize-call.ts';
import { sweepManager } from '../workers/sweep-manager.ts';
import { sweepReport } from '../workers/sweep-report.ts';
import { taskUpdate } from '../workers/task-update.ts';
import { transcriptBatch } from '../workers/transcript-batch.ts';
import { trutoTool } from '../workers/truto-tool.ts';

export const catalog = {
  'truto-tool': trutoTool,
  'transcript-batch': transcriptBatch,
  'summarize-call': summarizeCall,
  'deal-context': dealContext,
  'run-report': runReport,
  'sweep-manager': sweepManager,
  'sweep-report': sweepReport,
  'scheduled-sweep': scheduledSweep,
  'crm-upload': crmUpload,
  'crm-poll': crmPoll,
  'task-update': taskUpdate,
} as const satisfies Record<string, JobDefinition>;

export type Catalog = typeof catalog;
export type JobKindName = keyof Catalog;
