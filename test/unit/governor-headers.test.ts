import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_429_BLOCK_MS,
  hashApiKey,
  llmLesson,
  parseDurationMs,
  parseRateLimitLimit,
  parseRetryAfterMs,
  trutoLesson,
} from '../../src/shared/upstream/index.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

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
    expect(lesson({})).toEqual({ blockMs: DEFAULT_429_BLOCK_MS, is429: true });
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
    expect(lesson({})).toEqual({ blockMs: DEFAULT_429_BLOCK_MS, is429: true });
  });
});

describe('hashApiKey', () => {
  it('is sha256 truncated to 16 hex chars and never contains the key', () => {
    const h = hashApiKey('secret-key-123');
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(h).toBe(createHash('sha256').update('secret-key-123').digest('hex').slice(0, 16));
    expect(hashApiKey('secret-key-123')).toBe(h);
    expect(hashApiKey('other')).not.toBe(h);
  });
});
