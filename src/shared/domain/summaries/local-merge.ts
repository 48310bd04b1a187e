/**
 * The reduce step's last resort, in code: when the model cannot merge some partial reports within
 * the output its window leaves (its answer is cut), or a window cannot hold even two of them, they
 * are merged here so the run still gets its report. Points keep their model-written text and
 * citations (checked later like any other); equal points are joined, the most cited kept first.
 */
import type { OutputLimits } from './prompts.ts';
import { REPORT_SECTIONS, SECTION_OF_CATEGORY, type CitedFinding, type DealReport, type ReportPoint } from './schemas.ts';

/** Merges partial reports without the model, within `limits` (so the result fits a later merge). */
export function mergeReportsLocally(reports: DealReport[], limits: OutputLimits): DealReport {
  const merged: DealReport = {
    headline: mostCited(reports)?.headline ?? '',
    objections: [],
    risks: [],
    competitors: [],
    pricing: [],
    nextSteps: [],
    overallSentiment: majority(reports.map((r) => r.overallSentiment)),
  };
  for (const section of REPORT_SECTIONS) {
    const byText = new Map<string, ReportPoint>();
    for (const point of reports.flatMap((r) => r[section])) {
      const seen = byText.get(point.point);
      if (!seen) byText.set(point.point, { point: point.point, citations: [...point.citations] });
      else for (const c of point.citations) if (!seen.citations.some((x) => x.callId === c.callId && x.quote === c.quote)) seen.citations.push(c);
    }
    merged[section] = [...byText.values()]
      .sort((a, b) => b.citations.length - a.citations.length)
      .slice(0, limits.maxPointsPerSection)
      .map((p) => ({ ...p, citations: p.citations.slice(0, limits.maxCitationsPerPoint) }));
  }
  return merged;
}

/** One point per finding, for a finding no model prompt can hold (a window smaller than one finding). */
export function reportFromFindings(subject: string, findings: CitedFinding[]): DealReport {
  const report: DealReport = { headline: `${subject}: findings listed without synthesis`, objections: [], risks: [], competitors: [], pricing: [], nextSteps: [], overallSentiment: 'neutral' };
  for (const f of findings) {
    report[SECTION_OF_CATEGORY[f.category]].push({ point: f.summary, citations: [{ callId: f.callId, timestamp: f.timestamp, quote: f.quote }] });
  }
  return report;
}

function mostCited(reports: DealReport[]): DealReport | undefined {
  const cites = (r: DealReport) => REPORT_SECTIONS.reduce((n, s) => n + r[s].reduce((m, p) => m + p.citations.length, 0), 0);
  return [...reports].sort((a, b) => cites(b) - cites(a))[0];
}

function majority(votes: DealReport['overallSentiment'][]): DealReport['overallSentiment'] {
  const tally = new Map<DealReport['overallSentiment'], number>();
  for (const v of votes.filter((x) => x !== 'neutral')) tally.set(v, (tally.get(v) ?? 0) + 1);
  const [top, second] = [...tally.entries()].sort((a, b) => b[1] - a[1]);
  if (!top) return 'neutral';
  return second && second[1] === top[1] ? 'mixed' : top[0];
}
