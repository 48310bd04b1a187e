/**
 * The job catalog: the contract of every job kind the fleet knows, by name. Producers enqueue
 * through it (type-checked, validated payloads, via FleetQueues) and workers implement it (one
 * processor file per kind under src/workers/, collected in workers/jobs.ts).
 *
 *   producers ─► run-report (flows) ◄─ transcript-batch (upstream) ─► summarize-call (llm)
 *                                   ◄─ deal-context (upstream)
 *   coaching sweep: sweep-report (flows) ◄─ sweep-manager ×managers (upstream); scheduled-sweep (flows) launches one
 *   truto-tool (upstream): any read tool, one call, for scripts and a future agent mode.
 *   crm-upload ─► crm-poll ─► crm-poll … (writes): LDJSON upload, then delayed status polls.
 *   task-update (writes): one idempotent Engage task status change.
 *   ask: agent-step (flows), one per model turn, parent of agent-tool ×calls (upstream), agent-write
 *     (writes, approved requests only) and summarize/autopsy runs for its built-ins.
 *
 * Queued jobs outlive deploys: a new payload field must be optional, with a comment saying why.
 */
import { z } from 'zod';
import { CallRef, Degradation, TASK_STATUSES } from '../shared/domain/index.ts';
import { contract, type JobContract } from './contract.ts';

export const TrutoToolPayload = z.object({
  accountId: z.string().min(1),
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Follow every page and return all items (list tools and POST reads). Default false. */
  allPages: z.boolean().default(false),
  /**
   * Groups one agent session's or script's tool calls for fair sharing (one run's head start, not
   * one per call). Optional: older jobs and one-off calls have none.
   */
  runId: z.string().min(1).optional(),
});

export const TranscriptBatchPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  calls: z.array(CallRef).min(1).max(100),
});

export const SummarizeCallPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  call: CallRef,
});

export const DealContextPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  deal: z.object({
    name: z.string(),
    /** Optional since issue 10: calls tied by title may leave it to the tasks to find. */
    crmId: z.string().optional(),
    accountCrmId: z.string().optional(),
    accountName: z.string().optional(),
    workspaceId: z.string().optional(),
  }),
  /** Reps whose tasks to check (the hosts of the deal's calls). */
  userIds: z.array(z.string()).max(50),
});

export const RunReportPayload = z.object({
  runId: z.string().min(1),
  kind: z.enum(['summarize', 'autopsy']),
  accountId: z.string().min(1),
  subject: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  calls: z.array(CallRef),
  deal: z
    .object({
      name: z.string(),
      crmId: z.string().optional(),
      accountName: z.string().optional(),
      stage: z.string().optional(),
      amount: z.string().optional(),
      /** How the calls were tied to the deal (issue 10); optional so older jobs stay valid. */
      tiedBy: z.enum(['crm-context', 'title']).optional(),
    })
    .optional(),
  /** What the account's tools could not give the run (issue 10); optional so older jobs stay valid. */
  degradations: z.array(Degradation).optional(),
});

const PersonSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  title: z.string(),
  createdMs: z.number(),
  managerId: z.string().optional(),
});

const ThresholdsSchema = z.object({ newHireDays: z.number(), minManagerListens: z.number(), maxCallsWithoutScorecard: z.number() });

export const SweepManagerPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  /** Absent when the account's coaching tool does not require a workspace (issue 10). */
  workspaceId: z.string().min(1).optional(),
  window: z.object({ fromMs: z.number(), toMs: z.number() }),
  thresholds: ThresholdsSchema,
  manager: PersonSchema,
  reps: z.array(PersonSchema.extend({ callsHosted: z.number().int().min(0), scorecardsReceived: z.number().int().min(0) })).max(500),
});

export const SweepReportPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  window: z.object({ from: z.string(), to: z.string() }),
  thresholds: ThresholdsSchema,
  /** Requests the producer made before enqueuing (roster, activity, scorecards). */
  upstreamRequests: z.number().int().min(0),
  /** Scheduled runs only: where the report job writes the files. Optional, so older jobs stay valid. */
  output: z.object({ dir: z.string().min(1), base: z.string().min(1) }).optional(),
  /** What the account's tools could not give the sweep (issue 10); optional so older jobs stay valid. */
  degradations: z.array(Degradation).optional(),
});

export const ScheduledSweepPayload = z.object({
  scheduleId: z.string().min(1),
  accountId: z.string().min(1),
  manager: z.string().optional(),
  tz: z.string().min(1),
});

export const CrmUploadPayload = z.object({
  accountId: z.string().min(1),
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

export const CrmPollPayload = z.object({
  accountId: z.string().min(1),
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  /** Position in the chain; a job whose seq is not the sync's expected one is stale and stops. */
  seq: z.number().int().min(0),
});

export const TaskUpdatePayload = z.object({
  accountId: z.string().min(1),
  userId: z.string().regex(/^\d{1,20}$/),
  taskId: z.string().regex(/^\d{1,20}$/),
  status: z.enum(TASK_STATUSES),
  /** Who asked (user@host), for the write audit. */
  requestedBy: z.string().min(1).max(200),
});

// Lanes are not payload fields: every job carries its lane next to the payload (`data.lane`, set
// by FleetQueues, stripped by the worker runtime before validation; see queues/fair/lanes.ts).
const AskRunId = z.string().regex(/^ask-[a-f0-9]{6,32}$/);
const CallKey = z.string().regex(/^t\d{1,3}c\d{1,3}$/);

export const AgentStepPayload = z.object({
  runId: AskRunId,
  accountId: z.string().min(1),
  /** The model turn this step advances (0-based). */
  turn: z.number().int().min(0).max(1_000),
});

export const AgentToolPayload = z.object({
  runId: AskRunId,
  accountId: z.string().min(1),
  /** The call within the run (`t<turn>c<index>`): where its result is stored. */
  callKey: CallKey,
  tool: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()),
});

export const AgentWritePayload = AgentToolPayload.extend({
  /** sha256 of (run, tool, canonical args): the job re-checks the approval recorded for exactly this. */
  hash: z.string().regex(/^[a-f0-9]{64}$/),
});

export const catalog = {
  'truto-tool': contract({ name: 'truto-tool', queue: 'upstream', schema: TrutoToolPayload, attempts: 5, backoffMs: 1_000, timeoutMs: 120_000 }),
  'transcript-batch': contract({ name: 'transcript-batch', queue: 'upstream', schema: TranscriptBatchPayload, attempts: 4, backoffMs: 2_000, timeoutMs: 180_000 }),
  'summarize-call': contract({ name: 'summarize-call', queue: 'llm', schema: SummarizeCallPayload, attempts: 3, backoffMs: 2_000, timeoutMs: 300_000 }),
  'deal-context': contract({ name: 'deal-context', queue: 'upstream', schema: DealContextPayload, attempts: 4, backoffMs: 2_000, timeoutMs: 120_000 }),
  'run-report': contract({
    name: 'run-report',
    queue: 'flows',
    schema: RunReportPayload,
    // The fan-in: losing it loses the whole run, and a retry is cheap (reduce groups are cached), so
    // it outlasts a flaky model longer than a child does (the faults drill failed runs at 3).
    attempts: 5,
    backoffMs: 5_000,
    timeoutMs: 600_000,
  }),
  'sweep-manager': contract({
    name: 'sweep-manager',
    // Mostly one upstream read; the narrative's LLM call is paced by the governor's LLM bucket.
    queue: 'upstream',
    schema: SweepManagerPayload,
    attempts: 4,
    backoffMs: 2_000,
    timeoutMs: 180_000,
  }),
  'sweep-report': contract({ name: 'sweep-report', queue: 'flows', schema: SweepReportPayload, attempts: 3, backoffMs: 5_000, timeoutMs: 120_000 }),
  'scheduled-sweep': contract({ name: 'scheduled-sweep', queue: 'flows', schema: ScheduledSweepPayload, attempts: 3, backoffMs: 10_000, timeoutMs: 300_000 }),
  'crm-upload': contract({
    name: 'crm-upload',
    queue: 'writes',
    schema: CrmUploadPayload,
    writes: true,
    attempts: 5,
    backoffMs: 2_000,
    // A 200 MB file through Truto can take a while.
    timeoutMs: 600_000,
  }),
  // On `writes` with its upload so one queue shows a sync end to end; it only reads.
  'crm-poll': contract({ name: 'crm-poll', queue: 'writes', schema: CrmPollPayload, attempts: 6, backoffMs: 2_000, timeoutMs: 60_000 }),
  'task-update': contract({ name: 'task-update', queue: 'writes', schema: TaskUpdatePayload, writes: true, attempts: 4, backoffMs: 2_000, timeoutMs: 60_000 }),
  // One model turn of an `ask` run plus the wait for its tool calls (as a parent: no slot held).
  'agent-step': contract({ name: 'agent-step', queue: 'flows', schema: AgentStepPayload, attempts: 5, backoffMs: 2_000, timeoutMs: 300_000 }),
  'agent-tool': contract({ name: 'agent-tool', queue: 'upstream', schema: AgentToolPayload, attempts: 5, backoffMs: 1_000, timeoutMs: 120_000 }),
  // The only agent job that may write, and only a request a person approved (it re-checks).
  'agent-write': contract({ name: 'agent-write', queue: 'writes', schema: AgentWritePayload, writes: true, attempts: 3, backoffMs: 2_000, timeoutMs: 120_000 }),
} as const satisfies Record<string, JobContract>;

export type Catalog = typeof catalog;
export type JobKindName = keyof Catalog;
/** A kind's payload after validation (defaults applied), as its processor receives it. */
export type Payload<K extends JobKindName> = z.output<Catalog[K]['schema']>;
