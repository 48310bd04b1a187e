/**
 * `summarize-call`: one call's stored transcript → cited findings (map step), cached by
 * (account, call, transcript hash, prompt version, model). Read-only: it never calls Truto, and
 * like every job without `writes: true` it is handed a Truto client that refuses write tools, so
 * nothing a transcript says can trigger a write.
 */
import { catalog } from '../queues/catalog.ts';
import { bumpRun, summarizeCallCached } from '../shared/domain/index.ts';
import { implement } from './define-job.ts';

export const summarizeCall = implement(catalog['summarize-call'], async (p, { services, logger }) => {
  const out = await summarizeCallCached(services, p.accountId, p.call, logger);
  await bumpRun(services.redis, services.prefix, p.runId, out.cached
    ? { summariesCached: 1 }
    : { summarized: 1, promptTokens: out.summary.promptTokens, completionTokens: out.summary.completionTokens });
  return { ...out.summary, cached: out.cached };
});
