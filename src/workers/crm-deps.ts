/** Wires the CRM sync steps to a worker's services: the store, the governed client, the poll chain. */
import type { Logger } from '../shared/platform/index.ts';
import type { FleetServices } from '../app/services.ts';
import { CrmSyncStore, type PollLimits, type CrmStepDeps } from '../shared/domain/index.ts';

/** Deterministic BullMQ job ids (no `:` allowed), so re-enqueueing a step after a crash is a no-op. */
export const uploadJobId = (id: string): string => `crm-upload-${id}`;
export const pollJobId = (id: string, seq: number): string => `crm-poll-${id}-${seq}`;

export function crmStore(services: Pick<FleetServices, 'redis' | 'prefix'>): CrmSyncStore {
  return new CrmSyncStore({ redis: services.redis, prefix: services.prefix });
}

export function pollLimits(services: Pick<FleetServices, 'config'>): PollLimits {
  return {
    firstPollMs: services.config.CRM_POLL_FIRST_MS,
    maxPollMs: services.config.CRM_POLL_MAX_MS,
    maxWaitMs: services.config.CRM_POLL_MAX_WAIT_MS,
  };
}

export function crmStepDeps(services: FleetServices, logger: Logger, accountId: string, id: string): CrmStepDeps {
  return {
    truto: services.truto,
    store: crmStore(services),
    redis: services.redis,
    prefix: services.prefix,
    logger,
    firstPollMs: services.config.CRM_POLL_FIRST_MS,
    schedule: async (seq, delayMs) => {
      await services.queues.enqueue('crm-poll', { accountId, clientRequestId: id, seq }, { delay: delayMs, jobId: pollJobId(id, seq) });
    },
  };
}
