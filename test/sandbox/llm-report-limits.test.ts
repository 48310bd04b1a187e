/**
 * The sandbox model's reports follow the output limits the fleet puts in a reduce prompt (as a
 * model told "at most N points per section" would), so the fleet's sizing can be tested for real.
 */
import { describe, expect, it } from 'vitest';
import { respondDealReport } from '../../src/sandbox/llm/responders/deal-report.ts';

const finding = (category: string, quote: string, callId: string) => ({ category, quote, callId, summary: quote, speaker: 'Ann', timestamp: '00:01:00' });
const findings = [
  ...['The price is too high.', 'Pricing is above our budget.', 'Your pricing is steep.', 'Cost is a concern.'].map((q, i) => finding('pricing', q, `c${i}`)),
  ...['We need SSO before rollout.', 'Security review is mandatory.', 'SOC 2 report please.'].map((q, i) => finding('security', q, `c${i}`)),
  ...['We are also looking at Acme.', 'Initech quoted us lower.', 'Globex has a similar tool.'].map((q, i) => finding('competitor', q, `c${i}`)),
];
const sections = ['objections', 'risks', 'competitors', 'pricing', 'nextSteps'] as const;

describe('deal_report with outputLimits', () => {
  it('writes at most maxPointsPerSection points, each with at most maxCitationsPerPoint citations', () => {
    const free = respondDealReport({ findings });
    const limited = respondDealReport({ findings, outputLimits: { maxPointsPerSection: 1, maxCitationsPerPoint: 1 } });
    const count = (r: typeof free) => sections.reduce((n, s) => n + r[s].length, 0);
    const cites = (r: typeof free) => sections.reduce((n, s) => n + r[s].reduce((m, p) => m + p.citations.length, 0), 0);
    expect(count(free)).toBeGreaterThan(count(limited));
    expect(cites(free)).toBeGreaterThan(cites(limited));
    for (const s of sections) {
      expect(limited[s].length).toBeLessThanOrEqual(1);
      for (const p of limited[s]) expect(p.citations).toHaveLength(1);
    }
  });

  it('ignores limits that are not positive whole numbers', () => {
    const junk = respondDealReport({ findings, outputLimits: { maxPointsPerSection: 0, maxCitationsPerPoint: 'two' } });
    expect(junk).toEqual(respondDealReport({ findings }));
  });
});
