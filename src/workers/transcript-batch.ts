/**
 * `transcript-batch`: fetch the transcripts of up to TRANSCRIPT_BATCH_SIZE calls in one request
 * (Gong's transcript call takes many `callIds`), store each once, and hand every stored call to a
 * `summarize-call` job under the same report. Calls already stored are never fetched again.
 */
import { z } from 'zod';
import { CallRef, bumpRun, fetchTranscripts } from '../shared/domain/index.ts';
import { defineJob } from './define-job.ts';
import { addSummarizeChildren } from './summarize-call.ts';

/** Calls per transcript request. Gong pages transcripts; one batch is sized to one page. */
export const TRANSCRIPT_BATCH_SIZE = 10;

export const TranscriptBatchPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  calls: z.array(CallRef).min(1).max(100),
});

export const transcriptBatch = defineJob({
  name: 'transcript-batch',
  queue: 'upstream',
  schema: TranscriptBatchPayload,
  attempts: 4,
  backoffMs: 2_000,
  timeoutMs: 180_000,
  async process(p, { job, services, signal }) {
    const result = await fetchTranscripts(services, p.accountId, p.calls, signal);
    await bumpRun(services.redis, services.prefix, p.runId, {
      transcriptsFetched: result.fetched.length,
      // Stored by a concurrent run after this run's plan was made.
      transcriptsCached: result.alreadyStored.length,
      upstreamRequests: result.requests,
    });
    const ready = p.calls.filter((c) => !result.missing.some((m) => m.callId === c.callId));
    await addSummarizeChildren(services, job, p.runId, p.accountId, ready);
    return { fetched: result.fetched, alreadyStored: result.alreadyStored, missing: result.missing };
  },
});
