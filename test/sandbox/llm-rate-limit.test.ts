/** The sandbox model's sliding-window limiter and OpenAI's duration format, on a fake clock. */
import { describe, expect, it } from 'vitest';
import { createRateLimiter, formatDuration } from '../../src/sandbox/llm/rate-limiter.ts';

describe('formatDuration (OpenAI / Go style)', () => {
  it.each([
    [0, '0s'],
    [120, '120ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [8_640, '8.64s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [86_400, '1m26.4s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('rate limiter', () => {
  it('slides the request window: a slot frees exactly when the oldest request turns 60 s old', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ requestsPerMinute: 2, tokensPerMinute: 1_000, clock: () => now });
    expect(limiter.admit(10).ok).toBe(true);
    now += 20_000;
    expect(limiter.admit(10).ok).toBe(true);
    now += 10_000;
    const refused = limiter.admit(10);
    expect(refused).toMatchObject({ ok: false, type: 'requests', retryAfterMs: 30_000 });
    expect(limiter.headers()).toMatchObject({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '30s',
      'x-ratelimit-remaining-tokens': '980',
    });
    now += 30_000;
    expect(limiter.admit(10).ok).toBe(true);
  });

  it('refuses on tokens and says how long until enough expire; billing corrects the reservation', () => {
    let now = 0;
    const limiter = createRateLimiter({ requestsPerMinute: 100, tokensPerMinute: 1_000, clock: () => now });
    const first = limiter.admit(600);
    if (!first.ok) throw new Error('first request must be admitted');
    now += 5_000;
    expect(limiter.admit(500)).toMatchObject({ ok: false, type: 'tokens', retryAfterMs: 55_000 });
    first.entry.setTokens(100); // the answer was short: only 100 tokens were really used
    expect(limiter.admit(500).ok).toBe(true);
    expect(limiter.headers()['x-ratelimit-remaining-tokens']).toBe('400');
    // Larger than the whole budget: still a 429 (as OpenAI does), never admitted.
    expect(limiter.admit(5_000)).toMatchObject({ ok: false, type: 'tokens' });
  });
});
