/**
 * Finds a Redis for the demo and the tests, in order:
 *   REDIS_URL if set → 127.0.0.1:6379 if it answers → a private `redis-server` from PATH on a free
 *   port in a temp dir (stopped on exit) → a Redis container via testcontainers where a Docker engine
 *   answers → a clear error saying how to get Redis.
 * Production processes (worker, dashboard) use REDIS_URL or the local default and never spawn one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../errors.ts';

export interface ResolvedRedis {
  url: string;
  source: 'env' | 'local' | 'private' | 'container';
  /** Stops what the resolver started (nothing for env/local). */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /** REDIS_URL from config, if any. */
  url?: string;
  /** Try 127.0.0.1:6379. Default true. */
  tryLocal?: boolean;
  /** Allow starting a private redis-server. Default true. */
  allowPrivate?: boolean;
  /** Allow a testcontainers Redis when Docker answers. Default true. */
  allowContainer?: boolean;
  /** Extra redis-server arguments for a private server (e.g. AOF for drills). */
  privateArgs?: string[];
}

const NO_REDIS =
  'no Redis found: set REDIS_URL, start one with `docker compose up -d redis`, or install your ' +
  "distribution's package (e.g. `apt-get install redis-server`) so `redis-server` is on PATH";

export async function resolveRedis(opts: ResolveOptions = {}): Promise<ResolvedRedis> {
  const none = async () => {};
  if (opts.url) return { url: opts.url, source: 'env', stop: none };
  if ((opts.tryLocal ?? true) && (await pingTcp('127.0.0.1', 6379))) {
    return { url: 'redis://127.0.0.1:6379', source: 'local', stop: none };
  }
  if ((opts.allowPrivate ?? true) && hasRedisServer()) {
    return startPrivateRedis({ args: opts.privateArgs });
  }
  if (opts.allowContainer ?? true) {
    const container = await tryContainer();
    if (container) return container;
  }
  throw new BadInputError(NO_REDIS);
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface PrivateRedis extends ResolvedRedis {
  port: number;
  dir: string;
  process: ChildProcess;
  /** Kills the server (SIGKILL by default) without removing its data dir, for restart drills. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and dir (AOF data, if enabled, survives). */
  restart(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port in a temp dir; removed on stop() or process exit. */
export async function startPrivateRedis(opts: { args?: string[]; port?: number } = {}): Promise<PrivateRedis> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'gong-fleet-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...(opts.args ?? ['--appendonly', 'no'])];
  let child = await launch(args, port);
  const cleanup = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  const handle: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    source: 'private',
    port,
    dir,
    get process() {
      return child;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
    async restart() {
      child = await launch(args, port);
    },
    async stop() {
      await handle.kill('SIGTERM');
      process.removeListener('exit', cleanup);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

async function launch(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await pingTcp('127.0.0.1', port)) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

async function tryContainer(): Promise<ResolvedRedis | undefined> {
  if (spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 3_000 }).status !== 0) return undefined;
  try {
    // Optional: present only where testcontainers is installed and a Docker engine answers.
    const mod = (await import('testcontainers' as string)) as {
      GenericContainer: new (image: string) => {
        withExposedPorts(p: number): { start(): Promise<{ getHost(): string; getMappedPort(p: number): number; stop(): Promise<unknown> }> };
      };
    };
    const container = await new mod.GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      source: 'container',
      stop: async () => {
        await container.stop();
      },
    };
  } catch {
    return undefined;
  }
}

/** True when something at host:port answers a Redis PING with PONG within 500 ms. */
export function pingTcp(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.on('data', (buf) => done(buf.toString().startsWith('+PONG')));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
