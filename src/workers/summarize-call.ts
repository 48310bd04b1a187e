/**
 * `summarize-call`: one call's stored transcript → cited findings (map step), cached by
 * (account, call, transcript hash, prompt version, model). Read-only: it never calls Truto, and
 * like every job without `writes: true` it is handed a Truto client that refuses write tools, so
 * nothing a transcript says can trigger a write.
 */
import { catalog } from '../queues/catalog.ts';
import { bumpRun, runStopped, summarizeCallCached } from '../shared/domain/index.ts';
import { NonRetryableError } from '../shared/platform/index.ts';
import { implement } from './define-job.ts';

export const summarizeCall = implement(catalog['summarize-call'], async (p, { services, logger }) => {
  const stopped = await runStopped(services.redis, services.prefix, p.runId);
  if (stopped) throw new NonRetryableError(`run stopped: ${stopped}`);
  const out = await summarizeCallCached(services, p.accountId, p.call, logger);
  // Stored empty as final (an old call Gong has no transcript for): the report says so.
  if (out.noTranscript) return { callId: p.call.callId, noTranscript: true };
  await bumpRun(services.redis, services.prefix, p.runId, out.cached
    ? { summariesCached: 1 }
    : { summarized: 1, promptTokens: out.summary.promptTokens, completionTokens: out.summary.completionTokens });
  return { ...out.summary, cached: out.cached };
});
