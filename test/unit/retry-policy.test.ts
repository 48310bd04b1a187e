import { describe, expect, it } from 'vitest';
/**
 * The one retry policy (BullMQ's backoff strategy, producer-side rate retries and the Truto errors'
 * retryable flag all call it): named waits first, else capped exponential backoff with equal jitter.
 */
import { FleetError, NonRetryableError, RetryAfterError, retryDecision, retryInputOf, serverDelayMs, type RetryInput } from '../../src/shared/platform/index.ts';

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
    // retried with backoff: ceiling/2 + 0.5 * ceiling/2, ceiling = min(60000, 1000 * 2^(n-1))
    ['408 attempt 1', { status: 408, attempt: 1 }, { retry: true, delayMs: 750 }],
    ['425 attempt 2', { status: 425, attempt: 2 }, { retry: true, delayMs: 1500 }],
    ['500 attempt 3', { status: 500, attempt: 3 }, { retry: true, delayMs: 3000 }],
    ['502 attempt 4', { status: 502, attempt: 4 }, { retry: true, delayMs: 6000 }],
    ['503 attempt 5', { status: 503, attempt: 5 }, { retry: true, delayMs: 12_000 }],
    ['504 attempt 20 (capped)', { status: 504, attempt: 20 }, { retry: true, delayMs: 45_000 }],
    ['timeout', { kind: 'timeout', attempt: 1 }, { retry: true, delayMs: 750 }],
    ['connection', { kind: 'connection', attempt: 2 }, { retry: true, delayMs: 1500 }],
    ['429 no headers', { status: 429, attempt: 1 }, { retry: true, delayMs: 750 }],
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
    ['garbage header → backoff', { status: 429, attempt: 1, headers: { 'retry-after': 'soon' } }, { retry: true, delayMs: 750 }],
    ['negative header → backoff', { status: 429, attempt: 1, headers: { 'ratelimit-reset': '-5' } }, { retry: true, delayMs: 750 }],
  ];

  it.each(table)('%s', (_name, input, expected) => {
    const d = retryDecision(input, opts);
    expect({ retry: d.retry, delayMs: d.delayMs }).toEqual(expected);
    expect(d.reason).toMatch(/\S/);
  });

  it('applies equal jitter: between half the ceiling and the ceiling, never less', () => {
    expect(retryDecision({ status: 500, attempt: 3 }, { random: () => 0 }).delayMs).toBe(2000);
    expect(retryDecision({ status: 500, attempt: 3 }, { random: () => 0.999999999 }).delayMs).toBe(4000);
  });

  it("grows from a job's backoff base and caps at 60 s (what BullMQ's strategy passes)", () => {
    const job = (attempt: number, random: number) => retryDecision({ attempt }, { baseDelayMs: 1_000, random: () => random }).delayMs;
    expect(job(1, 0)).toBe(500);
    expect(job(1, 1)).toBe(1_000);
    expect(job(3, 1)).toBe(4_000);
    expect(job(20, 1)).toBe(60_000);
  });

  it('honours custom base, cap and maxAttempts', () => {
    expect(retryDecision({ status: 500, attempt: 4 }, { random: () => 0.5, baseDelayMs: 100, maxDelayMs: 300 }).delayMs).toBe(225);
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

describe('retryInputOf: the wait an error names', () => {
  const decide = (err: unknown, attempt = 1) => retryDecision(retryInputOf(err, attempt), { random: () => 0.5, now: () => NOW }).delayMs;

  it('uses a RetryAfterError\'s wait instead of backoff, uncapped unless asked', () => {
    expect(decide(new RetryAfterError('claimed by another job', 7_000), 3)).toBe(7_000);
    expect(decide(new RetryAfterError('daily block', 3_600_000))).toBe(3_600_000);
    expect(retryDecision(retryInputOf(new RetryAfterError('x', 90_000), 1), { maxServerDelayMs: 60_000 }).delayMs).toBe(60_000);
  });

  it('counts any retryable FleetError that names a wait as a RetryAfterError (an upstream 429)', () => {
    const rateLimited = new FleetError('Truto 429', true, { retryAfterMs: 2_500 });
    expect(rateLimited).toBeInstanceOf(RetryAfterError);
    expect(decide(rateLimited)).toBe(2_500);
  });

  it('backs off for errors that name no wait', () => {
    expect(new FleetError('Truto 503', true)).not.toBeInstanceOf(RetryAfterError);
    expect(new NonRetryableError('missing scope')).not.toBeInstanceOf(RetryAfterError);
    expect(decide(new Error('socket hang up'), 2)).toBe(1_500);
    expect(decide(undefined, 1)).toBe(750);
  });
});
