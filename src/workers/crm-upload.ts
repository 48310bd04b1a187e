/**
 * `crm-upload` (writes): sends one stored LDJSON file to Gong through `create_a_gong_crm_entity`,
 * at most once per content (the clientRequestId is derived from it; a 409 means it went before),
 * then starts the `crm-poll` chain. Success is never reported here: only a poll that sees DONE.
 */
import { z } from 'zod';
import { crmStepDeps } from './crm-deps.ts';
import { uploadCrmSync } from '../shared/domain/index.ts';
import { defineJob } from './define-job.ts';

export const CrmUploadPayload = z.object({
  accountId: z.string().min(1),
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

export const crmUpload = defineJob({
  name: 'crm-upload',
  queue: 'writes',
  schema: CrmUploadPayload,
  writes: true,
  attempts: 5,
  backoffMs: 2_000,
  // A 200 MB file through Truto can take a while.
  timeoutMs: 600_000,
  async process(p, { services, logger, signal }) {
    const state = await uploadCrmSync(crmStepDeps(services, logger, p.accountId, p.clientRequestId), p.clientRequestId, signal);
    return { phase: state.phase, uploadOutcome: state.uploadOutcome };
  },
});
