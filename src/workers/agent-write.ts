/**
 * `agent-write` (writes, `writes: true`): the one write an `ask` run's person approved. It
 * re-checks the approval recorded for exactly this request (hash of run, tool, canonical
 * arguments, and the call) before sending, sends it at most once, and audits it.
 */
import { catalog } from '../queues/catalog.ts';
import { runApprovedWrite } from '../shared/domain/index.ts';
import { askStore } from './agent-deps.ts';
import { implement } from './define-job.ts';

export const agentWrite = implement(catalog['agent-write'], async (p, { job, services, logger, signal }) => {
  const result = await runApprovedWrite(
    { truto: services.truto, store: askStore(services), redis: services.redis, prefix: services.prefix, logger },
    p,
    { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1), delayedMs: (await services.waits.total?.(job)) ?? 0, signal },
  );
  return { callKey: p.callKey, status: result.status };
});
