/** The fleet-wide rate governor: what the rest of the fleet may use. */
export {
  RateGovernor,
  type GovernorOptions,
  type Reservation,
  type ReserveOptions,
  type BucketState,
  type LimitState,
} from './rate-governor.ts';
export { trutoGate, llmGate, type GateOptions } from './gates.ts';
export { RateLimitWaitError, DailyBudgetExhaustedError, type WaitReason } from './errors.ts';
export {
  DEFAULT_TRUTO_LIMITS,
  DEFAULT_LLM_LIMITS,
  accountBucket,
  tokenBucket,
  llmBucket,
  hashApiKey,
  type TrutoLimits,
  type LlmLimits,
} from './policy.ts';
export {
  parseDurationMs,
  parseRetryAfterMs,
  parseRateLimitLimit,
  trutoLesson,
  llmLesson,
  DEFAULT_429_BLOCK_MS,
  type Lesson,
} from './headers.ts';
