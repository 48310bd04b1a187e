/**
 * Cue words the sandbox model "understands". Each category lists topic cues in priority order: the
 * first cue found in a sentence names its topic (used for summaries and for clustering in reports).
 */
import type { FindingCategory } from '../../../shared/domain/index.ts';

export interface Cue {
  /** Human-readable topic, e.g. "SOC 2". */
  topic: string;
  pattern: RegExp;
}

function cue(topic: string, pattern: RegExp): Cue {
  return { topic, pattern };
}

export const CATEGORY_CUES: Record<FindingCategory, readonly Cue[]> = {
  // Objection topics only name what a concern is about; OBJECTION_TRIGGER_RE decides whether a
  // line is a concern at all (a bare "timeline" in a demo is not an objection).
  objection: [
    cue('implementation timeline', /\bimplementation\b|\brollout\b|\btimelines?\b|\btoo long\b/i),
    cue('integration effort', /\bintegrat(?:e|ion|ions|ing)\b/i),
    cue('change management', /\bchange management\b|\badoption\b/i),
    cue('risk', /\brisk of\b/i),
    cue('hesitation', /\bhesita\w*/i),
    cue('concerns', /\bconcern(?:s|ed)?\b|\bworr(?:y|ied|ies)\b/i),
  ],
  competitor: [
    cue('Chorus', /\bchorus\b/i),
    cue('Clari', /\bclari\b/i),
    cue('Salesloft', /\bsalesloft\b/i),
    cue('Outreach', /\boutreach\b/i),
    cue('a competitor', /\bcompetitors?\b/i),
    cue('alternatives', /\balternatives?\b/i),
  ],
  pricing: [
    cue('discount', /\bdiscount(?:s|ing)?\b/i),
    cue('per-seat price', /\bper[- ]seat\b/i),
    cue('budget', /\bbudget(?:s|ed|ing)?\b/i),
    cue('price', /\bpric(?:e|es|ing)\b/i),
    cue('cost', /\bcosts?\b/i),
  ],
  security: [
    cue('SOC 2', /\bSOC ?2\b/i),
    cue('SSO', /\bSSO\b|\bSAML\b/i),
    cue('GDPR and data residency', /\bGDPR\b|\bdata residency\b/i),
    cue('encryption', /\bencrypt(?:ion|ed)?\b/i),
    cue('pen test', /\bpen(?:etration)? ?test(?:s|ing)?\b/i),
    cue('security review', /\bsecurity\b/i),
  ],
  technical_risk: [
    cue('API limits', /\bAPI (?:rate )?limits?\b|\brate limits?\b/i),
    cue('data migration', /\bmigrat(?:e|ion|ing)\b|\bdata model\b|\bmap(?:s|ping)? cleanly\b/i),
    cue('legacy systems', /\blegacy\b/i),
    cue('downtime', /\bdowntime\b/i),
    cue('integration', /\bintegrat(?:e|ion|ions|ing)\b/i),
    cue('technical risk', /\btechnical risks?\b/i),
  ],
  next_step: [
    cue('the security whitepaper', /\bwhitepaper\b/i),
    cue('a technical deep dive', /\bdeep dive\b/i),
    cue('a mutual action plan', /\baction plan\b/i),
    cue('a revised proposal', /\bproposal\b/i),
    cue('scheduling a call', /\bset up a call\b|\bschedul(?:e|ing)\b/i),
    cue('sending materials', /\bsend (?:it |that |this |them )?over\b/i),
    cue('a follow-up', /\bfollow[- ]?up\b/i),
    cue('next steps', /\bnext steps?\b/i),
  ],
};

const OBJECTION_TRIGGER_RE = /\bconcern(?:s|ed)?\b|\bworr(?:y|ied|ies)\b|\bhesita\w*|\btoo long\b|\brisk of\b/i;

/**
 * Which category wins when a line has cues of several: a commitment ("I will send over the SOC 2
 * report") is a next step, a named rival beats everything else, and a worry about integration is
 * an objection rather than a technical risk. One category per line, as a careful annotator would.
 */
const CLASSIFY_ORDER: readonly FindingCategory[] = [
  'next_step',
  'competitor',
  'pricing',
  'security',
  'objection',
  'technical_risk',
];

/** The first topic cue of `category` found in `text`, or undefined. */
export function matchTopic(category: FindingCategory, text: string): string | undefined {
  return CATEGORY_CUES[category].find((c) => c.pattern.test(text))?.topic;
}

/** The single category (and its topic) a transcript sentence belongs to, if any. */
export function classifyLine(text: string): { category: FindingCategory; topic: string } | undefined {
  for (const category of CLASSIFY_ORDER) {
    if (category === 'objection' && !OBJECTION_TRIGGER_RE.test(text)) continue;
    const topic = matchTopic(category, text);
    if (topic) return { category, topic };
  }
  return undefined;
}

const POSITIVE_RE =
  /\b(great|love|excited|impressed|perfect|looking forward|happy|sounds good|excellent|valuable|helpful|amazing|glad)\b/gi;
const NEGATIVE_RE =
  /\b(concern(?:s|ed)?|worried|frustrat\w*|disappoint\w*|expensive|too long|not sure|problem|issue|hesitant|unhappy|difficult|blocker)\b/gi;

export interface Polarity {
  positive: number;
  negative: number;
}

export function polarity(text: string): Polarity {
  return {
    positive: text.match(POSITIVE_RE)?.length ?? 0,
    negative: text.match(NEGATIVE_RE)?.length ?? 0,
  };
}

export type Sentiment = 'positive' | 'neutral' | 'negative' | 'mixed';

/** A clear 2:1 majority wins; otherwise cues on both sides make it mixed. */
export function sentimentOf(p: Polarity): Sentiment {
  if (p.positive === 0 && p.negative === 0) return 'neutral';
  if (p.positive >= 2 * p.negative) return 'positive';
  if (p.negative >= 2 * p.positive) return 'negative';
  return 'mixed';
}

/** Splits text into sentences without changing a character of any of them. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The body of the first ```json fenced block in `text`, parsed, or undefined. */
export function extractJsonBlock(text: string): unknown {
  const match = /```json\s*\n([\s\S]*?)```/i.exec(text);
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
