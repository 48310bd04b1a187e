/**
 * Step one of a sync, run by the `crm-upload` write job: send the stored file once. The persisted
 * phase says whether it already went; a 409 from Gong says an earlier attempt sent it before its
 * worker died. Either way the next step is the same: start (or resume) polling.
 */
import type { Redis } from 'ioredis';
import { NonRetryableError, type Logger } from '../../platform/index.ts';
import { TrutoConflictError, loadCapabilities, trutoFile, type CapabilityTruto } from '../../upstream/index.ts';
import { recordWrite } from '../audit.ts';
import type { CrmSyncState, CrmSyncStore } from './sync-store.ts';

/** Enqueues poll number `seq` after `delayMs`; idempotent for a given (sync, seq). */
export type SchedulePoll = (seq: number, delayMs: number) => Promise<void>;

export interface CrmStepDeps {
  truto: CapabilityTruto;
  store: CrmSyncStore;
  redis: Redis;
  prefix: string;
  logger: Logger;
  schedule: SchedulePoll;
  /** Delay before the first status poll, in ms. */
  firstPollMs: number;
  now?: () => number;
}

/** The seed's name of the upload tool (the account's `crm-upload` capability may name it otherwise). */
export const UPLOAD_TOOL = 'create_a_gong_crm_entity';

export async function uploadCrmSync(deps: CrmStepDeps, id: string, signal?: AbortSignal): Promise<CrmSyncState> {
  const now = deps.now ?? Date.now;
  const state = await deps.store.get(id);
  if (!state) throw new NonRetryableError(`no CRM sync ${id} (expired or never created)`);
  if (state.phase !== 'queued' && state.phase !== 'uploading') {
    // Uploaded before (this is a re-run after a crash): make sure the poll chain exists.
    if (state.phase === 'polling') await deps.schedule(state.pollSeq, deps.firstPollMs);
    return state;
  }
  const file = await deps.store.file(id);
  if (!file) throw new NonRetryableError(`the file of CRM sync ${id} is no longer stored; run crm-sync again`);
  const caps = await loadCapabilities(deps.truto, state.accountId);
  const tool = caps.tool('crm-upload').name;
  await deps.store.update(id, { phase: 'uploading' });
  let outcome: CrmSyncState['uploadOutcome'] = 'created';
  try {
    await caps.call('crm-upload', {
      integrationId: state.integrationId,
      objectType: state.objectType,
      clientRequestId: id,
      dataFile: trutoFile(state.fileName, file, 'application/x-ndjson'),
    }, signal ? { signal } : {});
  } catch (err) {
    // The id is derived from the content: "already used" can only mean this very file went up.
    if (!(err instanceof TrutoConflictError)) throw err;
    outcome = 'already-used';
    deps.logger.info({ clientRequestId: id }, 'crm upload: 409, uploaded before; polling its status');
  }
  if (outcome === 'created') {
    await recordWrite(deps.redis, deps.prefix, deps.logger, {
      who: state.requestedBy,
      tool,
      accountId: state.accountId,
      target: `${state.objectType} upload ${id} (${state.entities} entities, integration ${state.integrationId})`,
      outcome: '201 accepted, processing',
    });
  }
  const uploaded = await deps.store.update(id, { phase: 'polling', uploadOutcome: outcome, uploadedAtMs: now(), pollSeq: 0 });
  await deps.schedule(0, deps.firstPollMs);
  await deps.store.dropFile(id);
  return uploaded;
}
