/**
 * The coaching sweep's report: one section per manager (numbers, flags, narrative) and the account
 * totals. Every figure comes from code; the narrative only restates them. Markdown, JSON and the
 * HTML page with charts all render from this one object.
 */
import type { Degradation, FlagThresholds, TeamNumbers, ManagerNarrative } from '../shared/domain/index.ts';

export interface ManagerSection extends TeamNumbers {
  /** Absent when the narrative failed; `narrativeError` says why (the numbers still stand). */
  narrative?: ManagerNarrative;
  narrativeError?: string;
  narrativeCached?: boolean;
}

export interface SweepReport {
  kind: 'sweep';
  runId: string;
  accountId: string;
  generatedAt: string;
  window: { from: string; to: string };
  thresholds: FlagThresholds;
  managers: ManagerSection[];
  /** Managers whose job failed for good, with the reason. */
  missing: Array<{ managerId: string; name: string; reason: string }>;
  /** How the account's tools limited this sweep (absent when nothing was lost). */
  degradations?: Degradation[];
  stats: {
    managers: number;
    reps: number;
    newHires: number;
    flaggedReps: number;
    flags: Record<string, number>;
    upstreamRequests: number;
    narrativesCached: number;
  };
  headline: string;
}

export function buildSweepReport(input: {
  runId: string;
  accountId: string;
  window: { from: string; to: string };
  thresholds: FlagThresholds;
  managers: ManagerSection[];
  missing: SweepReport['missing'];
  upstreamRequests: number;
  degradations?: Degradation[];
  now?: Date;
}): SweepReport {
  const managers = [...input.managers].sort((a, b) => b.totals.flaggedReps - a.totals.flaggedReps || a.manager.name.localeCompare(b.manager.name));
  const reps = managers.flatMap((m) => m.reps);
  const flags: Record<string, number> = {};
  for (const r of reps) for (const f of r.flags) flags[f.code] = (flags[f.code] ?? 0) + 1;
  const flaggedReps = reps.filter((r) => r.flags.length > 0).length;
  const stats = {
    managers: managers.length,
    reps: reps.length,
    newHires: reps.filter((r) => r.isNewHire).length,
    flaggedReps,
    flags,
    upstreamRequests: input.upstreamRequests,
    narrativesCached: managers.filter((m) => m.narrativeCached).length,
  };
  const flagText = Object.entries(flags).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ') || 'no flags';
  return {
    kind: 'sweep',
    runId: input.runId,
    accountId: input.accountId,
    generatedAt: (input.now ?? new Date()).toISOString(),
    window: input.window,
    thresholds: input.thresholds,
    managers,
    missing: input.missing,
    ...(input.degradations?.length ? { degradations: input.degradations } : {}),
    stats,
    headline: `${flaggedReps} of ${reps.length} reps across ${managers.length} managers need attention (${flagText}).`,
  };
}
