/**
 * What a report may claim. The reduce step only sees the calls that were summarized, so its
 * headline ("no findings in the calls considered") reads as a clean bill of health even when most
 * calls never reached it. The headline therefore comes from the appendix first: a report in which
 * most calls are missing says so (and the command exits 1), and a report with nothing summarized
 * says why (transcripts not ready yet, or none in Gong) instead of "no findings".
 */
import type { RunReport } from './model.ts';

/** A report whose missing calls exceed this share of the calls considered is incomplete. */
export const MOSTLY_MISSING_SHARE = 0.5;

type Stats = Pick<RunReport['stats'], 'callsConsidered' | 'summarized' | 'fromCache' | 'missing' | 'notReady' | 'noTranscript'>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The most frequent reason among missing calls, shortened for a headline. */
export function commonReason(reasons: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (!top) return undefined;
  return top[0].length > 200 ? `${top[0].slice(0, 197)}...` : top[0];
}

/** Why the report cannot stand as a report of its calls, or undefined when it can. */
export function incompleteReason(stats: Stats, missingReasons: readonly string[]): string | undefined {
  if (stats.callsConsidered === 0 || stats.missing <= stats.callsConsidered * MOSTLY_MISSING_SHARE) return undefined;
  const why = commonReason(missingReasons);
  return `${stats.missing} of ${plural(stats.callsConsidered, 'call')} are missing${why ? ` (most often: ${why})` : ''}`;
}

/** The headline: the model's, unless the appendix says it would mislead. */
export function honestHeadline(stats: Stats, modelHeadline: string, incomplete: string | undefined): string {
  const covered = stats.summarized + stats.fromCache;
  if (incomplete) return `Incomplete report: ${incomplete}; the findings cover only ${plural(covered, 'call')}.`;
  if (covered > 0) return modelHeadline;
  const parts = [
    stats.notReady > 0 ? `the transcripts of ${plural(stats.notReady, 'call')} are not ready yet (Gong is still processing them; re-run later)` : '',
    stats.noTranscript > 0 ? `${plural(stats.noTranscript, 'call')} ${stats.noTranscript === 1 ? 'has' : 'have'} no transcript in Gong` : '',
    stats.missing > 0 ? `${plural(stats.missing, 'call')} could not be read` : '',
  ].filter(Boolean);
  return parts.length ? `No findings: ${parts.join('; ')}.` : modelHeadline;
}
