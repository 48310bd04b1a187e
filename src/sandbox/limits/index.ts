/** Rate limits the sandbox enforces on proxy calls, and a helper to check a limit held. */
export { RateLimits, type RateLimitOptions, type GongLimitOverride, type LimitDecision } from './rate-limits.ts';
export { SlidingWindow, DailyCounter, maxInAnyWindow, type WindowVerdict } from './sliding-window.ts';
