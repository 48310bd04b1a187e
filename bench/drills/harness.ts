/**
 * What every drill needs: a sandbox, a Redis (the shared one, or a private one with AOF for the
 * restart drill), producer-side services under a fresh prefix, and real `gong-fleet worker`
 * processes that can be stopped, killed and replaced. Used by `bench/drills/*.ts` and the drill tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/index.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import { silentLogger, resolveRedis, startPrivateRedis, type PrivateRedis, deleteKeysUnder } from '../../src/shared/platform/index.ts';
import { createServices, type FleetServices } from '../../src/app/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/gong-fleet.mjs');

export interface DrillWorker {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface DrillFleet {
  sandbox: Sandbox;
  env: Record<string, string>;
  services: FleetServices;
  redis: Redis;
  /** Set when the drill asked for a private Redis (AOF on). */
  privateRedis?: PrivateRedis;
  accountId: string;
  workers: DrillWorker[];
  startWorker(args?: string[]): Promise<DrillWorker>;
  close(): Promise<void>;
}

export interface DrillFleetOptions {
  sandbox?: SandboxOptions;
  /** Start a private redis-server with AOF (for the restart drill). Default false. */
  privateRedis?: boolean;
  /** Extra environment for worker processes. */
  env?: Record<string, string>;
  /** Redis URL when not private. Default REDIS_URL, else 127.0.0.1:6379, else a private server. */
  redisUrl?: string;
}

export async function startDrillFleet(opts: DrillFleetOptions = {}): Promise<DrillFleet> {
  const privateRedis = opts.privateRedis
    ? await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'] })
    : undefined;
  const resolved = privateRedis ?? (await resolveRedis({ url: opts.redisUrl ?? process.env.REDIS_URL }));
  const sandbox = await startSandbox({ port: 0, ...opts.sandbox });
  const prefix = `{gf-drill-${randomBytes(4).toString('hex')}}`;
  const env: Record<string, string> = {
    ...sandbox.env,
    REDIS_URL: resolved.url,
    GONG_FLEET_PREFIX: prefix,
    WORKER_LOCK_DURATION_MS: '5000',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const redis = new Redis(resolved.url, { maxRetriesPerRequest: null });
  redis.on('error', () => {}); // the restart drill takes Redis away on purpose
  const services = createServices(loadConfig({}, env), redis, silentLogger);
  const account = sandbox.world.accounts[0];
  if (!account) throw new Error('sandbox has no accounts');
  const workers: DrillWorker[] = [];
  const fleet: DrillFleet = {
    sandbox,
    env,
    services,
    redis,
    ...(privateRedis ? { privateRedis } : {}),
    accountId: account.id,
    workers,
    async startWorker(args = ['--concurrency', '4']) {
      const w = await spawnWorker(env, args);
      workers.push(w);
      return w;
    },
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await services.queues.close();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
      await sandbox.close();
      await resolved.stop();
    },
  };
  return fleet;
}

async function spawnWorker(env: Record<string, string>, args: string[]): Promise<DrillWorker> {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b) => (out += String(b)));
  child.stderr?.on('data', (b) => (out += String(b)));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`worker did not start: ${out}`)), 20_000);
    child.stdout?.on('data', () => {
      if (out.includes('serving')) {
        clearTimeout(timer);
        res();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`worker exited with ${code}: ${out}`));
    });
  });
  return {
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
