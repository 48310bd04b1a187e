/**
 * shared/upstream: the clients of the outside world and what keeps them polite and safe. The
 * Truto client (Gong through Truto's proxy) and Gong's response schemas, the capability layer
 * (which tool serves what, arguments from each tool's schema, answers in any shape), the LLM client and token
 * counting, the fleet-wide rate governor and its gates, the tool access table and the write guard,
 * and every upstream error class. It imports only shared/platform; code outside this folder
 * imports it only through this file.
 */
export { TrutoClient } from './truto/client.ts';
export type { TrutoClientOptions, CallOptions, RequestTiming, IterateOptions, CollectOptions } from './truto/client.ts';
export { retryRead, rateRetry, readRetryInput, READ_ATTEMPTS, type ReadRetryOptions } from './truto/read-retry.ts';
export {
  TrutoToolSchema,
  ToolsResponseSchema,
  TrutoListEnvelopeSchema,
  IntegratedAccountSchema,
} from './truto/types.ts';
export type {
  TrutoTool,
  TrutoListEnvelope,
  IntegratedAccount,
  TrutoFile,
  ToolResponse,
  ToolPage,
  ToolFilter,
} from './truto/types.ts';
export { buildProxyRequest, isListTool } from './truto/routing.ts';
export type { ProxyRequest, HttpMethod } from './truto/routing.ts';
export { extractItems, gongNextCursor, readPage, looseKey, schemaKeyFor, type PagingStyle } from './truto/pagination.ts';
export { closestToolNames } from './truto/tool-names.ts';
export { encodeQuery, parseJsonLossless, trutoFile, isFileArg } from './truto/wire.ts';
/** Gong's response schemas, also as a namespace (`gong.CallTranscript`) for callers that want the origin named. */
export * from './truto/gong-schemas.ts';
export * as gong from './truto/gong-schemas.ts';

export {
  TrutoApiError,
  TrutoValidationError,
  TrutoAuthError,
  TrutoPaymentRequiredError,
  TrutoScopeError,
  TrutoNotFoundError,
  TrutoConflictError,
  TrutoUnprocessableError,
  TrutoRateLimitError,
  TrutoServerError,
  TrutoTimeoutError,
  TrutoConnectionError,
  TrutoResponseShapeError,
  PaginationLimitError,
  UnknownToolError,
  ToolAbsentError,
  ArgumentHomeError,
  DroppedArgumentError,
  WriteRefusedError,
  ContextOverflowError,
  OutputLengthError,
  RateLimitWaitError,
  DailyBudgetExhaustedError,
  ReadRetriesExhaustedError,
  DEFAULT_429_WAIT_MS,
  makeTrutoError,
  parseMissingScope,
  parseMissingScopes,
  errorDetail,
} from './errors.ts';
export type { TrutoErrorBody, TrutoErrorContext, WaitReason } from './errors.ts';

export {
  LlmClient,
  DEFAULT_OUTPUT_SHARE,
  type LlmClientOptions,
  type ChatMessage,
  type ChatRequest,
  type ChatOptions,
  type ChatAnswer,
  type PromptBudget,
  type ParsedCompletion,
} from './llm/client.ts';
export { ContextBudget, WINDOW_MARGIN, UNKNOWN_KIND_FACTOR, ASSUMED_CONTEXT_TOKENS, type WindowView, type BudgetSource } from './llm/context-budget.ts';
export { parseContextRefusal, type ContextRefusal, type RefusalDialect } from './llm/overflow.ts';
export { probeContextWindow, type WindowProbe, type ProbeOptions } from './llm/probe.ts';
export {
  redisFactsStore,
  memoryFactsStore,
  factsKey,
  FACTS_TTL_MS,
  type ServerFacts,
  type ServerFactsStore,
  type WindowSource,
  type TokenRatio,
} from './llm/server-facts.ts';
export { countTokens, countChatTokens, countRequestTokens, truncateToTokens, type TokenCountedMessage, type CountedRequest } from './llm/tokens.ts';
export {
  completeWithTools,
  countToolPromptTokens,
  toolContextOf,
  MIN_AGENT_OUTPUT_TOKENS,
  ASK_PROMPT_KIND,
  ASK_WINDOW_MARGIN,
  type AgentMessage,
  type ToolDefinition,
  type ToolCall,
  type ToolTurn,
  type ToolTurnRequest,
  type ToolContext,
} from './llm/tool-completion.ts';

export { openGate, type GateKey, type GateTicket, type ObservedResponse, type RequestGate } from './gate.ts';
export {
  RateGovernor,
  type GovernorOptions,
  type Reservation,
  type ReserveOptions,
  type BucketState,
  type LimitState,
} from './governor/rate-governor.ts';
export { trutoGate, llmGate, type GateOptions, type LlmGateOptions } from './governor/gates.ts';
export {
  DEFAULT_TRUTO_LIMITS,
  DEFAULT_LLM_LIMITS,
  accountBucket,
  tokenBucket,
  llmBucket,
  hashApiKey,
  type TrutoLimits,
  type LlmLimits,
} from './governor/policy.ts';
export {
  parseDurationMs,
  parseRetryAfterMs,
  parseRateLimitLimit,
  trutoLesson,
  llmLesson,
  llmAnnouncedLimits,
  DEFAULT_429_BLOCK_MS,
  type Lesson,
} from './governor/headers.ts';

export { READ_TOOLS, WRITE_TOOLS, TOOL_SCOPES, requiredScope, toolAccess, type ToolAccess } from './tool-access.ts';

/**
 * Capabilities: what the fleet (and the `ask` agent) needs from Gong, resolved per account from its
 * `/tools`, called with logical arguments in Gong's terms, answers normalised from any shape.
 */
export {
  CAPABILITIES,
  CAPABILITY_IDS,
  capabilitySpec,
  describeCandidate,
  type CapabilityId,
  type CapabilityItems,
  type CapabilitySpec,
  type LogicalArg,
  type ToolCandidate,
  type ItemRule,
} from './capabilities/catalog.ts';
export { AccountCapabilities, loadCapabilities, loadCapabilitiesRetried, type CapabilityTruto, type CapabilityPage, type CapabilityPageOptions } from './capabilities/account.ts';
export { resolveAll, resolveCapability, capabilityOfTool, matchCandidate, type Resolution } from './capabilities/match.ts';
export { homeOf, wireArgs, unusableReason, type ArgHome, type WireArgs } from './capabilities/arg-map.ts';
export { recordsOf } from './capabilities/records.ts';
export { toOpenAiFunction, openAiToolName, toolNamed, type OpenAiFunctionTool } from './capabilities/openai-schema.ts';
export { readOnlyTruto, withReadOnlyTruto } from './write-guard.ts';
