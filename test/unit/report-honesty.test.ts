/**
 * The rules behind a report's headline and a transcript's readiness, on their own: when a report
 * is incomplete (most calls missing), what a report with nothing summarized says instead of "no
 * findings", and when an empty transcript is final.
 */
import { describe, expect, it } from 'vitest';
import { commonReason, honestHeadline, incompleteReason } from '../../src/reports/honesty.ts';
import { callEndedMs, hasSpeech, mayBeProcessing, notReadyReason } from '../../src/shared/domain/index.ts';

const stats = (over: Partial<Record<'callsConsidered' | 'summarized' | 'fromCache' | 'missing' | 'notReady' | 'noTranscript', number>>) => ({
  callsConsidered: 10, summarized: 0, fromCache: 0, missing: 0, notReady: 0, noTranscript: 0, ...over,
});

describe('incompleteReason', () => {
  it('is set only when more than half of the calls are missing, naming the commonest reason', () => {
    expect(incompleteReason(stats({ summarized: 5, missing: 5 }), [])).toBeUndefined();
    const why = incompleteReason(stats({ summarized: 4, missing: 6 }), ['403 on transcripts', 'timeout', '403 on transcripts']);
    expect(why).toBe('6 of 10 calls are missing (most often: 403 on transcripts)');
    expect(incompleteReason(stats({ callsConsidered: 0 }), [])).toBeUndefined();
  });

  it('shortens a long reason', () => {
    expect(commonReason(['x'.repeat(500)])).toHaveLength(200);
    expect(commonReason([])).toBeUndefined();
  });
});

describe('honestHeadline', () => {
  const model = 'Globex: pricing is the main objection';
  it("keeps the model's headline when the findings stand for the calls", () => {
    expect(honestHeadline(stats({ summarized: 8, notReady: 2 }), model, undefined)).toBe(model);
  });

  it('leads with the gap when the report is incomplete', () => {
    const h = honestHeadline(stats({ summarized: 1, fromCache: 1, missing: 8 }), 'x: no findings in the calls considered', '8 of 10 calls are missing');
    expect(h).toBe('Incomplete report: 8 of 10 calls are missing; the findings cover only 2 calls.');
  });

  it('says why there are no findings when nothing was summarized', () => {
    expect(honestHeadline(stats({ callsConsidered: 2, notReady: 2 }), 'x: no findings in the calls considered', undefined))
      .toBe('No findings: the transcripts of 2 calls are not ready yet (Gong is still processing them; re-run later).');
    expect(honestHeadline(stats({ callsConsidered: 3, notReady: 1, noTranscript: 1, missing: 1 }), 'x', undefined))
      .toBe('No findings: the transcripts of 1 call are not ready yet (Gong is still processing them; re-run later); 1 call has no transcript in Gong; 1 call could not be read.');
  });
});

describe('transcript readiness', () => {
  const nowMs = Date.parse('2026-11-29T12:00:00Z');
  const call = (started: string, durationSeconds?: number) => ({ started, ...(durationSeconds === undefined ? {} : { durationSeconds }) });

  it('counts from the end of the call', () => {
    expect(callEndedMs(call('2026-11-29T10:00:00Z', 1800))).toBe(Date.parse('2026-11-29T10:30:00Z'));
    expect(callEndedMs(call('not a date'))).toBeUndefined();
  });

  it('a call that ended less than readyHours ago may still be processing; older or undated ones are final', () => {
    expect(mayBeProcessing(call('2026-11-29T10:00:00Z', 1800), 2, nowMs)).toBe(true); // ended 1.5 h ago
    expect(mayBeProcessing(call('2026-11-29T09:00:00Z', 1800), 2, nowMs)).toBe(false); // ended 2.5 h ago
    expect(mayBeProcessing(call('2026-11-29T11:50:00Z', 300), 0, nowMs)).toBe(false); // 0 = every empty one is final
    expect(mayBeProcessing(call(''), 24, nowMs)).toBe(false);
  });

  it('speech means at least one non-blank sentence', () => {
    expect(hasSpeech({ transcript: [] })).toBe(false);
    expect(hasSpeech({ transcript: [{ speakerId: '1', sentences: [{ start: 0, end: 1, text: '  ' }] }] })).toBe(false);
    expect(hasSpeech({ transcript: [{ speakerId: '1', sentences: [{ start: 0, end: 1, text: 'Hi' }] }] })).toBe(true);
  });

  it('says how long ago the call ended', () => {
    expect(notReadyReason(call('2026-11-29T11:00:00Z', 1800), nowMs)).toBe('transcript not ready: Gong is still processing the call (the call ended 30 min ago); a later run fetches it');
    expect(notReadyReason(call('2026-11-29T06:00:00Z', 0), nowMs)).toContain('(the call ended 6.0 h ago)');
  });
});
