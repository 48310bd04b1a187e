import { describe, expect, it } from 'vitest';
import { retryDecision, serverDelayMs, type RetryInput } from '../../src/shared/platform/retry-policy.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const opts = { random: () => 0.5, now: () => NOW };

describe('retryDecision', () => {
  const table: Array<[string, RetryInput, { retry: boolean; delayMs: number }]> = [
    // never retried, even with retry-after
    ['400', { status: 400, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['401', { status: 401, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['402', { status: 402, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['403', { status: 403, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['404', { status: 404, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['409', { status: 409, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['422', { status: 422, attempt: 1 }, { retry: false, delayMs: 0 }],
    ['400 + retry-after', { status: 400, attempt: 1, headers: { 'retry-after': '5' } }, { retry: false, delayMs: 0 }],
    // retried with backoff: 0.5 * min(30000, 500 * 2^(n-1))
    ['408 attempt 1', { status: 408, attempt: 1 }, { retry: true, delayMs: 250 }],
    ['425 attempt 2', { status: 425, attempt: 2 }, { retry: true, delayMs: 500 }],
    ['500 attempt 3', { status: 500, attempt: 3 }, { retry: true, delayMs: 1000 }],
    ['502 attempt 4', { status: 502, attempt: 4 }, { retry: true, delayMs: 2000 }],
    ['503 attempt 5', { status: 503, attempt: 5 }, { retry: true, delayMs: 4000 }],
    ['504 attempt 20 (capped)', { status: 504, attempt: 20 }, { retry: true, delayMs: 15_000 }],
    ['timeout', { kind: 'timeout', attempt: 1 }, { retry: true, delayMs: 250 }],
    ['connection', { kind: 'connection', attempt: 2 }, { retry: true, delayMs: 500 }],
    ['429 no headers', { status: 429, attempt: 1 }, { retry: true, delayMs: 250 }],
    // server-sent waits win, in order retry-after-ms, retry-after, ratelimit-reset
    ['429 retry-after seconds', { status: 429, attempt: 1, headers: { 'retry-after': '10' } }, { retry: true, delayMs: 10_000 }],
    ['429 retry-after fractional', { status: 429, attempt: 1, headers: { 'retry-after': '1.5' } }, { retry: true, delayMs: 1500 }],
    [
      '429 retry-after HTTP date',
      { status: 429, attempt: 1, headers: { 'retry-after': new Date(NOW + 7000).toUTCString() } },
      { retry: true, delayMs: 7000 },
    ],
    [
      '429 retry-after date in the past',
      { status: 429, attempt: 1, headers: { 'retry-after': new Date(NOW - 7000).toUTCString() } },
      { retry: true, delayMs: 0 },
    ],
    [
      '429 retry-after-ms beats retry-after',
      { status: 429, attempt: 1, headers: { 'retry-after-ms': '1234', 'retry-after': '10' } },
      { retry: true, delayMs: 1234 },
    ],
    [
      '429 retry-after beats ratelimit-reset',
      { status: 429, attempt: 1, headers: { 'retry-after': '3', 'ratelimit-reset': '60' } },
      { retry: true, delayMs: 3000 },
    ],
    ['429 ratelimit-reset', { status: 429, attempt: 1, headers: { 'ratelimit-reset': '42' } }, { retry: true, delayMs: 42_000 }],
    ['header names any case', { status: 429, attempt: 1, headers: { 'Retry-After': '2' } }, { retry: true, delayMs: 2000 }],
    ['server wait not capped', { status: 503, attempt: 1, headers: { 'retry-after': '120' } }, { retry: true, delayMs: 120_000 }],
    ['garbage header → backoff', { status: 429, attempt: 1, headers: { 'retry-after': 'soon' } }, { retry: true, delayMs: 250 }],
    ['negative header → backoff', { status: 429, attempt: 1, headers: { 'ratelimit-reset': '-5' } }, { retry: true, delayMs: 250 }],
  ];

  it.each(table)('%s', (_name, input, expected) => {
    const d = retryDecision(input, opts);
    expect({ retry: d.retry, delayMs: d.delayMs }).toEqual(expected);
    expect(d.reason).toMatch(/\S/);
  });

  it('applies full jitter between 0 and the ceiling', () => {
    expect(retryDecision({ status: 500, attempt: 3 }, { random: () => 0 }).delayMs).toBe(0);
    const top = retryDecision({ status: 500, attempt: 3 }, { random: () => 0.999999999 }).delayMs;
    expect(top).toBeLessThan(2000);
    expect(top).toBeGreaterThan(1990);
  });

  it('honours custom base, cap and maxAttempts', () => {
    expect(retryDecision({ status: 500, attempt: 4 }, { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 300 }).delayMs).toBe(150);
    const stop = retryDecision({ status: 500, attempt: 3 }, { maxAttempts: 3 });
    expect(stop.retry).toBe(false);
    expect(stop.reason).toContain('gave up');
  });
});

describe('serverDelayMs', () => {
  it('is undefined without usable headers', () => {
    expect(serverDelayMs(undefined)).toBeUndefined();
    expect(serverDelayMs({ 'ratelimit-limit': '110;w=10' })).toBeUndefined();
  });
});
