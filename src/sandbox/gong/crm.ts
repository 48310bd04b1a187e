/**
 * Generic CRM endpoints: integrations, LDJSON entity uploads processed asynchronously on the injected
 * clock (PENDING → IN_PROGRESS → DONE/FAILED over `crmProcessingMs`), request status, and reads by id.
 * The world's CRM accounts, deals and contacts are pre-loaded so they can be looked up by id.
 */
import type { AccountData } from '../world/types.ts';
import { badRequest, GongHttpError, isoSeconds, ok, queryAll, queryOne, type Handler, type HandlerContext } from './http.ts';

const UPLOAD_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'BUSINESS_USER', 'STAGE'] as const;
const READ_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'] as const;
/** Gong returns at most this many line errors per request status. */
const MAX_REPORTED_ERRORS = 20;
/** Gong reads at most the first 100 ids of `objectsCrmIds`. */
const MAX_IDS = 100;

interface Upload {
  createdMs: number;
  objectType: string;
  entities: Array<Record<string, unknown>>;
  errors: Array<{ line: number; description: string }>;
  applied: boolean;
}

interface AccountCrmState {
  uploads: Map<string, Upload>;
  /** objectType → objectId → fields */
  entities: Map<string, Map<string, Record<string, unknown>>>;
}

export interface CrmStore {
  state(account: AccountData): AccountCrmState;
}

function seedEntities(account: AccountData): AccountCrmState['entities'] {
  const modifiedDate = isoSeconds(Math.min(...account.users.map((u) => u.createdMs)));
  const byType = new Map<string, Map<string, Record<string, unknown>>>(READ_TYPES.map((t) => [t, new Map()]));
  for (const a of account.crmAccounts) {
    byType.get('ACCOUNT')!.set(a.crmId, { objectId: a.crmId, name: a.name, domains: [a.domain], industry: a.industry, modifiedDate, isDeleted: false });
  }
  for (const d of account.deals) {
    const owner = account.users.find((u) => u.id === d.ownerUserId);
    byType.get('DEAL')!.set(d.crmId, {
      objectId: d.crmId, name: d.name, accountId: d.accountCrmId, ownerId: owner?.emailAddress ?? d.ownerUserId,
      stage: d.stage, status: d.status, amount: d.amount, closeDate: d.closeDate, modifiedDate, isDeleted: false,
    });
  }
  for (const c of account.contacts) {
    byType.get('CONTACT')!.set(c.crmId, {
      objectId: c.crmId, accountId: c.accountCrmId, emailAddress: c.emailAddress, firstName: c.firstName,
      lastName: c.lastName, title: c.title, phoneNumber: c.phoneNumber, modifiedDate, isDeleted: false,
    });
  }
  return byType;
}

export function createCrmStore(): CrmStore {
  const states = new Map<string, AccountCrmState>();
  return {
    state(account) {
      let s = states.get(account.key);
      if (!s) states.set(account.key, (s = { uploads: new Map(), entities: seedEntities(account) }));
      return s;
    },
  };
}

const OBJECT_ID_RE = /^[A-Za-z0-9-]{1,64}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_NO_MS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/;

/** Validation of one LDJSON line; returns the entity or an error description. */
function validateLine(line: string, objectType: string): { entity?: Record<string, unknown>; error?: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { error: 'Invalid JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'Each line must be a JSON object' };
  const e = v as Record<string, unknown>;
  const id = e['objectId'];
  if (typeof id !== 'string' || id === '') return { error: 'objectId is required' };
  if (id.length > 64 || !(OBJECT_ID_RE.test(id) || EMAIL_RE.test(id))) {
    return { error: 'objectId must be up to 64 characters of letters, digits and hyphens, or a valid email' };
  }
  if (objectType !== 'STAGE') {
    if (e['modifiedDate'] === undefined) return { error: 'modifiedDate is required' };
    if (typeof e['modifiedDate'] !== 'string' || !ISO_NO_MS_RE.test(e['modifiedDate'])) {
      return { error: 'modifiedDate must be an ISO-8601 date-time without milliseconds' };
    }
  }
  if (e['isDeleted'] !== undefined && typeof e['isDeleted'] !== 'boolean') return { error: 'isDeleted must be a boolean' };
  const deleted = e['isDeleted'] === true;
  switch (objectType) {
    case 'ACCOUNT':
      if (e['domains'] !== undefined && !(Array.isArray(e['domains']) && e['domains'].every((d) => typeof d === 'string'))) {
        return { error: 'domains must be an array of strings' };
      }
      return { entity: { name: `Account_#${id}`, ...e } };
    case 'DEAL':
      if (e['status'] !== undefined && !['WON', 'LOST', 'OPEN'].includes(String(e['status']))) return { error: 'status must be one of WON, LOST, OPEN' };
      if (e['amount'] !== undefined && typeof e['amount'] !== 'number') return { error: 'amount must be a number' };
      return { entity: { name: `Deal_#${id}`, status: 'OPEN', amount: 0, ...e } };
    case 'CONTACT':
    case 'LEAD':
      if (e['emailAddress'] !== undefined && (typeof e['emailAddress'] !== 'string' || !EMAIL_RE.test(e['emailAddress']))) {
        return { error: 'emailAddress must be a valid email address' };
      }
      return { entity: e };
    case 'BUSINESS_USER':
      if (!deleted && (typeof e['emailAddress'] !== 'string' || !EMAIL_RE.test(e['emailAddress']))) {
        return { error: 'emailAddress is required' };
      }
      return { entity: e };
    case 'STAGE':
      if (!deleted && (typeof e['name'] !== 'string' || e['name'] === '')) return { error: 'name is required' };
      return { entity: { isActive: true, sortOrder: 1, ...e } };
    default:
      return { error: `Unsupported objectType ${objectType}` };
  }
}

function requireIntegration(ctx: HandlerContext): string {
  const id = queryOne(ctx.req, 'integrationId');
  if (!id) throw badRequest("Required request parameter 'integrationId' is not present");
  if (id !== ctx.account.integration.integrationId) throw badRequest(`Integration ${id} was not found`);
  return id;
}

function statusOf(upload: Upload, nowMs: number, processingMs: number): 'PENDING' | 'IN_PROGRESS' | 'DONE' | 'FAILED' {
  const elapsed = nowMs - upload.createdMs;
  if (elapsed < processingMs / 3) return 'PENDING';
  if (elapsed < processingMs) return 'IN_PROGRESS';
  return upload.errors.length > 0 ? 'FAILED' : 'DONE';
}

/** Make finished uploads visible to reads (successful lines only, like Gong's partial failures). */
function applyFinished(state: AccountCrmState, nowMs: number, processingMs: number): void {
  for (const u of state.uploads.values()) {
    if (u.applied || nowMs - u.createdMs < processingMs) continue;
    u.applied = true;
    let byId = state.entities.get(u.objectType);
    if (!byId) state.entities.set(u.objectType, (byId = new Map()));
    for (const e of u.entities) {
      const id = String(e['objectId']);
      byId.set(id, { ...(byId.get(id) ?? {}), ...e });
    }
  }
}

export function crmHandlers(store: CrmStore, processingMs: number): Record<string, Handler> {
  return {
    listIntegrations: (ctx) => ok(ctx, {
      integrations: [{ integrationId: Number(ctx.account.integration.integrationId), ownerEmail: ctx.account.integration.ownerEmail, name: ctx.account.integration.name }],
    }),

    uploadEntities: (ctx) => {
      requireIntegration(ctx);
      const objectType = queryOne(ctx.req, 'objectType');
      if (!objectType) throw badRequest("Required request parameter 'objectType' is not present");
      if (!(UPLOAD_TYPES as readonly string[]).includes(objectType)) throw badRequest(`objectType: must be one of ${UPLOAD_TYPES.join(', ')}`);
      const clientRequestId = queryOne(ctx.req, 'clientRequestId');
      if (!clientRequestId) throw badRequest("Required request parameter 'clientRequestId' is not present");
      if (!/^[A-Za-z0-9_-]+$/.test(clientRequestId)) throw badRequest('clientRequestId: may contain only letters, digits, - and _');
      const file = ctx.req.files?.['dataFile'];
      if (!file) throw badRequest("Required request part 'dataFile' is not present");
      const state = store.state(ctx.account);
      if (state.uploads.has(clientRequestId)) throw new GongHttpError(409, 'Client request id has already been used');
      const upload: Upload = { createdMs: ctx.clockMs, objectType, entities: [], errors: [], applied: false };
      const lines = file.toString('utf8').split(/\r?\n/);
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        const r = validateLine(line, objectType);
        if (r.entity) upload.entities.push(r.entity);
        else upload.errors.push({ line: i + 1, description: r.error ?? 'Invalid line' });
      });
      if (upload.entities.length === 0 && upload.errors.length === 0) upload.errors.push({ line: 0, description: 'The file is empty' });
      state.uploads.set(clientRequestId, upload);
      return ok(ctx, { clientRequestId }, 201);
    },

    requestStatus: (ctx) => {
      requireIntegration(ctx);
      const clientRequestId = queryOne(ctx.req, 'clientRequestId');
      if (!clientRequestId) throw badRequest("Required request parameter 'clientRequestId' is not present");
      const state = store.state(ctx.account);
      const upload = state.uploads.get(clientRequestId);
      if (!upload) throw new GongHttpError(404, `Request ${clientRequestId} was not found`);
      const status = statusOf(upload, ctx.clockMs, processingMs);
      const done = status === 'DONE' || status === 'FAILED';
      applyFinished(state, ctx.clockMs, processingMs);
      return ok(ctx, {
        status,
        errors: done ? upload.errors.slice(0, MAX_REPORTED_ERRORS) : [],
        totalErrorCount: done ? upload.errors.length : 0,
        totalSuccessCount: done ? upload.entities.length : 0,
      });
    },

    getEntities: (ctx) => {
      requireIntegration(ctx);
      const objectType = queryOne(ctx.req, 'objectType');
      if (!objectType || !(READ_TYPES as readonly string[]).includes(objectType)) {
        throw badRequest(`objectType: must be one of ${READ_TYPES.join(', ')}`);
      }
      // The spec lists a query array; Gong's prose says a JSON array body on the GET. Accept both.
      let ids = queryAll(ctx.req, 'objectsCrmIds').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0 && Array.isArray(ctx.req.body)) ids = ctx.req.body.map(String);
      if (ids.length === 0) throw badRequest('objectsCrmIds: must not be empty');
      const state = store.state(ctx.account);
      applyFinished(state, ctx.clockMs, processingMs);
      const byId = state.entities.get(objectType);
      const crmObjectsMap: Record<string, unknown> = {};
      for (const id of ids.slice(0, MAX_IDS)) {
        const e = byId?.get(id);
        crmObjectsMap[id] = e && e['isDeleted'] !== true ? e : null;
      }
      return ok(ctx, { crmObjectsMap });
    },
  };
}
