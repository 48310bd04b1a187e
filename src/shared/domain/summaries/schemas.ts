/**
 * Structured-output contracts between the fleet's prompts and the model (any OpenAI-compatible
 * server, including the sandbox's). The `name` of each schema is sent as
 * `response_format.json_schema.name`; the sandbox's model picks its responder by that name.
 * Bump PROMPT_VERSION when a schema or prompt changes: it is part of every summary cache key.
 */
import { z } from 'zod';

// v2: the reduce prompt names output limits and merges partial reports as a tree (issue 11).
export const PROMPT_VERSION = 'v2';

/**
 * How transcript text is rendered into prompts, one sentence group per line:
 *   [HH:MM:SS] Speaker Name (Internal|External|Unknown): text
 * The timestamp is the offset from the start of the call. Findings must quote `text` verbatim.
 */
export const TRANSCRIPT_LINE_RE = /^\[(\d{2}:\d{2}:\d{2})\] ([^()\n]+?) \((Internal|External|Unknown)\): (.+)$/;

export const FINDING_CATEGORIES = [
  'objection',
  'competitor',
  'pricing',
  'security',
  'technical_risk',
  'next_step',
] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

/** A report's sections, and the section each finding category is reported under. */
export const REPORT_SECTIONS = ['objections', 'risks', 'competitors', 'pricing', 'nextSteps'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export const SECTION_OF_CATEGORY: Readonly<Record<FindingCategory, ReportSection>> = {
  objection: 'objections',
  competitor: 'competitors',
  pricing: 'pricing',
  security: 'risks',
  technical_risk: 'risks',
  next_step: 'nextSteps',
};

export const SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const;

/** One cited finding from one call. `quote` is a verbatim transcript sentence. */
export const Finding = z.object({
  category: z.enum(FINDING_CATEGORIES),
  summary: z.string(),
  speaker: z.string(),
  quote: z.string(),
  /** HH:MM:SS from the start of the call, as in the transcript line. */
  timestamp: z.string(),
});
export type Finding = z.infer<typeof Finding>;

/** Map step: findings of one call (or one chunk of a long call). Schema name: `call_findings`. */
export const CallFindings = z.object({
  findings: z.array(Finding),
  customerSentiment: z.enum(SENTIMENTS),
  /** One verbatim customer sentence that best shows the sentiment, or '' if none. */
  sentimentEvidence: z.string(),
});
export type CallFindings = z.infer<typeof CallFindings>;

/** A finding in the reduce step: the map finding plus the call it came from. */
export const CitedFinding = Finding.extend({ callId: z.string() });
export type CitedFinding = z.infer<typeof CitedFinding>;

/** A synthesized point of the report with the findings that support it. */
export const ReportPoint = z.object({
  point: z.string(),
  citations: z.array(
    z.object({ callId: z.string(), timestamp: z.string(), quote: z.string() }),
  ),
});
export type ReportPoint = z.infer<typeof ReportPoint>;

/**
 * Reduce step: the deal/account report synthesized from per-call findings, never from raw
 * transcripts. Schema name: `deal_report`. Also used for intermediate (hierarchical) reduces.
 */
export const DealReport = z.object({
  headline: z.string(),
  objections: z.array(ReportPoint),
  risks: z.array(ReportPoint),
  competitors: z.array(ReportPoint),
  pricing: z.array(ReportPoint),
  nextSteps: z.array(ReportPoint),
  overallSentiment: z.enum(SENTIMENTS),
});
export type DealReport = z.infer<typeof DealReport>;

/**
 * Coaching sweep: a narrative per manager written from numbers computed in code.
 * Schema name: `manager_narrative`.
 */
export const ManagerNarrative = z.object({
  summary: z.string(),
  concerns: z.array(z.string()),
  recommendations: z.array(z.string()),
});
export type ManagerNarrative = z.infer<typeof ManagerNarrative>;

export const SCHEMA_NAMES = {
  callFindings: 'call_findings',
  dealReport: 'deal_report',
  managerNarrative: 'manager_narrative',
} as const;
