/**
 * `call_findings`: the map step over one transcript. Every quote is a transcript line's text copied
 * verbatim, and lines that do not follow TRANSCRIPT_LINE_RE are ignored, so the sandbox model can
 * never invent a quote: that is what lets the fleet's citation checks be tested for real.
 */
import {
  FINDING_CATEGORIES,
  TRANSCRIPT_LINE_RE,
  type CallFindings,
  type Finding,
  type FindingCategory,
} from '../../../shared/domain/index.ts';
import { classifyLine, polarity, sentences, sentimentOf } from './cues.ts';

/** Findings kept per category, like a model told to report the few that matter. */
const MAX_FINDINGS_PER_CATEGORY = 4;

interface TranscriptLine {
  timestamp: string;
  speaker: string;
  affiliation: 'Internal' | 'External' | 'Unknown';
  text: string;
}

export function parseTranscriptLines(text: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const raw of text.split('\n')) {
    const match = TRANSCRIPT_LINE_RE.exec(raw.replace(/\r$/, ''));
    if (!match) continue;
    const [, timestamp, speaker, affiliation, lineText] = match;
    if (!timestamp || !speaker || !lineText) continue;
    lines.push({
      timestamp,
      speaker: speaker.trim(),
      affiliation: affiliation as TranscriptLine['affiliation'],
      text: lineText,
    });
  }
  return lines;
}

const SUMMARY_TEMPLATES: Record<FindingCategory, (who: string, topic: string) => string> = {
  objection: (who, topic) => `${who} raised a concern about ${topic}.`,
  competitor: (who, topic) => `${who} mentioned ${topic}.`,
  pricing: (who, topic) => `${who} discussed pricing: ${topic}.`,
  security: (who, topic) => `${who} raised a security requirement: ${topic}.`,
  technical_risk: (who, topic) => `${who} flagged a technical risk: ${topic}.`,
  next_step: (who, topic) => `${who} proposed a next step: ${topic}.`,
};

function rankSpeaker(line: TranscriptLine): number {
  return line.affiliation === 'External' ? 0 : 1;
}

function who(line: TranscriptLine): string {
  if (line.affiliation === 'External') return `The customer (${line.speaker})`;
  if (line.affiliation === 'Internal') return `The rep (${line.speaker})`;
  return line.speaker;
}

export function respondCallFindings(userText: string): CallFindings {
  const lines = parseTranscriptLines(userText);
  const byCategory = new Map<FindingCategory, { line: TranscriptLine; topic: string }[]>();
  for (const line of lines) {
    const hit = classifyLine(line.text);
    if (!hit) continue;
    const bucket = byCategory.get(hit.category) ?? [];
    bucket.push({ line, topic: hit.topic });
    byCategory.set(hit.category, bucket);
  }

  const findings: Finding[] = [];
  for (const category of FINDING_CATEGORIES) {
    const bucket = byCategory.get(category) ?? [];
    // An objection is the customer's; a rep voicing one ("you may be worried…") counts only if
    // there is room left. Stable sort keeps transcript order within each group.
    const ranked =
      category === 'objection'
        ? [...bucket].sort((a, b) => rankSpeaker(a.line) - rankSpeaker(b.line))
        : bucket;
    const kept = ranked.slice(0, MAX_FINDINGS_PER_CATEGORY);
    kept.sort((a, b) => lines.indexOf(a.line) - lines.indexOf(b.line));
    for (const { line, topic } of kept) {
      findings.push({
        category,
        summary: SUMMARY_TEMPLATES[category](who(line), topic),
        speaker: line.speaker,
        quote: line.text,
        timestamp: line.timestamp,
      });
    }
  }

  const external = lines.filter((l) => l.affiliation === 'External');
  const total = { positive: 0, negative: 0 };
  for (const line of external) {
    const p = polarity(line.text);
    total.positive += p.positive;
    total.negative += p.negative;
  }
  const customerSentiment = sentimentOf(total);
  return { findings, customerSentiment, sentimentEvidence: pickEvidence(external, customerSentiment) };
}

/** The External sentence with the most cues of the call's sentiment ('' when neutral). */
function pickEvidence(external: TranscriptLine[], sentiment: string): string {
  if (sentiment === 'neutral') return '';
  let best = '';
  let bestScore = 0;
  for (const line of external) {
    for (const sentence of sentences(line.text)) {
      const p = polarity(sentence);
      const score =
        sentiment === 'positive' ? p.positive : sentiment === 'negative' ? p.negative : p.positive + p.negative;
      if (score > bestScore) {
        best = sentence;
        bestScore = score;
      }
    }
  }
  return best;
}
