/**
 * Producer side of `crm-sync`: check the file locally (size, JSON, Gong's per-type rules, one type
 * per file) before any request, resolve the integration, derive the clientRequestId from the
 * content, persist the sync and enqueue its upload job (at most once per id). Then, if asked, wait
 * for the sync's persisted state to become final: success is only ever Gong's DONE.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BadInputError, FleetError } from '../shared/platform/index.ts';
import { loadCapabilitiesRetried } from '../shared/upstream/index.ts';
import { catalog } from '../queues/catalog.ts';
import type { Lane } from '../queues/fair/index.ts';
import { pollJobId, uploadJobId } from '../queues/keys.ts';
import {
  assertAccount,
  assertLdjson,
  clientRequestIdFor,
  CRM_OBJECT_TYPES,
  CrmSyncStore,
  FINAL_PHASES,
  isCrmObjectType,
  resolveIntegration,
  type CrmObjectType,
  type CrmSyncState,
} from '../shared/domain/index.ts';
import type { ProducerServices } from './services.ts';

/** The persisted state of the fleet's CRM syncs. */
export function crmStore(services: Pick<ProducerServices, 'redis' | 'prefix'>): CrmSyncStore {
  return new CrmSyncStore({ redis: services.redis, prefix: services.prefix });
}

export interface CrmSyncRequest {
  accountId: string;
  /** One of ACCOUNT, CONTACT, DEAL, LEAD, BUSINESS_USER, STAGE (case-insensitive). */
  objectType: string;
  filePath: string;
  /** Default: the company's only generic CRM integration. */
  integrationId?: string;
  /** Largest accepted file, in bytes. Default: config CRM_MAX_FILE_BYTES. */
  maxFileBytes?: number;
  /** Who asked (user@host), recorded with the write. */
  requestedBy: string;
}

export interface PreparedCrmSync {
  state: CrmSyncState;
  content: Buffer;
}

export function parseObjectType(value: string): CrmObjectType {
  const t = value.trim().toUpperCase();
  if (!isCrmObjectType(t)) throw new BadInputError(`--type must be one of ${CRM_OBJECT_TYPES.join(', ')}, got "${value}"`);
  return t;
}

async function readLdjson(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new BadInputError(`--file ${path} is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof BadInputError) throw err;
    throw new BadInputError(`--file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > maxBytes) throw new BadInputError(`--file ${path} is too large: ${size} bytes, the limit is ${maxBytes} (Gong accepts up to 200 MB per file); split it`);
  return readFile(path);
}

/** Every check that needs no write: local first (no request for a bad file), then account and integration. */
export async function prepareCrmSync(services: Pick<ProducerServices, 'truto' | 'crmMaxFileBytes'>, req: CrmSyncRequest): Promise<PreparedCrmSync> {
  const objectType = parseObjectType(req.objectType);
  const content = await readLdjson(req.filePath, req.maxFileBytes ?? services.crmMaxFileBytes);
  const fileName = basename(req.filePath);
  const entities = assertLdjson(fileName, content.toString('utf8'), objectType);
  await assertAccount(services, req.accountId);
  const caps = await loadCapabilitiesRetried(services.truto, req.accountId);
  // An upload nobody can poll would be a success claimed at 201: both tools first, or nothing.
  for (const [id, what] of [['crm-upload', 'upload the file'], ['crm-status', "poll Gong's processing status"]] as const) {
    const problem = caps.problem(id);
    if (problem) throw new BadInputError(`crm-sync cannot ${what}: ${problem.message}`);
  }
  // resolveIntegration retries its own read (retryRead), like every read before enqueueing.
  const integration = await resolveIntegration(caps, req.integrationId);
  const integrationId = integration.integrationId;
  const clientRequestId = clientRequestIdFor(content, objectType, integrationId, req.accountId);
  return {
    content,
    state: {
      clientRequestId,
      accountId: req.accountId,
      integrationId,
      objectType,
      fileName,
      entities,
      bytes: content.length,
      requestedBy: req.requestedBy,
      phase: 'queued',
      pollSeq: 0,
      polls: 0,
      createdAtMs: Date.now(),
      ...(integration.verified
        ? {}
        : { degradations: [{ code: 'integration-unverified' as const, detail: `integration ${integrationId} was used as given: the account has no CRM-integrations tool to check it (Gong refuses an unknown one)` }] }),
    },
  };
}

/**
 * Persists the sync and enqueues its upload. The same content again finds the existing sync and
 * uploads nothing: `resumed` says so (a failed upload job is retried instead).
 */
export async function launchCrmSync(
  services: Pick<ProducerServices, 'redis' | 'prefix' | 'queues'>,
  prepared: PreparedCrmSync,
  /** Lane of the upload and its polls. Default interactive: a person ran the command. */
  lane: Lane = 'interactive',
): Promise<{ state: CrmSyncState; resumed: boolean }> {
  const { created, state } = await crmStore(services).create(prepared.state, prepared.content);
  const id = state.clientRequestId;
  if (!created && state.phase !== 'queued' && state.phase !== 'uploading') return { state, resumed: true };
  const existing = await services.queues.queue(catalog['crm-upload'].queue).getJob(uploadJobId(id));
  if (existing && (await existing.getState()) === 'failed') await existing.retry('failed');
  else await services.queues.enqueue('crm-upload', { accountId: state.accountId, clientRequestId: id }, { jobId: uploadJobId(id), lane });
  return { state, resumed: !created };
}

export interface CrmWaitOptions {
  /** Called on every check with the current state. */
  onProgress?: (s: CrmSyncState) => void;
  /** Check interval in ms. Default 250. */
  checkMs?: number;
  /** Give up waiting (the sync goes on) after this long, in ms. Default 6 h. */
  timeoutMs?: number;
}

/** Waits for DONE, FAILED, TIMED_OUT or ERROR; throws if the job carrying the sync failed for good. */
export async function waitForCrmSync(services: Pick<ProducerServices, 'redis' | 'prefix' | 'queues'>, id: string, opts: CrmWaitOptions = {}): Promise<CrmSyncState> {
  const store = crmStore(services);
  // The upload and its polls share one queue (their contracts say so).
  const queue = services.queues.queue(catalog['crm-upload'].queue);
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  for (let check = 0; ; check++) {
    const state = await store.get(id);
    if (!state) throw new FleetError(`CRM sync ${id} is unknown (expired?)`, false);
    opts.onProgress?.(state);
    if (FINAL_PHASES.has(state.phase)) return state;
    if (check % 8 === 0) {
      // The carrying job failing for good leaves the state stuck; say why instead of waiting forever.
      const jobId = state.phase === 'polling' ? pollJobId(id, state.pollSeq) : uploadJobId(id);
      const job = await queue.getJob(jobId);
      if (job && (await job.getState()) === 'failed') {
        throw new FleetError(`CRM sync ${id} stopped while ${state.phase}: ${job.failedReason}`, false);
      }
    }
    if (Date.now() > deadline) throw new FleetError(`gave up waiting for CRM sync ${id} (still ${state.phase}); it goes on: gong-fleet crm-sync status ${id}`, false);
    await new Promise((r) => setTimeout(r, opts.checkMs ?? 250));
  }
}

/** Human lines describing a sync, for stderr. */
export function describeCrmSync(s: CrmSyncState, maxErrors = 20): string[] {
  const head = `${s.clientRequestId}: ${s.objectType} ${s.fileName} (${s.entities} entities) → integration ${s.integrationId} on ${s.accountId}`;
  const lines = [head, ...(s.degradations ?? []).map((d) => `  note: ${d.detail}`)];
  const took = s.finishedAtMs && s.uploadedAtMs ? ` in ${((s.finishedAtMs - s.uploadedAtMs) / 1000).toFixed(1)} s` : '';
  switch (s.phase) {
    case 'DONE':
      lines.push(`DONE${took}: Gong processed ${s.totalSuccessCount ?? s.entities} entities (${s.polls} status polls${s.uploadOutcome === 'already-used' ? '; uploaded by an earlier attempt' : ''})`);
      break;
    case 'FAILED':
      lines.push(`FAILED${took}: ${s.totalErrorCount ?? 0} lines failed, ${s.totalSuccessCount ?? 0} succeeded. Gong's errors:`);
      for (const e of (s.errors ?? []).slice(0, maxErrors)) lines.push(`  ${e.line === 0 ? 'file' : `line ${e.line}`}: ${e.description}`);
      if ((s.totalErrorCount ?? 0) > (s.errors?.length ?? 0)) lines.push(`  (Gong lists at most 20 of ${s.totalErrorCount} errors)`);
      break;
    case 'TIMED_OUT':
    case 'ERROR':
      lines.push(`${s.phase}: ${s.message ?? ''}`);
      break;
    default:
      lines.push(`${s.phase}${s.gongStatus ? ` (Gong: ${s.gongStatus}, ${s.polls} polls)` : ''}; not finished yet`);
  }
  return lines;
}
