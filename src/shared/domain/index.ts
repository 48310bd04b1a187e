/**
 * shared/domain: what the fleet knows about Gong work, independent of queues. Calls and their
 * discovery, deals (finding one, its tasks and brief), runs (plans and progress counters),
 * transcripts, summaries (map, reduce, caches, prompts and the LLM's schemas), the coaching sweep
 * (including its plan), CRM syncs, Engage tasks, schedule checks and the write audit. It imports
 * only shared/upstream and shared/platform; code outside this folder imports it only through this
 * file. Functions take narrow ports (`{ truto }`, `PlanDeps`, `CrmStepDeps`…) and the settings they
 * use, never the fleet's services or config.
 */
export { BudgetError } from './errors.ts';
export { recordWrite, readWrites, writeLogKey, currentActor, MAX_WRITE_RECORDS, type WriteRecord } from './audit.ts';

export { SpeakerRef, CallRef, callRefFrom, crmLinks, type CrmLink } from './calls/calls.ts';
export { assertAccount, discoverCalls, ID_LOOKUP_DAYS, type DiscoverDeps, type CallQuery, type DiscoveredCalls } from './calls/discover.ts';

export { findDeal, type FoundDeal } from './deals/find-deal.ts';
export { locateDeal, callsNamed, type LocateRequest, type LocatedDeal } from './deals/locate-deal.ts';
export { readCrmDeal, looksLikeCrmId, type CrmDeal } from './deals/crm-deal.ts';
export {
  fetchDealContext,
  DEFAULT_BRIEF_NAME,
  type DealRef,
  type DealContext,
  type DealContextDeps,
  type DealFromTasks,
  type TaskLine,
} from './deals/context.ts';
export { Degradation, DEGRADATION_CODES, addDegradation, type DegradationCode } from './runs/degradations.ts';

export { makePlan, type RunPlan, type PlanDeps, type PlanLimits } from './runs/plan.ts';
export { startRun, bumpRun, readRun, runKey, RUN_COUNTERS, type RunCounter, type RunProgress } from './runs/counters.ts';

export { fetchTranscripts, TRANSCRIPT_BATCH_SIZE, type FetchResult, type FetchTranscriptsDeps } from './transcripts/fetch.ts';
export { TranscriptStore, sha256, type TranscriptStoreOptions, type StoredTranscript } from './transcripts/store.ts';
export {
  renderTranscript,
  formatOffset,
  offsetSeconds,
  transcriptWords,
  type CallTranscript,
  type TranscriptSentence,
  type TranscriptMonologue,
  type RenderedLine,
  type Speaker,
  type Affiliation,
} from './transcripts/render.ts';
export { chunkLines, type Chunk } from './transcripts/chunk.ts';

export { summarizeCallCached, type SummarizeDeps } from './summaries/summarize.ts';
export { summarizeCall, combineSentiment, type CallSummary, type ChunkCache, type ParsedChunk } from './summaries/map.ts';
export { reduceFindings, emptyReport, REDUCE_OUTPUT_TOKENS, type ReduceInput, type ReduceResult } from './summaries/reduce.ts';
export { LlmCache, type LlmCacheOptions } from './summaries/cache.ts';
export { mapMessages, reduceMessages, type ReduceFacts } from './summaries/prompts.ts';
export {
  PROMPT_VERSION,
  TRANSCRIPT_LINE_RE,
  FINDING_CATEGORIES,
  SENTIMENTS,
  SCHEMA_NAMES,
  Finding,
  CallFindings,
  CitedFinding,
  ReportPoint,
  DealReport,
  ManagerNarrative,
  type FindingCategory,
} from './summaries/schemas.ts';

export { fetchRoster, findTeam, buildTeams, type Person, type Team, type Roster } from './coaching/roster.ts';
export { fetchActivity, type Activity, type ActivityResult } from './coaching/activity.ts';
export { fetchCoaching, fetchWorkspaceId, type CoachingMetrics, type WorkspaceLookup } from './coaching/coaching.ts';
export { fetchScorecards, type ScorecardResult } from './coaching/scorecards.ts';
export { flagsFor, DEFAULT_THRESHOLDS, type FlagThresholds, type FlagCode, type RepFlag } from './coaching/flags.ts';
export { teamNumbers, type RepNumbers, type TeamNumbers, type TeamInputs } from './coaching/numbers.ts';
export { narrate, narrativeInput, narrativeMessages, type NarrativeResult } from './coaching/narrative.ts';
export { lastDays, checkSweepWindow, splitWindow, isoDay, DAY_MS, type SweepWindow, type WindowPieces } from './coaching/window.ts';
export {
  planSweep,
  sweepWindow,
  thresholdsFrom,
  type SweepPlan,
  type SweepRequest,
  type SweepSettings,
  type PlanSweepDeps,
} from './coaching/plan-sweep.ts';

export { CRM_OBJECT_TYPES, GONG_MAX_FILE_BYTES, isCrmObjectType, LINE_SCHEMAS, TYPE_FIELDS, type CrmObjectType } from './crm/object-types.ts';
export { checkLdjson, describeLineErrors, assertLdjson, type LdjsonCheck, type LineError } from './crm/ldjson.ts';
export { clientRequestIdFor, isClientRequestId } from './crm/request-id.ts';
export { CrmSyncStore, FINAL_PHASES, type CrmSyncState, type SyncPhase, type GongLineError, type CrmSyncStoreOptions } from './crm/sync-store.ts';
export { resolveIntegration, type ResolvedIntegration } from './crm/integration.ts';
export { uploadCrmSync, UPLOAD_TOOL, type CrmStepDeps, type SchedulePoll } from './crm/upload.ts';
export { pollCrmSync, pollDelayMs, readRequestStatus, STATUS_TOOL, type PollLimits, type PollOutcome } from './crm/poll.ts';

export {
  TASK_STATUSES,
  LIST_TOOL,
  UPDATE_TOOL,
  parseTaskStatus,
  resolveUserId,
  listTasks,
  planTaskStatus,
  applyTaskStatus,
  type TaskStatus,
  type TaskChange,
  type ApplyTaskDeps,
} from './tasks.ts';

export { checkCron, checkTimeZone, dayIn } from './schedules.ts';

export { probeCapabilities, type CapabilityCheck, type CheckStatus, type ProbeOptions } from './doctor/probes.ts';
export { assessWorkflows, factsFrom, WORKFLOWS, type WorkflowName, type WorkflowVerdict, type CapabilityFacts } from './doctor/workflows.ts';
