/**
 * `agent-tool` (upstream): one read tool call of an `ask` run, under the account's governor, with
 * the read-only Truto client every job without `writes: true` gets (run-job.ts). A result stored
 * by an earlier attempt is returned as is: a completed call is never made again.
 */
import { catalog } from '../queues/catalog.ts';
import { classifyTool, runToolCall } from '../shared/domain/index.ts';
import { askStore } from './agent-deps.ts';
import { implement } from './define-job.ts';

export const agentTool = implement(catalog['agent-tool'], async (p, { job, services, signal }) => {
  const result = await runToolCall(
    { truto: services.truto, store: askStore(services), classify: services.classifyTool ?? classifyTool },
    p,
    { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1), delayedMs: (await services.waits.total?.(job)) ?? 0, signal },
  );
  return { callKey: p.callKey, status: result.status, requests: result.requests };
});
