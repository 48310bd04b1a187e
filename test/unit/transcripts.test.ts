import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_LINE_RE, chunkLines, formatOffset, offsetSeconds, renderTranscript, transcriptsUnreadable, type CallTranscript } from '../../src/shared/domain/index.ts';
import { ArgumentHomeError, ToolAbsentError, TrutoNotFoundError, countTokens, makeTrutoError } from '../../src/shared/upstream/index.ts';

function transcript(turns: number, sentencesPerTurn: number): CallTranscript {
  return {
    callId: '1',
    transcript: Array.from({ length: turns }, (_, t) => ({
      speakerId: t % 2 === 0 ? 'rep' : 'buyer',
      topic: null,
      sentences: Array.from({ length: sentencesPerTurn }, (_, s) => ({
        start: (t * sentencesPerTurn + s) * 4_000,
        end: (t * sentencesPerTurn + s) * 4_000 + 3_500,
        text: `Sentence ${s} of turn ${t} talks about the rollout plan in some detail.`,
      })),
    })),
  };
}

const speakers = { rep: { name: 'Ann Rep', affiliation: 'Internal' as const }, buyer: { name: 'Bo (Buyer)', affiliation: 'External' as const } };

describe('renderTranscript', () => {
  it('renders one sentence a line in the agreed format', () => {
    const lines = renderTranscript(transcript(2, 2), speakers);
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(TRANSCRIPT_LINE_RE.test(l.line)).toBe(true);
    expect(lines[2]?.line).toBe('[00:00:08] Bo Buyer (External): Sentence 0 of turn 1 talks about the rollout plan in some detail.');
    expect(lines.map((l) => l.turn)).toEqual([0, 0, 1, 1]);
  });
  it('names unknown speakers without inventing a person', () => {
    const lines = renderTranscript({ callId: '1', transcript: [{ speakerId: '998877', sentences: [{ start: 0, end: 1, text: 'Hi.' }] }] }, {});
    expect(lines[0]?.line).toBe('[00:00:00] Speaker 8877 (Unknown): Hi.');
  });
  it('formats and parses offsets', () => {
    expect(formatOffset(3_723_000)).toBe('01:02:03');
    expect(offsetSeconds('01:02:03')).toBe(3_723);
  });
});

describe('chunkLines', () => {
  it('keeps everything in one chunk when it fits', () => {
    const lines = renderTranscript(transcript(4, 3), speakers);
    expect(chunkLines(lines, 10_000)).toHaveLength(1);
  });
  it('splits at speaker turns and never exceeds the budget', () => {
    const lines = renderTranscript(transcript(40, 5), speakers);
    const budget = 600;
    const chunks = chunkLines(lines, budget);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(budget);
      expect(countTokens(c.lines.join('\n'))).toBeLessThanOrEqual(budget);
    }
    // Every line appears exactly once, in order.
    expect(chunks.flatMap((c) => c.lines)).toEqual(lines.map((l) => l.line));
    // Cuts fall between turns: each chunk starts with a turn's first sentence.
    for (const c of chunks) expect(c.lines[0]).toMatch(/: Sentence 0 of turn/);
  });
  it('splits a single monologue longer than the budget by sentence', () => {
    const lines = renderTranscript(transcript(1, 60), speakers);
    const chunks = chunkLines(lines, 300);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(300);
  });
});

describe('transcriptsUnreadable: what stops a run at its first transcript batch', () => {
  it('an absent transcripts capability, a transcripts tool without a home for the call ids, a 403', () => {
    const absent = new ToolAbsentError({ accountId: 'a1', wanted: 'transcripts by call ids', closest: ['list_all_gong_calls'], likelyScope: 'api:calls:read:transcript' });
    expect(transcriptsUnreadable(absent, 'a1')).toBe(`no transcript can be read on account a1: ${absent.message}`);
    const homeless = new ArgumentHomeError('fetch_transcripts', 'filter.callIds', 'fetch_transcripts declares no place for the call ids');
    expect(transcriptsUnreadable(homeless, 'a1')).toMatch(/^no transcript can be read on account a1: fetch_transcripts declares no place/);
    const forbidden = makeTrutoError(403, {}, { statusCode: 403, message: 'Forbidden' }, { tool: 'create_a_gong_calls_transcript', nowMs: 0 });
    expect(transcriptsUnreadable(forbidden, 'a1')).toMatch(/^no transcript can be read on account a1/);
    // One call's trouble is not the run's.
    expect(transcriptsUnreadable(makeTrutoError(404, {}, { statusCode: 404, message: 'no call' }, { tool: 'x', nowMs: 0 }) as TrutoNotFoundError, 'a1')).toBeUndefined();
    expect(transcriptsUnreadable(new Error('boom'), 'a1')).toBeUndefined();
  });
});
