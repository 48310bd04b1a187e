/**
 * Prompts of the map and reduce steps. Any change here must bump PROMPT_VERSION (schemas.ts): it
 * is part of every summary cache key.
 */
import type { ChatMessage } from '../../upstream/index.ts';
import type { CitedFinding, DealReport } from './schemas.ts';

const MAP_SYSTEM = [
  'You analyse sales call transcripts for a sales manager.',
  'Each transcript line reads: [HH:MM:SS] Speaker Name (Internal|External|Unknown): sentence.',
  'Extract findings in these categories: objection, competitor, pricing, security, technical_risk, next_step.',
  'Every finding must quote exactly one transcript sentence verbatim in `quote`, with that line\'s speaker and timestamp.',
  'Never invent quotes, speakers or times. Prefer customer (External) statements for objections and risks.',
  'Also judge the customer\'s overall sentiment and give one verbatim customer sentence as evidence, or an empty string.',
].join(' ');

export function mapMessages(call: { title: string; started: string }, lines: string[], part?: { index: number; of: number }): ChatMessage[] {
  const header = `Call: ${call.title} (${call.started.slice(0, 10)})${part && part.of > 1 ? ` — part ${part.index + 1} of ${part.of}` : ''}`;
  return [
    { role: 'system', content: MAP_SYSTEM },
    { role: 'user', content: `${header}\nTranscript:\n${lines.join('\n')}` },
  ];
}

const REDUCE_SYSTEM = [
  'You write a deal review for a sales manager from findings extracted from call transcripts.',
  'Synthesize points per section (objections, risks, competitors, pricing, next steps).',
  'Every point must cite one or more findings by copying their callId, timestamp and quote exactly from the input.',
  'Never cite a call or quote that is not in the input. Write a one-sentence headline.',
  'The input may hold partial reports of earlier groups of calls: merge them into one review.',
  'Respect outputLimits: at most maxPointsPerSection points per section, each with at most maxCitationsPerPoint citations; keep the most cited.',
].join(' ');

/** Facts about the calls behind the findings, beyond the findings themselves. */
export interface ReduceFacts {
  /** Calls reviewed, including calls with no findings. */
  callCount?: number;
  /** Per-call customer sentiment, in call order. */
  sentiments?: string[];
  /** The same as counts, when the per-call list would not fit the prompt. */
  sentimentCounts?: Record<string, number>;
}

/** How long the report may be, so the answer fits the output the window leaves (see reduce.ts). */
export interface OutputLimits {
  maxPointsPerSection: number;
  maxCitationsPerPoint: number;
}

export function reduceMessages(
  subject: string,
  findings: CitedFinding[],
  partialReports: DealReport[] = [],
  facts: ReduceFacts = {},
  outputLimits?: OutputLimits,
): ChatMessage[] {
  const payload = JSON.stringify({
    account: subject,
    ...facts,
    ...(outputLimits ? { outputLimits } : {}),
    findings,
    ...(partialReports.length > 0 ? { partialReports } : {}),
  });
  return [
    { role: 'system', content: REDUCE_SYSTEM },
    { role: 'user', content: `Subject: ${subject}\n\n\`\`\`json\n${payload}\n\`\`\`` },
  ];
}
