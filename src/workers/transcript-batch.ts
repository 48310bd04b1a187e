/**
 * `transcript-batch`: fetch the transcripts of up to TRANSCRIPT_BATCH_SIZE calls in one request
 * (Gong's transcript call takes many `callIds`), store each once, and hand every stored call to a
 * `summarize-call` job under the same report. Calls already stored are never fetched again.
 */
import { catalog } from '../queues/catalog.ts';
import { addSummarizeChildren } from '../queues/flows.ts';
import { bumpRun, fetchTranscripts } from '../shared/domain/index.ts';
import { implement } from './define-job.ts';

export const transcriptBatch = implement(catalog['transcript-batch'], async (p, { job, services, signal }) => {
  const result = await fetchTranscripts(services, p.accountId, p.calls, signal);
  await bumpRun(services.redis, services.prefix, p.runId, {
    transcriptsFetched: result.fetched.length,
    // Stored by a concurrent run after this run's plan was made.
    transcriptsCached: result.alreadyStored.length,
    upstreamRequests: result.requests,
  });
  const ready = p.calls.filter((c) => !result.missing.some((m) => m.callId === c.callId));
  await addSummarizeChildren(services.queues, job, p.runId, p.accountId, ready);
  return { fetched: result.fetched, alreadyStored: result.alreadyStored, missing: result.missing };
});
