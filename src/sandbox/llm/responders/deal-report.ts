/**
 * `deal_report`: the reduce step. The input is a ```json block holding
 * `{findings: CitedFinding[], partialReports?: DealReport[]}` plus optional hints the sandbox also
 * reads: `account` (name for the headline), `callCount` (calls reviewed, including calls without
 * findings), `sentiments` (per-call customer sentiments) and `outputLimits` ({maxPointsPerSection,
 * maxCitationsPerPoint}: the fleet sizes the report to the output its window leaves, and a model
 * told so writes the most-cited points only). Citations are copied from the input, never
 * invented, so a report's every quote can be traced back to a transcript line.
 */
import type { DealReport, FindingCategory, ReportPoint, ReportSection } from '../../../shared/domain/index.ts';
import { FINDING_CATEGORIES, SECTION_OF_CATEGORY, SENTIMENTS } from '../../../shared/domain/index.ts';
import { isRecord, matchTopic, polarity, sentimentOf, type Sentiment } from './cues.ts';

const MAX_CITATIONS_PER_POINT = 3;

/** For partial reports: which categories a section's points may belong to (first is the fallback). */
const CATEGORIES_OF: Record<ReportSection, FindingCategory[]> = {
  objections: ['objection'],
  risks: ['security', 'technical_risk'],
  competitors: ['competitor'],
  pricing: ['pricing'],
  nextSteps: ['next_step'],
};

interface Evidence {
  category: FindingCategory;
  topic: string;
  callId: string;
  timestamp: string;
  quote: string;
}

const POINT_TEMPLATES: Record<FindingCategory, (topic: string, counts: string) => string> = {
  objection: (t, c) => `Concerns about ${t} (${c}).`,
  competitor: (t, c) => `${capitalize(t)} came up as an alternative (${c}).`,
  pricing: (t, c) => `Pricing discussion about ${t} (${c}).`,
  security: (t, c) => `Security risk: ${t} (${c}).`,
  technical_risk: (t, c) => `Technical risk: ${t} (${c}).`,
  next_step: (t, c) => `Next step: ${t} (${c}).`,
};

export function respondDealReport(input: unknown): DealReport {
  const data = isRecord(input) ? input : {};
  const evidence: Evidence[] = [];
  const votes: Sentiment[] = [];

  for (const f of arrayOf(data['findings'])) {
    const category = asCategory(f['category']);
    const quote = str(f['quote']);
    if (!category || !quote) continue;
    evidence.push({
      category,
      topic: matchTopic(category, quote) ?? matchTopic(category, str(f['summary'])) ?? 'other',
      callId: str(f['callId']),
      timestamp: str(f['timestamp']),
      quote,
    });
    votes.push(sentimentOf(polarity(quote)));
  }

  for (const report of arrayOf(data['partialReports'])) {
    const overall = asSentiment(report['overallSentiment']);
    if (overall) votes.push(overall);
    for (const section of Object.keys(CATEGORIES_OF) as ReportSection[]) {
      for (const point of arrayOf(report[section])) {
        for (const c of arrayOf(point['citations'])) {
          const quote = str(c['quote']);
          if (!quote) continue;
          const text = `${quote} ${str(point['point'])}`;
          const candidates = CATEGORIES_OF[section];
          const category = candidates.find((cat) => matchTopic(cat, text)) ?? candidates[0]!;
          evidence.push({
            category,
            topic: matchTopic(category, quote) ?? matchTopic(category, str(point['point'])) ?? 'other',
            callId: str(c['callId']),
            timestamp: str(c['timestamp']),
            quote,
          });
        }
      }
    }
  }

  // Explicit per-call sentiments outweigh anything inferred from quotes.
  const given = arrayOf(data['sentiments'], true).map(asSentiment).filter((s): s is Sentiment => !!s);
  const report: DealReport = {
    headline: '',
    objections: [],
    risks: [],
    competitors: [],
    pricing: [],
    nextSteps: [],
    overallSentiment: majority(given.length > 0 ? given : votes.filter((v) => v !== 'neutral')),
  };

  const clusters = new Map<string, Evidence[]>();
  for (const e of evidence) {
    const key = `${e.category}\u0000${e.topic}`;
    const list = clusters.get(key) ?? [];
    if (!list.some((x) => x.callId === e.callId && x.quote === e.quote)) list.push(e);
    clusters.set(key, list);
  }
  const ranked = [...clusters.values()].sort(
    (a, b) => b.length - a.length || a[0]!.topic.localeCompare(b[0]!.topic),
  );
  const limits = isRecord(data['outputLimits']) ? data['outputLimits'] : {};
  const maxPoints = positiveInt(limits['maxPointsPerSection']) ?? Number.POSITIVE_INFINITY;
  const maxCitations = Math.min(MAX_CITATIONS_PER_POINT, positiveInt(limits['maxCitationsPerPoint']) ?? MAX_CITATIONS_PER_POINT);
  for (const cluster of ranked) {
    const first = cluster[0]!;
    const section = report[SECTION_OF_CATEGORY[first.category]];
    if (section.length >= maxPoints) continue;
    const calls = new Set(cluster.map((e) => e.callId)).size;
    const counts = `${plural(cluster.length, 'mention')} across ${plural(calls, 'call')}`;
    const point: ReportPoint = {
      point: POINT_TEMPLATES[first.category](first.topic, counts),
      citations: cluster
        .slice(0, maxCitations)
        .map((e) => ({ callId: e.callId, timestamp: e.timestamp, quote: e.quote })),
    };
    section.push(point);
  }

  const callIds = new Set(evidence.map((e) => e.callId).filter(Boolean));
  const callCount =
    typeof data['callCount'] === 'number' && data['callCount'] >= callIds.size ? data['callCount'] : callIds.size;
  report.headline = headline(str(data['account']) || str(data['accountName']), callCount, ranked);
  return report;
}

function headline(account: string, callCount: number, ranked: Evidence[][]): string {
  const objections = ranked.filter((c) => c[0]!.category === 'objection').reduce((n, c) => n + c.length, 0);
  const mainRisk =
    ranked.find((c) => SECTION_OF_CATEGORY[c[0]!.category] === 'risks') ??
    ranked.find((c) => c[0]!.category === 'objection');
  const prefix = account ? `${account}: ` : '';
  const base = `${prefix}${plural(objections, 'objection')} across ${plural(callCount, 'call')}`;
  return mainRisk ? `${base}; ${mainRisk[0]!.topic} is the main risk` : `${base}; no major risks found`;
}

function majority(votes: Sentiment[]): Sentiment {
  if (votes.length === 0) return 'neutral';
  const tally = new Map<Sentiment, number>();
  for (const v of votes) tally.set(v, (tally.get(v) ?? 0) + 1);
  const sorted = [...tally.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = sorted;
  if (second && second[1] === top![1]) return 'mixed';
  return top![0];
}

function arrayOf(value: unknown): Record<string, unknown>[];
function arrayOf(value: unknown, raw: true): unknown[];
function arrayOf(value: unknown, raw?: true): unknown[] {
  if (!Array.isArray(value)) return [];
  return raw ? value : value.filter(isRecord);
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function asCategory(value: unknown): FindingCategory | undefined {
  return (FINDING_CATEGORIES as readonly unknown[]).includes(value) ? (value as FindingCategory) : undefined;
}

function asSentiment(value: unknown): Sentiment | undefined {
  return (SENTIMENTS as readonly unknown[]).includes(value) ? (value as Sentiment) : undefined;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
