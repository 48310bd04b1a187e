/**
 * The CRM sync's two steps on their own: `uploadCrmSync` and `pollCrmSync` with an injected clock,
 * a fake Truto client and a recording `schedule` port, over the real sync store in a real Redis.
 * Upload once (409 = uploaded before), start the poll chain; poll with growing delays until DONE,
 * FAILED or the bounded wait; never fork or advance a chain whose next poll was not enqueued.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CrmSyncStore,
  pollCrmSync,
  readWrites,
  uploadCrmSync,
  type CrmStepDeps,
  type CrmSyncState,
  type PollLimits,
} from '../../src/shared/domain/index.ts';
import { NonRetryableError, silentLogger } from '../../src/shared/platform/index.ts';
import { makeTrutoError, type TrutoTool } from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const ID = 'gf-test-request-1';
const ACCOUNT = 'acct-1';
const T0 = Date.parse('2026-03-10T09:00:00Z');
const limits: PollLimits = { firstPollMs: 1_000, maxPollMs: 5_000, maxWaitMs: 60_000 };

interface Recorded {
  tool: string;
  args: Record<string, unknown>;
}

const FILE = '{"objectId":"a-1","modifiedDate":"2026-03-10T09:30:00Z"}\n';

const props = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) });
const UPLOAD_TOOL: TrutoTool = { name: 'create_a_gong_crm_entity', resource: 'crm_entities', method: 'create', query_schema: props('integrationId', 'objectType', 'clientRequestId'), body_schema: { type: 'object', properties: { dataFile: { type: 'string', format: 'binary' } } } };
const STATUS_TOOL: TrutoTool = { name: 'list_all_gong_crm_request_status', resource: 'crm_request_status', method: 'list', query_schema: props('integrationId', 'clientRequestId') };
const TOOLS = [UPLOAD_TOOL, STATUS_TOOL];

let redis: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redis = testRedis();
});
afterEach(async () => {
  for (const p of prefixes.splice(0)) await deletePrefix(redis, p);
});
afterAll(() => {
  redis.disconnect();
});

/** A fresh prefix, a queued sync with its file, and deps whose clock, Truto answers and schedule the test controls. */
async function setup(opts: { upload?: () => unknown; status?: () => unknown; phase?: Partial<CrmSyncState> } = {}) {
  const prefix = uniquePrefix('crmsteps');
  prefixes.push(prefix);
  const store = new CrmSyncStore({ redis, prefix });
  const state: CrmSyncState = {
    clientRequestId: ID, accountId: ACCOUNT, integrationId: '77', objectType: 'ACCOUNT', fileName: 'accounts.ldjson',
    entities: 2, bytes: 64, requestedBy: 'ann@laptop', phase: 'queued', pollSeq: 0, polls: 0, createdAtMs: T0, ...opts.phase,
  };
  await store.create(state, Buffer.from(FILE));
  const calls: Recorded[] = [];
  const scheduled: Array<[number, number]> = [];
  const clock = { now: T0 };
  let failSchedule = false;
  const deps: CrmStepDeps = {
    // The account's tools as the seed lists them (Gong's argument keys); calls are routed by the
    // tool the capability layer resolved: the upload, or the request-status read.
    truto: {
      async listTools(accountId: string) {
        expect(accountId).toBe(ACCOUNT);
        return TOOLS;
      },
      async callTool(accountId: string, tool: string | TrutoTool, args: Record<string, unknown> = {}) {
        expect(accountId).toBe(ACCOUNT);
        const name = typeof tool === 'string' ? tool : tool.name;
        calls.push({ tool: name, args });
        if (name === STATUS_TOOL.name) {
          const r = opts.status?.() ?? { status: 'PENDING' };
          if (r instanceof Error) throw r;
          return { status: 200, headers: {}, body: r };
        }
        const r = opts.upload?.();
        if (r instanceof Error) throw r;
        return { status: 201, headers: {}, body: { requestId: 'g-1', clientRequestId: ID } };
      },
      iterateTool() {
        throw new Error('the CRM steps make single requests');
      },
    } as unknown as CrmStepDeps['truto'],
    store,
    redis,
    prefix,
    logger: silentLogger,
    firstPollMs: limits.firstPollMs,
    now: () => clock.now,
    schedule: async (seq, delayMs) => {
      if (failSchedule) throw new Error('Redis went away');
      scheduled.push([seq, delayMs]);
    },
  };
  return { prefix, store, deps, calls, scheduled, clock, failScheduleNow: () => (failSchedule = true) };
}

describe('uploadCrmSync', () => {
  it('uploads the stored file once, records the write, starts polling and drops the file', async () => {
    const { prefix, store, deps, calls, scheduled, clock } = await setup();
    clock.now = T0 + 5_000;
    const state = await uploadCrmSync(deps, ID);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.tool).toBe('create_a_gong_crm_entity');
    expect(calls[0]!.args).toMatchObject({ integrationId: '77', objectType: 'ACCOUNT', clientRequestId: ID });
    const file = calls[0]!.args.dataFile as { filename: string; content: Buffer; contentType?: string };
    expect(file.filename).toBe('accounts.ldjson');
    expect(Buffer.from(file.content).toString()).toBe(FILE);
    expect(state).toMatchObject({ phase: 'polling', uploadOutcome: 'created', uploadedAtMs: T0 + 5_000, pollSeq: 0 });
    expect(await store.get(ID)).toMatchObject({ phase: 'polling', uploadOutcome: 'created' });
    expect(scheduled).toEqual([[0, 1_000]]);
    expect(await store.file(ID)).toBeUndefined();
    const [rec] = await readWrites(redis, prefix, 5);
    expect(rec).toMatchObject({ who: 'ann@laptop', tool: 'create_a_gong_crm_entity', accountId: ACCOUNT, outcome: '201 accepted, processing' });
    expect(rec!.target).toContain(ID);
  });

  it('a 409 means an earlier attempt uploaded it: no write recorded, polling starts all the same', async () => {
    const { prefix, deps, scheduled } = await setup({ upload: () => makeTrutoError(409, {}, { message: 'clientRequestId already used' }) });
    const state = await uploadCrmSync(deps, ID);
    expect(state).toMatchObject({ phase: 'polling', uploadOutcome: 'already-used' });
    expect(scheduled).toEqual([[0, 1_000]]);
    expect(await readWrites(redis, prefix, 5)).toEqual([]);
  });

  it('any other failure propagates and schedules nothing (the job retries the upload)', async () => {
    const { store, deps, scheduled } = await setup({ upload: () => makeTrutoError(503, {}, { message: 'busy' }) });
    await expect(uploadCrmSync(deps, ID)).rejects.toThrow(/503/);
    expect(scheduled).toEqual([]);
    expect((await store.get(ID))?.phase).toBe('uploading');
    expect(await store.file(ID)).toBeDefined(); // kept for the retry
  });

  it('a re-run after the upload sends nothing, only makes sure the poll chain exists', async () => {
    const { deps, calls, scheduled } = await setup({ phase: { phase: 'polling', pollSeq: 3 } });
    const state = await uploadCrmSync(deps, ID);
    expect(calls).toEqual([]);
    expect(scheduled).toEqual([[3, 1_000]]);
    expect(state.phase).toBe('polling');
    const done = await setup({ phase: { phase: 'DONE' } });
    await uploadCrmSync(done.deps, ID);
    expect(done.calls).toEqual([]);
    expect(done.scheduled).toEqual([]);
  });

  it('an unknown sync or a lost file fails for good', async () => {
    const { store, deps } = await setup();
    await expect(uploadCrmSync(deps, 'gf-no-such-sync')).rejects.toBeInstanceOf(NonRetryableError);
    await store.dropFile(ID);
    const err = await uploadCrmSync(deps, ID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect((err as Error).message).toMatch(/no longer stored; run crm-sync again/);
  });
});

describe('pollCrmSync', () => {
  const polling = { phase: 'polling' as const, uploadedAtMs: T0, pollSeq: 0 };

  it('while Gong is busy: one status read, the next poll scheduled 1.5× later, then the chain advances', async () => {
    const { store, deps, calls, scheduled, clock } = await setup({ phase: polling, status: () => ({ status: 'IN_PROGRESS' }) });
    clock.now = T0 + 1_000;
    const r = await pollCrmSync(deps, limits, ID, 0);
    expect(calls).toEqual([{ tool: 'list_all_gong_crm_request_status', args: { integrationId: '77', clientRequestId: ID } }]);
    expect(r.outcome).toBe('scheduled');
    expect(scheduled).toEqual([[1, 1_500]]);
    expect(await store.get(ID)).toMatchObject({ phase: 'polling', pollSeq: 1, polls: 1, gongStatus: 'IN_PROGRESS', lastPolledAtMs: T0 + 1_000 });
    clock.now = T0 + 2_500;
    await pollCrmSync(deps, limits, ID, 1);
    clock.now = T0 + 4_750;
    await pollCrmSync(deps, limits, ID, 2);
    clock.now = T0 + 8_125;
    await pollCrmSync(deps, limits, ID, 3);
    // 1000 × 1.5^n, capped at 5000.
    expect(scheduled.map(([, ms]) => ms)).toEqual([1_500, 2_250, 3_375, 5_000]);
    expect(scheduled.map(([seq]) => seq)).toEqual([1, 2, 3, 4]);
  });

  it('DONE is the only success, with Gong’s counts', async () => {
    const { store, deps, scheduled, clock } = await setup({ phase: polling, status: () => ({ status: 'DONE', totalSuccessCount: 2, totalErrorCount: 0 }) });
    clock.now = T0 + 3_000;
    const r = await pollCrmSync(deps, limits, ID, 0);
    expect(r.outcome).toBe('final');
    expect(scheduled).toEqual([]);
    expect(await store.get(ID)).toMatchObject({ phase: 'DONE', gongStatus: 'DONE', totalSuccessCount: 2, totalErrorCount: 0, finishedAtMs: T0 + 3_000, polls: 1 });
  });

  it('FAILED keeps Gong’s per-line errors', async () => {
    const errors = [{ line: 2, description: 'amount must be a number' }, { line: 5, description: 'unknown stage' }];
    const { store, deps } = await setup({ phase: polling, status: () => ({ status: 'FAILED', totalSuccessCount: 3, errors }) });
    await pollCrmSync(deps, limits, ID, 0);
    expect(await store.get(ID)).toMatchObject({ phase: 'FAILED', totalSuccessCount: 3, totalErrorCount: 2, errors });
  });

  it('gives up as TIMED_OUT after the bounded wait, and never schedules past it', async () => {
    const { store, deps, scheduled, clock } = await setup({ phase: polling });
    clock.now = T0 + 58_000; // 2 s of the 60 s wait left: the next poll comes at the deadline, not 1.5 s × …
    await pollCrmSync(deps, limits, ID, 0);
    expect(scheduled).toEqual([[1, 1_500]]);
    clock.now = T0 + 59_000;
    await pollCrmSync(deps, limits, ID, 1);
    expect(scheduled[1]).toEqual([2, 1_000]);
    clock.now = T0 + 60_000;
    const r = await pollCrmSync(deps, limits, ID, 2);
    expect(r.outcome).toBe('final');
    expect(scheduled).toHaveLength(2);
    const s = await store.get(ID);
    expect(s).toMatchObject({ phase: 'TIMED_OUT', gongStatus: 'PENDING' });
    expect(s?.message).toBe(`Gong still says PENDING after 60 s; check later with: gong-fleet crm-sync status ${ID}`);
  });

  it('a poll of an older or finished chain reads nothing and schedules nothing', async () => {
    const { deps, calls, scheduled } = await setup({ phase: { ...polling, pollSeq: 4 } });
    expect((await pollCrmSync(deps, limits, ID, 3)).outcome).toBe('stale');
    const done = await setup({ phase: { ...polling, phase: 'DONE' } });
    expect((await pollCrmSync(done.deps, limits, ID, 0)).outcome).toBe('stale');
    expect([...calls, ...done.calls]).toEqual([]);
    expect([...scheduled, ...done.scheduled]).toEqual([]);
  });

  it('does not advance the chain when the next poll could not be enqueued (the retry polls again)', async () => {
    const { store, deps, failScheduleNow } = await setup({ phase: polling });
    failScheduleNow();
    await expect(pollCrmSync(deps, limits, ID, 0)).rejects.toThrow('Redis went away');
    expect(await store.get(ID)).toMatchObject({ phase: 'polling', pollSeq: 0, polls: 0 });
  });

  it('a request Gong does not know ends the sync as ERROR', async () => {
    const { store, deps } = await setup({ phase: polling, status: () => makeTrutoError(404, {}, { message: 'not found' }) });
    const r = await pollCrmSync(deps, limits, ID, 0);
    expect(r.outcome).toBe('final');
    expect(await store.get(ID)).toMatchObject({ phase: 'ERROR', message: `Gong does not know request ${ID} (404)` });
  });
});
