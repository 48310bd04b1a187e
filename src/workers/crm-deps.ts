/**
 * Wires the CRM sync steps (shared/domain/crm) to a worker's services: the persisted store, the
 * governed client, and the `schedule` port that continues the poll chain as a delayed `crm-poll`
 * job under a deterministic id (so a re-run step never forks the chain), in the lane of the job
 * that continues it.
 */
import type { Lane } from '../queues/fair/index.ts';
import { pollJobId } from '../queues/keys.ts';
import { CrmSyncStore, type CrmStepDeps } from '../shared/domain/index.ts';
import type { Logger } from '../shared/platform/index.ts';
import type { WorkerServices } from './services.ts';

export function crmStepDeps(
  services: Pick<WorkerServices, 'truto' | 'redis' | 'prefix' | 'queues' | 'crmPollLimits'>,
  logger: Logger,
  accountId: string,
  id: string,
  lane?: Lane,
): CrmStepDeps {
  return {
    truto: services.truto,
    store: new CrmSyncStore({ redis: services.redis, prefix: services.prefix }),
    redis: services.redis,
    prefix: services.prefix,
    logger,
    firstPollMs: services.crmPollLimits.firstPollMs,
    schedule: async (seq, delayMs) => {
      await services.queues.enqueue('crm-poll', { accountId, clientRequestId: id, seq }, { delay: delayMs, jobId: pollJobId(id, seq), ...(lane ? { lane } : {}) });
    },
  };
}
