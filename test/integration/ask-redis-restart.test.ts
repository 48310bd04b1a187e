/**
 * An `ask` run survives a Redis restart: a private redis-server with AOF is killed (SIGKILL) and
 * restarted during a multi-step run served by a real worker process. The run's record, its stored
 * turns and results, and the step jobs all come back from the AOF; the worker reconnects and the
 * run answers, with every model turn and upstream request made once (but the one in flight).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type FleetServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { askStoreOf, startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { createRedis, silentLogger, startPrivateRedis, type PrivateRedis } from '../../src/shared/platform/index.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import { esc, mikeTeam } from '../sandbox/agent-expected.ts';

describe('ask survives a Redis restart (AOF)', () => {
  let sandbox: Sandbox;
  let redisServer: PrivateRedis;
  let redis: Redis;
  let services: FleetServices;
  let worker: WorkerProcess | undefined;
  const prefix = '{gf-ask-restart}';

  beforeAll(async () => {
    redisServer = await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    sandbox = await startSandbox({ port: 0, llm: { latencyBaseMs: 400 } });
    const env = { ...sandbox.env, REDIS_URL: redisServer.url, GONG_FLEET_PREFIX: prefix, WORKER_LOCK_DURATION_MS: '2000', LOG_LEVEL: 'error' };
    redis = createRedis(redisServer.url, { role: 'worker', name: 'ask-restart-test' });
    redis.on('error', () => {});
    services = createServices(loadConfig({}, env), redis, silentLogger);
    worker = await startWorkerProcess(env, ['--concurrency', '4']);
  });

  afterAll(async () => {
    await worker?.stop();
    await services?.queues.close().catch(() => {});
    redis?.disconnect();
    await redisServer?.stop();
    await sandbox?.close();
  });

  it('answers completely after the restart, repeating nothing but the step in flight', async () => {
    const coachingId = sandbox.world.accountIdOf('coaching');
    const { runId } = await startAsk(services, {
      accountId: coachingId,
      question: 'Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.',
    });
    const store = askStoreOf(services);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await store.get(runId);
      if ((run?.turns.length ?? 0) >= 3) break;
      if (Date.now() > deadline) throw new Error('run did not reach turn 3');
      await new Promise((r) => setTimeout(r, 20));
    }
    const turnsBefore = (await store.get(runId))!.turns.length;
    await redisServer.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1_500));
    await redisServer.restart();

    const run = await waitForAsk(services, runId, { timeoutMs: 90_000 });
    expect(run.status, run.note).toBe('answered');
    expect(run.turns.length).toBeGreaterThan(turnsBefore);
    const reps = mikeTeam(sandbox);
    for (const x of reps) expect(run.answer).toMatch(new RegExp(`\\| ${esc(x.name)} \\| ${x.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${x.hosted} \\| ${x.listened} \\| ${x.cards} \\|`));
    const agent = sandbox.stats().agent;
    expect(agent.repeatedTurns).toBeLessThanOrEqual(1);
    expect(agent.turns).toBe(run.turns.length + agent.repeatedTurns);
    const stepRequests = run.turns.flatMap((t) => t.calls).reduce((n, c) => n + (c.requests ?? 0), 0);
    const seen = sandbox.stats().accounts[coachingId]!.requests;
    expect(seen - stepRequests).toBeGreaterThanOrEqual(0);
    expect(seen - stepRequests).toBeLessThanOrEqual(1);
    expect(worker!.child.exitCode).toBeNull();
  }, 150_000);
});
