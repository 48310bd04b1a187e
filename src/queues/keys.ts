/**
 * Keys and job ids that producers and workers must agree on. Deterministic job ids make
 * re-enqueueing a step after a crash a no-op; BullMQ forbids `:` in custom ids, so none has one.
 */

/** Finished reports stay in Redis for a day, for the CLI, the dashboard and re-downloads. */
export const REPORT_TTL_SECONDS = 24 * 3600;

/** Where a flow's fan-in job (run-report, sweep-report) stores its report for the waiting CLI. */
export function reportKey(prefix: string, runId: string): string {
  return `${prefix}:report:${runId}`;
}

/**
 * Job id of a call's summary job within a run: idempotent per (run, account, call), so re-adding
 * a run's children never duplicates them. Not per (account, call) alone: BullMQ refuses to attach
 * an existing job to a second live parent (flow add fails with -7), so two runs over the same call
 * get two jobs, and the transcript store, the summary cache and its lock make the second one free.
 */
export function summarizeJobId(runId: string, accountId: string, callId: string): string {
  return `${runId}.sum.${accountId}.${callId}`;
}

export const transcriptBatchJobId = (runId: string, index: number): string => `${runId}.tb.${index}`;
export const dealContextJobId = (runId: string): string => `${runId}.ctx`;
export const sweepManagerJobId = (runId: string, index: number): string => `${runId}.m.${index}`;
/** An agent run's step for turn `turn`. */
export const agentStepJobId = (runId: string, turn: number): string => `${runId}.s${turn}`;
/** The continuation of turn `turn` after a person decided on call `callKey` (one per decision). */
export const agentResumeJobId = (runId: string, turn: number, callKey: string): string => `${runId}.s${turn}.${callKey}`;
export const agentToolJobId = (runId: string, callKey: string): string => `${runId}.${callKey}`;
export const agentWriteJobId = (runId: string, callKey: string): string => `${runId}.${callKey}.w`;
export const uploadJobId = (clientRequestId: string): string => `crm-upload-${clientRequestId}`;
export const pollJobId = (clientRequestId: string, seq: number): string => `crm-poll-${clientRequestId}-${seq}`;

/**
 * Splits a BullMQ job key `<prefix>:<queue>:<jobId>` (the keys `getIgnoredChildrenFailures`
 * returns). The fleet prefix may itself contain `:` (GONG_FLEET_PREFIX allows `{gf:prod}`), so it
 * is stripped as a whole instead of splitting the key on every `:`. Undefined for another prefix.
 */
export function parseJobKey(prefix: string, key: string): { queueName: string; jobId: string } | undefined {
  const head = `${prefix}:`;
  if (!key.startsWith(head)) return undefined;
  const rest = key.slice(head.length);
  const i = rest.indexOf(':');
  if (i <= 0 || i === rest.length - 1) return undefined;
  return { queueName: rest.slice(0, i), jobId: rest.slice(i + 1) };
}
