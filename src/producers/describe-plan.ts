/** The plans a producer prints on stderr before anything is enqueued. */
import type { RunPlan, SweepPlan } from '../shared/domain/index.ts';

export function describePlan(p: RunPlan): string[] {
  return [
    `plan ${p.runId}: ${p.kind} of ${p.subject}`,
    `  calls found: ${p.calls.length} (${p.storedCallIds.length} transcripts already stored, ${p.calls.length - p.storedCallIds.length} to fetch in ${p.batches.length} batch requests)`,
    `  upstream requests: ${p.discoveryRequests} made for discovery, ${p.requestsNeeded} still needed`,
    `  ETA at ${p.ratePerSecond}/s: ~${p.etaSeconds} s of upstream time, plus LLM time`,
    `  daily budget left: ${p.dailyBudgetLeft} of ${p.dailyLimit}`,
    ...p.degradations.map((d) => `  degraded: ${d.detail}`),
  ];
}

export function describeSweepPlan(p: SweepPlan): string[] {
  const reps = p.teams.reduce((n, t) => n + t.reps.length, 0);
  return [
    `plan ${p.runId}: coaching sweep of ${p.teams.length} manager(s), ${reps} reps, ${new Date(p.window.fromMs).toISOString()} to ${new Date(p.window.toMs).toISOString()}`,
    `upstream: ${p.requests} requests made for roster, activity and scorecards; ${p.teams.length} more for coaching (one per manager)`,
    ...p.degradations.map((d) => `  degraded: ${d.detail}`),
  ];
}
