/** CRM sync services: LDJSON validation per Gong type, the content-derived request id, upload and status polling. */
export { CRM_OBJECT_TYPES, GONG_MAX_FILE_BYTES, isCrmObjectType, LINE_SCHEMAS, TYPE_FIELDS } from './object-types.ts';
export type { CrmObjectType } from './object-types.ts';
export { checkLdjson, describeLineErrors, assertLdjson } from './ldjson.ts';
export type { LdjsonCheck, LineError } from './ldjson.ts';
export { clientRequestIdFor, isClientRequestId } from './request-id.ts';
export { CrmSyncStore, FINAL_PHASES } from './sync-store.ts';
export type { CrmSyncState, SyncPhase, GongLineError, CrmSyncStoreOptions } from './sync-store.ts';
export { resolveIntegration } from './integration.ts';
export { uploadCrmSync, UPLOAD_TOOL } from './upload.ts';
export type { CrmStepDeps, SchedulePoll } from './upload.ts';
export { pollCrmSync, pollDelayMs, readRequestStatus, STATUS_TOOL } from './poll.ts';
export type { PollLimits, PollOutcome } from './poll.ts';
