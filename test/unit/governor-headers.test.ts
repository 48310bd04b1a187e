/**
 * What responses teach the governor (pure functions of status and headers), and how a token is
 * named in Redis. Expected values are written out: 10 s is Truto's own `Retry-After` on 429s.
 */
import { describe, expect, it } from 'vitest';
import {
  hashApiKey,
  llmLesson,
  parseDurationMs,
  parseRateLimitLimit,
  parseRetryAfterMs,
  trutoLesson,
} from '../../src/shared/upstream/index.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
/** Both Truto tiers answer 429 with `Retry-After: 10`; the governor falls back to the same. */
const TEN_SECONDS = 10_000;

describe('parseDurationMs (OpenAI x-ratelimit-reset-*)', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['120ms', 120],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['17ms', 17],
    ['2', 2000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', 'soon', '5x', '1s junk', undefined])('rejects %s', (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('10', NOW)).toBe(10_000);
    expect(parseRetryAfterMs(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfterMs(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfterMs('garbage', NOW)).toBeNull();
  });
});

describe('parseRateLimitLimit', () => {
  it('reads the optional ;w= window', () => {
    expect(parseRateLimitLimit('110;w=10')).toEqual({ limit: 110, windowMs: 10_000 });
    expect(parseRateLimitLimit('3')).toEqual({ limit: 3, windowMs: null });
  });
});

describe('trutoLesson', () => {
  it('blocks for ratelimit-reset when remaining hits 0', () => {
    const lesson = trutoLesson(
      { status: 200, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '4' } },
      { nowMs: NOW },
    );
    expect(lesson).toEqual({ blockMs: 4000, is429: false });
  });

  it('does not block while requests remain', () => {
    const lesson = trutoLesson(
      { status: 200, headers: { 'ratelimit-remaining': '2', 'ratelimit-reset': '1' } },
      { nowMs: NOW },
    );
    expect(lesson.blockMs).toBe(0);
  });

  it('skips a remaining-0 block for a window the governor already enforces', () => {
    const headers = { 'ratelimit-limit': '3;w=1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' };
    expect(trutoLesson({ status: 200, headers }, { nowMs: NOW, alreadyEnforced: () => true }).blockMs).toBe(0);
    expect(trutoLesson({ status: 200, headers }, { nowMs: NOW, alreadyEnforced: () => false }).blockMs).toBe(1000);
  });

  it('on 429 prefers retry-after, then ratelimit-reset, then 10 s', () => {
    const lesson = (headers: Record<string, string>) => trutoLesson({ status: 429, headers }, { nowMs: NOW });
    expect(lesson({ 'retry-after': '7', 'ratelimit-reset': '30' })).toEqual({ blockMs: 7000, is429: true });
    expect(lesson({ 'ratelimit-reset': '30', 'ratelimit-remaining': '0' })).toEqual({ blockMs: 30_000, is429: true });
    expect(lesson({})).toEqual({ blockMs: TEN_SECONDS, is429: true });
  });
});

describe('llmLesson', () => {
  it('blocks until the exhausted dimension resets', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-remaining-tokens': '5000',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(llmLesson({ status: 200, headers }, NOW)).toEqual({ blockMs: 120, is429: false });
  });

  it('does not block while both dimensions have room', () => {
    const headers = { 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-reset-requests': '1s' };
    expect(llmLesson({ status: 200, headers }, NOW).blockMs).toBe(0);
  });

  it('on 429 prefers retry-after-ms, then retry-after, then resets', () => {
    const lesson = (headers: Record<string, string>) => llmLesson({ status: 429, headers }, NOW);
    expect(lesson({ 'retry-after-ms': '250', 'retry-after': '3' }).blockMs).toBe(250);
    expect(lesson({ 'retry-after': '3' }).blockMs).toBe(3000);
    expect(lesson({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '1m30s' }).blockMs).toBe(90_000);
    expect(lesson({ 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '5s' }).blockMs).toBe(2000);
    expect(lesson({})).toEqual({ blockMs: TEN_SECONDS, is429: true });
  });
});

describe('hashApiKey', () => {
  it('names a token by a stable 16-hex digest that never contains the key', () => {
    const h = hashApiKey('secret-key-123');
    // Pinned: the token bucket in Redis is named by it, so processes of two versions running side
    // by side (a rolling deploy) must agree on it, and a change must be deliberate.
    expect(h).toBe('dc87f94e8f44b501'); // the first 16 hex of sha256("secret-key-123")
    expect(hashApiKey('secret-key-123')).toBe(h);
    expect(hashApiKey('secret-key-124')).not.toBe(h);
    expect(hashApiKey('')).toMatch(/^[0-9a-f]{16}$/);
    expect(h).not.toContain('secret');
  });
});
