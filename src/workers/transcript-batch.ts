/**
 * `transcript-batch`: fetch the transcripts of up to TRANSCRIPT_BATCH_SIZE calls in one request
 * (Gong's transcript call takes many `callIds`), store each once, and hand every stored call to a
 * `summarize-call` job under the same report. Calls already stored are never fetched again; calls
 * whose transcript is not ready, or that have none, are returned for the report instead. A batch
 * that finds no transcript can be read on the account (a missing scope) stops the whole run.
 */
import { catalog } from '../queues/catalog.ts';
import { addSummarizeChildren } from '../queues/flows.ts';
import { bumpRun, fetchTranscripts, runStopped, stopRun, transcriptsUnreadable, type FetchResult } from '../shared/domain/index.ts';
import { NonRetryableError } from '../shared/platform/index.ts';
import { implement } from './define-job.ts';

export const transcriptBatch = implement(catalog['transcript-batch'], async (p, { job, services, signal }) => {
  const stopped = await runStopped(services.redis, services.prefix, p.runId);
  if (stopped) throw new NonRetryableError(`run stopped: ${stopped}`);
  let result: FetchResult;
  try {
    result = await fetchTranscripts(services, p.accountId, p.calls, signal);
  } catch (err) {
    // A missing scope fails every batch alike: stop the run now instead of after all of them.
    const unreadable = transcriptsUnreadable(err, p.accountId);
    if (!unreadable) throw err;
    await stopRun(services.redis, services.prefix, p.runId, unreadable);
    throw new NonRetryableError(unreadable, { cause: err });
  }
  await bumpRun(services.redis, services.prefix, p.runId, {
    transcriptsFetched: result.fetched.length,
    // Stored by a concurrent run after this run's plan was made.
    transcriptsCached: result.alreadyStored.length,
    upstreamRequests: result.requests,
  });
  // Only calls with a stored transcript get a summary job; the rest are reported from this result.
  const stored = new Set([...result.fetched, ...result.alreadyStored]);
  await addSummarizeChildren(services.queues, job, p.runId, p.accountId, p.calls.filter((c) => stored.has(c.callId)));
  return { fetched: result.fetched, alreadyStored: result.alreadyStored, missing: result.missing, notReady: result.notReady, noTranscript: result.noTranscript };
});
