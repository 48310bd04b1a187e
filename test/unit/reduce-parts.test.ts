/**
 * Pieces of the map and reduce steps that need no model: a transcript line too long for any
 * chunk is cut with a note, the report's length limits follow the output a window leaves, and
 * partial reports merge in code within those limits when the model cannot.
 */
import { describe, expect, it } from 'vitest';
import { chunkLines, mergeReportsLocally, outputLimits, type DealReport, type RenderedLine } from '../../src/shared/domain/index.ts';
import { countTokens } from '../../src/shared/upstream/index.ts';

const line = (turn: number, text: string): RenderedLine => ({ turn, text, line: `[00:00:0${turn}] Ann Lee (External): ${text}` });

describe('chunkLines with a line longer than the budget', () => {
  it('cuts that line to fit, says so, and keeps every other line whole', () => {
    const long = 'we need the security review finished before legal signs anything '.repeat(60);
    const lines = [line(0, 'Hello there.'), line(1, long), line(2, 'Thanks, talk soon.')];
    const chunks = chunkLines(lines, 200);
    const all = chunks.flatMap((c) => c.lines);
    expect(all).toHaveLength(3);
    expect(all[0]).toBe(lines[0]!.line);
    expect(all[2]).toBe(lines[2]!.line);
    expect(all[1]).toMatch(/…line cut: \d+ more tokens did not fit/);
    expect(all[1]!.startsWith(lines[1]!.line.slice(0, 60))).toBe(true);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(200);
    expect(countTokens(all[1]!)).toBeLessThanOrEqual(200);
    expect(chunks.reduce((n, c) => n + c.truncatedLines, 0)).toBe(1);
    expect(chunks.map((c) => [c.start, c.count])).toEqual(chunks.map((c, i) => [chunks.slice(0, i).reduce((n, x) => n + x.count, 0), c.lines.length]));
  });
});

describe('outputLimits', () => {
  const budget = (outputTokens: number, tokenRatio = 1) => ({
    window: { tokens: outputTokens * 4, confirmed: true, source: 'config' as const },
    outputTokens,
    promptTokens: outputTokens * 2,
    tokenRatio,
  });

  it('allows a full report in a large output, a short one in a small output', () => {
    // 0.85 of the output, ~20 tokens a point + ~45 a citation, ~80 for the headline, over 5 sections.
    expect(outputLimits(budget(6_000))).toEqual({ maxPointsPerSection: 6, maxCitationsPerPoint: 3 });
    expect(outputLimits(budget(4_096))).toEqual({ maxPointsPerSection: 4, maxCitationsPerPoint: 3 });
    expect(outputLimits(budget(1_000))).toEqual({ maxPointsPerSection: 2, maxCitationsPerPoint: 1 });
    expect(outputLimits(budget(200))).toEqual({ maxPointsPerSection: 1, maxCitationsPerPoint: 1 });
  });

  it('counts the output in the server tokens: a tokenizer that counts more gets a shorter report', () => {
    const same = outputLimits(budget(2_000, 1));
    const more = outputLimits(budget(2_000, 2));
    expect(more.maxPointsPerSection * more.maxCitationsPerPoint).toBeLessThan(same.maxPointsPerSection * same.maxCitationsPerPoint);
  });
});

describe('mergeReportsLocally', () => {
  const cite = (callId: string, quote: string) => ({ callId, timestamp: '00:01:00', quote });
  const report = (over: Partial<DealReport>): DealReport => ({
    headline: '',
    objections: [],
    risks: [],
    competitors: [],
    pricing: [],
    nextSteps: [],
    overallSentiment: 'neutral',
    ...over,
  });

  it('joins equal points, keeps the most cited first, and stays within the limits', () => {
    const a = report({
      headline: 'A',
      objections: [{ point: 'Price', citations: [cite('c1', 'too expensive')] }, { point: 'Timing', citations: [cite('c1', 'not this quarter')] }],
      overallSentiment: 'negative',
    });
    const b = report({
      headline: 'B',
      objections: [{ point: 'Price', citations: [cite('c2', 'over budget'), cite('c1', 'too expensive')] }],
      risks: [{ point: 'SSO', citations: [cite('c3', 'we need SAML')] }],
      overallSentiment: 'negative',
    });
    const merged = mergeReportsLocally([a, b], { maxPointsPerSection: 1, maxCitationsPerPoint: 2 });
    expect(merged.objections).toEqual([{ point: 'Price', citations: [cite('c1', 'too expensive'), cite('c2', 'over budget')] }]);
    expect(merged.risks).toEqual([{ point: 'SSO', citations: [cite('c3', 'we need SAML')] }]);
    expect(merged.headline).toBe('B'); // the partial with the most citations
    expect(merged.overallSentiment).toBe('negative');
  });
});
