import { describe, expect, it } from 'vitest';
import { RetryAfterError } from '../../src/shared/platform/errors.ts';
import { backoffDelayMs } from '../../src/shared/platform/retry-policy.ts';

describe('backoffDelayMs', () => {
  it('grows exponentially with full jitter in [ceiling/2, ceiling], capped at 60 s', () => {
    expect(backoffDelayMs(1, undefined, 1_000, () => 0)).toBe(500);
    expect(backoffDelayMs(1, undefined, 1_000, () => 1)).toBe(1_000);
    expect(backoffDelayMs(3, undefined, 1_000, () => 1)).toBe(4_000);
    expect(backoffDelayMs(20, undefined, 1_000, () => 1)).toBe(60_000);
  });
  it('uses the wait an error names (Retry-After, ratelimit-reset)', () => {
    expect(backoffDelayMs(1, new RetryAfterError('x', 7_000))).toBe(7_000);
    expect(backoffDelayMs(1, Object.assign(new Error('429'), { status: 429, resetMs: 2_500 }))).toBe(2_500);
  });
});
