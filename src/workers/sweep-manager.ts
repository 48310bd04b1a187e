/**
 * `sweep-manager`: one manager of a coaching sweep. Reads the manager's coaching metrics (one
 * `/v2/coaching` request), joins them with the account-wide numbers the producer read, flags reps
 * in code and asks the LLM for a cached narrative. Returns the manager's report section.
 */
import { catalog } from '../queues/catalog.ts';
import type { ManagerSection } from '../reports/sweep-model.ts';
import { bumpRun, fetchCoaching, narrate, teamNumbers } from '../shared/domain/index.ts';
import { loadCapabilities } from '../shared/upstream/index.ts';
import { implement } from './define-job.ts';

export const sweepManager = implement(catalog['sweep-manager'], async (p, { services, signal }) => {
  const caps = await loadCapabilities(services.truto, p.accountId);
  const coaching = await fetchCoaching(caps, { workspaceId: p.workspaceId, managerId: p.manager.id, window: p.window }, signal);
  const team = teamNumbers({
    manager: p.manager,
    reps: p.reps,
    window: p.window,
    activity: new Map(p.reps.map((r) => [r.id, { callsAsHost: r.callsHosted }])),
    coaching,
    scorecards: new Map(p.reps.map((r) => [r.id, r.scorecardsReceived])),
    thresholds: p.thresholds,
  });
  await bumpRun(services.redis, services.prefix, p.runId, { upstreamRequests: 1 });
  const period = { from: new Date(p.window.fromMs).toISOString().slice(0, 10), to: new Date(p.window.toMs).toISOString().slice(0, 10) };
  let section: ManagerSection = team;
  if (!services.llm) {
    section = { ...team, narrativeError: 'no OPENAI_API_KEY configured' };
  } else {
    const n = await narrate({ llm: services.llm, cache: services.llmCache }, team, period);
    await bumpRun(services.redis, services.prefix, p.runId, {
      summarized: 1, summariesCached: n.cached ? 1 : 0, promptTokens: n.promptTokens, completionTokens: n.completionTokens,
    });
    section = { ...team, narrative: n.narrative, narrativeCached: n.cached };
  }
  return { kind: 'sweep-manager' as const, section };
});
