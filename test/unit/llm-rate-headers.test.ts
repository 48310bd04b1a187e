/**
 * What an LLM response says about the server's rate limits: the limits it announces (headers, or
 * a 429's message when it sends none) and how long a 429 says to wait.
 */
import { describe, expect, it } from 'vitest';
import { llmAnnouncedLimits, llmLesson } from '../../src/shared/upstream/index.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('llmAnnouncedLimits', () => {
  it('adopts x-ratelimit-limit-* as per-minute limits', () => {
    const headers = {
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-limit-tokens': '400000',
      'x-ratelimit-remaining-tokens': '399000',
      'x-ratelimit-reset-tokens': '150ms',
    };
    expect(llmAnnouncedLimits({ status: 200, headers })).toEqual({ requestsPerMinute: 500, tokensPerMinute: 400_000 });
  });

  it('ignores a limit whose window is longer than a minute (a per-day budget resetting in hours)', () => {
    const headers = { 'x-ratelimit-limit-requests': '14400', 'x-ratelimit-reset-requests': '2m59.56s', 'x-ratelimit-limit-tokens': '6000', 'x-ratelimit-reset-tokens': '7.66s' };
    expect(llmAnnouncedLimits({ status: 200, headers })).toEqual({ tokensPerMinute: 6_000 });
  });

  it('announces nothing when the server sends nothing', () => {
    expect(llmAnnouncedLimits({ status: 200, headers: {} })).toEqual({});
  });

  it("reads a 429's message when no header names the limit", () => {
    const message = 'Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): Limit 400000, Used 398000, Requested 9000. Please try again in 1.05s.';
    expect(llmAnnouncedLimits({ status: 429, headers: {}, message })).toEqual({ tokensPerMinute: 400_000 });
    const rpm = 'Rate limit reached for requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in 1s.';
    expect(llmAnnouncedLimits({ status: 429, headers: {}, message: rpm })).toEqual({ requestsPerMinute: 60 });
  });
});

describe('llmLesson on a 429', () => {
  it('waits what the message names when no header does', () => {
    const message = 'Rate limit reached for tokens per min (TPM): Limit 400000, Used 398000, Requested 9000. Please try again in 1.05s.';
    expect(llmLesson({ status: 429, headers: {}, message }, NOW)).toEqual({ blockMs: 1_050, is429: true });
    expect(llmLesson({ status: 429, headers: {}, message: '… Please try again in 1m30s.' }, NOW).blockMs).toBe(90_000);
  });

  it('prefers retry-after-ms, then retry-after, over the message', () => {
    const message = 'Please try again in 20s.';
    expect(llmLesson({ status: 429, headers: { 'retry-after-ms': '750', 'retry-after': '1' }, message }, NOW).blockMs).toBe(750);
    expect(llmLesson({ status: 429, headers: { 'retry-after': '2' }, message }, NOW).blockMs).toBe(2_000);
  });
});
