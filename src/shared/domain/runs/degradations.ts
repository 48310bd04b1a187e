/**
 * What a run lost because the account's Truto tools could not give it everything: each report
 * (summarize, autopsy, sweep) and each command's output carries these, so the reader learns from
 * the report itself how it was made and what is missing, not from a log line.
 */
import { z } from 'zod';

export const DEGRADATION_CODES = [
  /** No parties on the calls: transcript speakers are labelled by Gong's speaker ids. */
  'speakers-unnamed',
  /** No tool lists calls: call ids were taken as given, without titles or dates. */
  'calls-unlisted',
  /** No CRM context on the calls: the deal's calls are the ones whose titles name it. */
  'calls-tied-by-title',
  /** The deal's CRM id, stage and amount were read from the reps' Engage tasks. */
  'deal-from-tasks',
  /** The deal's CRM id, stage and amount are unknown. */
  'deal-crm-unknown',
  /** No AI-brief tool on the account. */
  'no-brief-tool',
  /** No Engage-tasks tool on the account. */
  'no-tasks-tool',
  /** The workspace id came from the calls' metadata (no workspaces tool). */
  'workspace-from-calls',
  /** Calls hosted were counted from the calls list (no activity-aggregates tool). */
  'activity-from-calls',
  /** No scorecards tool: scorecards count as none and that flag is not computed. */
  'no-scorecards',
  /** No coaching tool: manager listens are unknown and that flag is not computed. */
  'no-coaching',
  /** The CRM integration id was taken as given, unchecked (no CRM-integrations tool). */
  'integration-unverified',
] as const;
export type DegradationCode = (typeof DEGRADATION_CODES)[number];

export const Degradation = z.object({ code: z.enum(DEGRADATION_CODES), detail: z.string() });
export type Degradation = z.infer<typeof Degradation>;

/** Adds `d` unless a degradation with its code is already listed. */
export function addDegradation(list: Degradation[], code: DegradationCode, detail: string): void {
  if (!list.some((x) => x.code === code)) list.push({ code, detail });
}
