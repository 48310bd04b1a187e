/**
 * The processor table: every kind of the catalog (src/queues/catalog.ts) with the processor that
 * implements it. `satisfies` makes a kind added to the catalog without a processor a type error.
 */
import type { Catalog } from '../queues/catalog.ts';
import { agentStep } from './agent-step.ts';
import { agentTool } from './agent-tool.ts';
import { agentWrite } from './agent-write.ts';
import { crmPoll } from './crm-poll.ts';
import { crmUpload } from './crm-upload.ts';
import { dealContext } from './deal-context.ts';
import type { JobDefinition } from './define-job.ts';
import { runReport } from './run-report.ts';
import { scheduledSweep } from './scheduled-sweep.ts';
import { summarizeCall } from './summarize-call.ts';
import { sweepManager } from './sweep-manager.ts';
import { sweepReport } from './sweep-report.ts';
import { taskUpdate } from './task-update.ts';
import { transcriptBatch } from './transcript-batch.ts';
import { trutoTool } from './truto-tool.ts';

export const jobs = {
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
  'agent-step': agentStep,
  'agent-tool': agentTool,
  'agent-write': agentWrite,
} as const satisfies { [K in keyof Catalog]: JobDefinition<Catalog[K]['schema']> };
