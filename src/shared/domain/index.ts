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
export {
  planSummarizeRun,
  planAutopsyRun,
  checkWindow,
  type RunRequestDeps,
  type SummarizeRequest,
  type AutopsyRequest,
} from './runs/plan-requests.ts';
export { startRun, bumpRun, readRun, stopRun, runStopped, runKey, RUN_COUNTERS, type RunCounter, type RunProgress } from './runs/counters.ts';

export { fetchTranscripts, transcriptsUnreadable, TRANSCRIPT_BATCH_SIZE, type FetchResult, type FetchTranscriptsDeps } from './transcripts/fetch.ts';
export { callEndedMs, mayBeProcessing, hasSpeech, notReadyReason, NO_TRANSCRIPT_REASON } from './transcripts/readiness.ts';
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
export { chunkLines, countLines, truncationNote, MIN_CHUNK_TOKENS, type Chunk, type CountedLine } from './transcripts/chunk.ts';

export { summarizeCallCached, type SummarizeDeps } from './summaries/summarize.ts';
export { summarizeCall, combineSentiment, type CallSummary, type ChunkCache, type ParsedChunk, type LineRange } from './summaries/map.ts';
export {
  reduceFindings,
  emptyReport,
  REDUCE_MAX_OUTPUT_TOKENS,
  REDUCE_OUTPUT_SHARE,
  outputLimits,
  type ReduceInput,
  type ReduceResult,
} from './summaries/reduce.ts';
export { mergeReportsLocally, reportFromFindings } from './summaries/local-merge.ts';
export { LlmCache, type LlmCacheOptions } from './summaries/cache.ts';
export { mapMessages, reduceMessages, type ReduceFacts, type OutputLimits } from './summaries/prompts.ts';
export {
  PROMPT_VERSION,
  TRANSCRIPT_LINE_RE,
  FINDING_CATEGORIES,
  REPORT_SECTIONS,
  SECTION_OF_CATEGORY,
  type ReportSection,
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

export {
  ASK_STATUSES,
  FINAL_ASK_STATUSES,
  messagesOf,
  allCalls,
  callByRef,
  type AskRun,
  type AskStatus,
  type CallKind,
  type CallRecord,
  type TurnRecord,
  type PendingWrite,
  type Decision,
  type ResultStatus,
} from './agent/run-model.ts';
export { AskStore, StaleRunError, ASK_TTL_SECONDS, type StoredResult, type ApprovalRecord } from './agent/run-store.ts';
export { classifyTool, type ToolClassifier } from './agent/classify.ts';
export { requestHash, canonicalJson } from './agent/approval.ts';
export { compactJson, compactValue, idsIn } from './agent/view.ts';
export { BUILTIN_NAMES, BUILTIN_TOOLS, TOOLS_BUDGET_SHARE, offerTools, fitToolList, toOpenAiTool, type OfferedTools } from './agent/tools.ts';
export { fitConversation, type FittedRun } from './agent/resize.ts';
export { resultEnvelope, sliceEnvelope, errorEnvelope, fitEnvelope, allocateTokens, MIN_SLICE_CHARS, type Envelope, type EnvelopeSource } from './agent/envelope.ts';
export { NEXT_TURN_RESERVE_TOKENS, MIN_TURN_ROOM_TOKENS, promptTokensOf } from './agent/budget.ts';
export { MAX_TURN_RESIZES } from './agent/turn.ts';
export { newAskRun, checkAskInput, systemPrompt, MAX_QUESTION_CHARS, MAX_STEPS_LIMIT, type NewAskRequest } from './agent/create.ts';
export { advanceAsk, failAsk, storeChildFailure, pipelineRunId, type StepDeps, type StepOutcome, type ChildRequest, type StoredPlan } from './agent/step.ts';
export { runToolCall, findAccountTool, describeFailure, type ToolCallDeps, type ToolCallRequest, type AttemptInfo } from './agent/tool-call.ts';
export { runApprovedWrite, type WriteCallDeps } from './agent/write-call.ts';
export { pendingOf, recordDecision, resumeDecided, type DecisionRequest } from './agent/decide.ts';
export { resolveCitations, type ResolvedCitation } from './agent/citations.ts';
