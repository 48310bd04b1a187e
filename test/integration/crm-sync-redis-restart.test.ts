/**
 * Redis killed (SIGKILL) and restarted while a CRM sync is polling: with AOF the delayed poll
 * chain and the sync's state survive, the worker reconnects, and the sync finishes DONE without a
 * second upload. Runs on a private redis-server so the shared test Redis is never touched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { CrmSyncStore, type CrmSyncState } from '../../src/shared/domain/index.ts';
import { startPrivateRedis, type PrivateRedis, createRedis } from '../../src/shared/platform/index.ts';
import { runCli, startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import type { Redis } from 'ioredis';

describe('crm-sync survives a Redis restart during polling', () => {
  let sandbox: Sandbox;
  let redisServer: PrivateRedis;
  let redis: Redis;
  let worker: WorkerProcess | undefined;
  let env: Record<string, string>;
  let dir: string;
  const prefix = '{gf-crm-restart}';

  beforeAll(async () => {
    redisServer = await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    sandbox = await startSandbox({ port: 0, crmProcessingMs: 5_000, callsPerAccount: 8 });
    env = { ...sandbox.env, REDIS_URL: redisServer.url, GONG_FLEET_PREFIX: prefix, CRM_POLL_FIRST_MS: '300', CRM_POLL_MAX_MS: '800' };
    loadConfig({}, env); // fails here, not in a child, if the env is wrong
    redis = createRedis(redisServer.url, { role: 'worker', name: 'restart-test' });
    redis.on('error', () => {});
    dir = mkdtempSync(join(tmpdir(), 'gf-crm-restart-'));
    worker = await startWorkerProcess(env, ['--queues', 'writes', '--concurrency', '2']);
  });

  afterAll(async () => {
    await worker?.stop();
    redis?.disconnect();
    await redisServer?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the delayed poll chain and finishes DONE with one upload', async () => {
    const accountId = sandbox.world.accountIdOf('deals');
    const path = join(dir, 'accounts.ldjson');
    writeFileSync(path, `${JSON.stringify({ objectId: 'acct-restart', modifiedDate: '2026-03-10T09:30:00Z', name: 'Restart Co' })}\n`);
    const res = await runCli(['crm-sync', '--account', accountId, '--type', 'ACCOUNT', '--file', path, '--no-wait'], env);
    expect(res.code, res.stderr).toBe(0);
    const id = res.stdout.trim();
    const store = new CrmSyncStore({ redis, prefix });
    const until = async (ok: (s: CrmSyncState | undefined) => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await store.get(id).catch(() => undefined);
        if (ok(s)) return s!;
        if (Date.now() > deadline) throw new Error(`sync ${id} stuck at ${s?.phase}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until((s) => s?.phase === 'polling' && s.polls >= 1, 15_000);

    await redisServer.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1_500));
    await redisServer.restart();
    const restartedAtMs = Date.now();

    const final = await until((s) => s !== undefined && ['DONE', 'FAILED', 'TIMED_OUT', 'ERROR'].includes(s.phase), 30_000);
    expect(final).toMatchObject({ phase: 'DONE', uploadOutcome: 'created', totalSuccessCount: 1 });
    expect(sandbox.stats().accounts[accountId]?.byPath['POST /proxy/crm_entities']).toBe(1);
    // Gong finished after the restart: the chain really was interrupted and resumed.
    expect(final.finishedAtMs!).toBeGreaterThanOrEqual(restartedAtMs);
    expect(worker!.child.exitCode).toBeNull();
  });
});
