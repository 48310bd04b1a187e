/**
 * `crm-upload` (writes): sends one stored LDJSON file to Gong through `create_a_gong_crm_entity`,
 * at most once per content (the clientRequestId is derived from it; a 409 means it went before),
 * then starts the `crm-poll` chain. Success is never reported here: only a poll that sees DONE.
 */
import { catalog } from '../queues/catalog.ts';
import { laneOf } from '../queues/fair/index.ts';
import { uploadCrmSync } from '../shared/domain/index.ts';
import { crmStepDeps } from './crm-deps.ts';
import { implement } from './define-job.ts';

export const crmUpload = implement(catalog['crm-upload'], async (p, { job, services, logger, signal }) => {
  const state = await uploadCrmSync(crmStepDeps(services, logger, p.accountId, p.clientRequestId, laneOf(job.data)), p.clientRequestId, signal);
  return { phase: state.phase, uploadOutcome: state.uploadOutcome };
});
