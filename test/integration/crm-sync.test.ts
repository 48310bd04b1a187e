/**
 * CRM sync end to end on the real sandbox over HTTP, a real Redis and real worker processes:
 * DONE and FAILED lifecycles (success only at Gong's DONE), bad input refused before any upload,
 * the 409 path, a worker killed between upload and DONE, and a repeated command uploading nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchCrmSync, waitForCrmSync, type PreparedCrmSync } from '../../src/producers/crm-sync.ts';
import { clientRequestIdFor, CrmSyncStore, type CrmSyncState } from '../../src/shared/domain/index.ts';
import { readWrites } from '../../src/shared/domain/index.ts';
import { trutoFile } from '../../src/shared/upstream/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli, startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

const D = '2026-03-10T09:30:00Z';
const ldjson = (...xs: unknown[]) => `${xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n')}\n`;

describe('crm-sync on the sandbox', () => {
  let fleet: TestFleet;
  let worker: WorkerProcess | undefined;
  let dir: string;
  let integrationId: string;
  let store: CrmSyncStore;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const posts = () => fleet.sandbox.stats().accounts[fleet.accountId]?.byPath['POST /proxy/crm_entities'] ?? 0;
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { ...fleet.env, ...env }, 45_000);
  const untilPhase = async (id: string, ok: (s: CrmSyncState) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await store.get(id);
      if (s && ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`sync ${id} stuck at ${s?.phase}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    fleet = await startTestFleet({
      label: 'crm',
      sandbox: { crmProcessingMs: 1_500, callsPerAccount: 8 },
      // A short lock: a job whose worker is killed mid-run is re-run after 3 s, not 30.
      env: { CRM_POLL_FIRST_MS: '200', CRM_POLL_MAX_MS: '600', WORKER_LOCK_DURATION_MS: '3000' },
    });
    dir = mkdtempSync(join(tmpdir(), 'gf-crm-'));
    store = new CrmSyncStore({ redis: fleet.redis, prefix: fleet.prefix });
    integrationId = fleet.sandbox.world.account(fleet.accountId)!.integration.integrationId;
    worker = await startWorkerProcess(fleet.env, ['--queues', 'writes', '--concurrency', '2']);
  });

  afterAll(async () => {
    await worker?.stop();
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('DONE: uploads once, polls while PENDING/IN_PROGRESS, reports success only at DONE', async () => {
    const path = file('accounts.ldjson', ldjson(
      { objectId: 'acct-crm-1', modifiedDate: D, name: 'Crm One', domains: ['one.example'] },
      { objectId: 'acct-crm-2', modifiedDate: D, name: 'Crm Two' },
    ));
    const before = posts();
    const res = await cli(['crm-sync', '--account', fleet.accountId, '--type', 'account', '--file', path]);
    expect(res.stderr).toMatch(/DONE in [\d.]+ s: Gong processed 2 entities/);
    expect(res.code).toBe(0);
    const id = res.stdout.trim();
    expect(id).toBe(clientRequestIdFor(Buffer.from(ldjson(
      { objectId: 'acct-crm-1', modifiedDate: D, name: 'Crm One', domains: ['one.example'] },
      { objectId: 'acct-crm-2', modifiedDate: D, name: 'Crm Two' },
    )), 'ACCOUNT', integrationId, fleet.accountId));
    expect(posts() - before).toBe(1);
    const state = (await store.get(id))!;
    expect(state).toMatchObject({ phase: 'DONE', gongStatus: 'DONE', uploadOutcome: 'created', totalSuccessCount: 2, totalErrorCount: 0 });
    // Gong needs 1.5 s: a 201 is not success, so the chain polled through PENDING/IN_PROGRESS first.
    expect(state.polls).toBeGreaterThanOrEqual(2);
    expect(state.finishedAtMs! - state.uploadedAtMs!).toBeGreaterThanOrEqual(1_400);
    // The entities really are in Gong now.
    const read = await fleet.services.truto.collectAll<{ crmId: string; name: string }>(fleet.accountId, 'list_all_gong_crm_entities', {
      integrationId, objectType: 'ACCOUNT', objectsCrmIds: ['acct-crm-1', 'acct-crm-2'],
    });
    expect(read.map((r) => r.name).sort()).toEqual(['Crm One', 'Crm Two']);
    // The write is on record with who/what/when, and no secret.
    const [rec] = await readWrites(fleet.redis, fleet.prefix, 10);
    expect(rec).toMatchObject({ tool: 'create_a_gong_crm_entity', accountId: fleet.accountId, who: expect.stringContaining('@') });
    expect(rec!.target).toContain(id);
    expect(JSON.stringify(rec)).not.toContain(fleet.env.TRUTO_API_KEY);

    const status = await cli(['crm-sync', 'status', id, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ clientRequestId: id, phase: 'DONE' });

    // The same file again finds the finished sync: nothing is uploaded twice.
    const again = await cli(['crm-sync', '--account', fleet.accountId, '--type', 'ACCOUNT', '--file', path]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming/);
    expect(posts() - before).toBe(1);
    // Three CLI processes in a row; on a busy machine each can take tens of seconds to boot.
  }, 150_000);

  it('FAILED: Gong per-line errors are kept, shown with line numbers, and exit 1', async () => {
    // Lines Gong rejects that local checks would have caught: here they reach the worker directly,
    // standing in for failures only Gong can see. The worker side must not trust the producer.
    const content = Buffer.from(ldjson(
      { objectId: 'deal-ok', modifiedDate: D, accountId: 'acct-crm-1' },
      { objectId: 'deal-bad-amount', modifiedDate: D, amount: 'a lot' },
      { objectId: 'deal-bad-status', modifiedDate: D, status: 'MAYBE' },
    ));
    const id = clientRequestIdFor(content, 'DEAL', integrationId, fleet.accountId);
    const prepared: PreparedCrmSync = {
      content,
      state: {
        clientRequestId: id, accountId: fleet.accountId, integrationId, objectType: 'DEAL', fileName: 'deals.ldjson',
        entities: 3, bytes: content.length, requestedBy: 'test@host', phase: 'queued', pollSeq: 0, polls: 0, createdAtMs: Date.now(),
      },
    };
    await launchCrmSync(fleet.services, prepared);
    const final = await waitForCrmSync(fleet.services, id, { timeoutMs: 20_000 });
    expect(final).toMatchObject({ phase: 'FAILED', totalErrorCount: 2, totalSuccessCount: 1 });
    expect(final.errors!.map((e) => e.line)).toEqual([2, 3]);

    const status = await cli(['crm-sync', 'status', id]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/FAILED.*2 lines failed, 1 succeeded/);
    expect(status.stderr).toMatch(/line 2: amount must be a number/);
    expect(status.stderr).toMatch(/line 3: status must be one of WON, LOST, OPEN/);
  });

  it('bad input: one clear line, exit 2, nothing uploaded', async () => {
    const before = posts();
    const fleetBefore = fleet.sandbox.stats().accounts[fleet.accountId]?.requests ?? 0;
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [['--type', 'ACCOUNT', '--file', file('malformed.ldjson', ldjson({ objectId: 'a', modifiedDate: D }, '{"objectId": "b",'))], /malformed\.ldjson: 1 bad line of 2: line 2: not valid JSON; nothing was uploaded/],
      [['--type', 'ACCOUNT', '--file', file('mixed.ldjson', ldjson({ objectId: 'a', modifiedDate: D }, { objectId: 'c', modifiedDate: D, firstName: 'Ann', emailAddress: 'ann@x.io' }))], /line 2: looks like a .* one type per file/],
      [['--type', 'CONTACT', '--file', file('noid.ldjson', ldjson({ modifiedDate: D, firstName: 'Ann' }))], /line 1: objectId is required/],
      [['--type', 'ACCOUNT', '--file', file('big.ldjson', ldjson(...Array.from({ length: 20 }, (_, i) => ({ objectId: `a-${i}`, modifiedDate: D }))))], /too large: \d+ bytes, the limit is 200/, { CRM_MAX_FILE_BYTES: '200' }],
      [['--type', 'WIDGET', '--file', file('w.ldjson', ldjson({ objectId: 'a', modifiedDate: D }))], /--type must be one of ACCOUNT, CONTACT/],
      [['--type', 'ACCOUNT', '--file', join(dir, 'missing.ldjson')], /cannot be read \(ENOENT\)/],
    ];
    const results = await Promise.all(cases.map(([args, , env]) => cli(['crm-sync', '--account', fleet.accountId, ...args], env)));
    cases.forEach(([, message], i) => {
      const res = results[i]!;
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    });
    // Local checks come first: none of those made a single request.
    expect(fleet.sandbox.stats().accounts[fleet.accountId]?.requests ?? 0).toBe(fleetBefore);

    const good = file('good.ldjson', ldjson({ objectId: 'acct-x', modifiedDate: D }));
    const [unknownIntegration, unknownAccount, dry] = await Promise.all([
      cli(['crm-sync', '--account', fleet.accountId, '--type', 'ACCOUNT', '--file', good, '--integration-id', '999']),
      cli(['crm-sync', '--account', 'no-such-account', '--type', 'ACCOUNT', '--file', good]),
      cli(['crm-sync', '--account', fleet.accountId, '--type', 'ACCOUNT', '--file', good, '--dry-run']),
    ]);
    expect(unknownIntegration.code).toBe(2);
    expect(unknownIntegration.stderr).toMatch(/unknown CRM integration "999" on account .*; it has \d+/);
    expect(unknownAccount.code).toBe(2);
    expect(unknownAccount.stderr).toMatch(/unknown integrated account "no-such-account"/);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/dry run: would upload 1 ACCOUNT entities .* nothing uploaded/);
    expect(posts()).toBe(before);
  });

  it('409 path: a file an earlier attempt uploaded is polled, not uploaded again', async () => {
    const content = ldjson({ objectId: 'acct-409', modifiedDate: D, name: 'Conflict Co' });
    const path = file('conflict.ldjson', content);
    const id = clientRequestIdFor(Buffer.from(content), 'ACCOUNT', integrationId, fleet.accountId);
    // An earlier attempt got its 201 and died before recording it (its state was lost with it).
    await fleet.services.truto.callTool(fleet.accountId, 'create_a_gong_crm_entity', {
      integrationId, objectType: 'ACCOUNT', clientRequestId: id, dataFile: trutoFile('conflict.ldjson', Buffer.from(content)),
    });
    const conflictsBefore = fleet.sandbox.stats().accounts[fleet.accountId]?.byStatus['409'] ?? 0;
    const res = await cli(['crm-sync', '--account', fleet.accountId, '--type', 'ACCOUNT', '--file', path, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ clientRequestId: id, phase: 'DONE', uploadOutcome: 'already-used', totalSuccessCount: 1 });
    expect(fleet.sandbox.stats().accounts[fleet.accountId]?.byStatus['409']).toBe(conflictsBefore + 1);
    expect(res.stderr).not.toMatch(/error/i);
  });

  it('a worker killed between upload and DONE: a new worker resumes polling, no second upload', async () => {
    const content = ldjson({ objectId: 'acct-crash', modifiedDate: D, name: 'Crash Co' }, { objectId: 'acct-crash-2', modifiedDate: D });
    const path = file('crash.ldjson', content);
    const before = posts();
    const res = await cli(['crm-sync', '--account', fleet.accountId, '--type', 'ACCOUNT', '--file', path, '--no-wait']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/check with: gong-fleet crm-sync status gf-/);
    const id = res.stdout.trim();
    await untilPhase(id, (s) => s.phase === 'polling');
    await worker!.kill();
    worker = undefined;
    const mid = (await store.get(id))!;
    expect(mid.phase).toBe('polling'); // not final: nobody claims success while Gong is processing
    await new Promise((r) => setTimeout(r, 1_000));
    worker = await startWorkerProcess(fleet.env, ['--queues', 'writes', '--concurrency', '2']);
    const final = await waitForCrmSync(fleet.services, id, { timeoutMs: 30_000 });
    expect(final).toMatchObject({ phase: 'DONE', uploadOutcome: 'created', totalSuccessCount: 2 });
    expect(posts() - before).toBe(1);
  });
});
