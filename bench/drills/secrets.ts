/**
 * Drill: a full bulk summarize with recognisable keys (`truto-SECRET-…`, `sk-SECRET-…`), worker
 * processes and the CLI at LOG_LEVEL=debug, a few 429s from Truto and 5xx from the model so error
 * paths (failed attempts, stored failure reasons, warnings) run too. Then every place a key could end up is searched: all
 * worker and CLI output, every key under the fleet's prefix in Redis (names and values, read by
 * type: GET, HGETALL, LRANGE, SMEMBERS, ZRANGE, XRANGE) and the report files. Pass: zero occurrences.
 *   node bin/run-ts.mjs bench/drills/secrets.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { runCli } from '../../test/helpers/processes.ts';
import { startDrillFleet } from './harness.ts';
import { scanKeys } from '../../src/shared/platform/index.ts';

export interface SecretsResult {
  calls: number;
  cliExit: number | null;
  /** Bytes of worker and CLI output searched. */
  logBytes: number;
  /** Debug lines among them (proof the run logged at debug). */
  debugLines: number;
  redisKeys: number;
  redisValueBytes: number;
  reportFiles: number;
  /** Where a key was found: `logs:<worker n>`, `redis:<key>`, `report:<file>`. Must be empty. */
  leaks: string[];
  elapsedMs: number;
  pass: boolean;
}

export interface SecretsDrillOptions {
  /** Calls in the summarize. Default 24. */
  calls?: number;
  /** Worker processes. Default 2. */
  workers?: number;
  /** Redis URL. Default REDIS_URL, else 127.0.0.1:6379, else a private server. */
  redisUrl?: string;
}

export async function secretsDrill(opts: SecretsDrillOptions = {}): Promise<SecretsResult> {
  const tag = randomBytes(8).toString('hex');
  const trutoKey = `truto-SECRET-${tag}-t`;
  const openaiKey = `sk-SECRET-${tag}-o`;
  const fleet = await startDrillFleet({
    sandbox: { callsPerAccount: opts.calls ?? 24, apiToken: trutoKey, faults: { errorRate5xx: 0.05, scope: 'llm' } },
    env: { OPENAI_API_KEY: openaiKey, LOG_LEVEL: 'debug' },
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
  });
  const out = mkdtempSync(join(tmpdir(), 'gf-secrets-'));
  const started = Date.now();
  try {
    for (let i = 0; i < (opts.workers ?? 2); i++) await fleet.startWorker(['--concurrency', '4']);
    // Truto's error paths too: the next few proxy requests get 429s (the CLI's plan reads and the
    // workers' transcript requests wait them out); the model's 5xx come from the faults above.
    fleet.sandbox.force429(fleet.accountId, 1, 3);
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const cli = await runCli(
      ['summarize', '--account', fleet.accountId, '--from', from.toISOString().slice(0, 10), '--to', to.toISOString().slice(0, 10), '--out', out, '--json'],
      fleet.env,
      240_000,
    );
    const elapsedMs = Date.now() - started;
    const secrets = [trutoKey, openaiKey, tag];
    const leaks: string[] = [];
    const logs = [`cli:${cli.stdout}\n${cli.stderr}`, ...fleet.workers.map((w, i) => `worker ${i}:${w.output()}`)];
    logs.forEach((text, i) => {
      if (secrets.some((s) => text.includes(s))) leaks.push(`logs:${i === 0 ? 'cli' : `worker ${i - 1}`}`);
    });
    const redis = await searchRedis(fleet.redis, fleet.services.prefix, secrets);
    leaks.push(...redis.hits.map((k) => `redis:${k}`));
    const files = readdirSync(out);
    for (const f of files) if (secrets.some((s) => readFileSync(join(out, f), 'utf8').includes(s))) leaks.push(`report:${f}`);
    const calls = cli.code === 0 ? (JSON.parse(cli.stdout) as { plan: { calls: number } }).plan.calls : 0;
    const logText = logs.join('\n');
    return {
      calls,
      cliExit: cli.code,
      logBytes: logText.length,
      debugLines: logText.split('\n').filter((l) => l.includes('"level":20')).length,
      redisKeys: redis.keys,
      redisValueBytes: redis.bytes,
      reportFiles: files.length,
      leaks,
      elapsedMs,
      pass: cli.code === 0 && calls > 0 && files.length > 0 && redis.keys > 0 && leaks.length === 0,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    await fleet.close();
  }
}

/** Reads every key under `prefix` by its type and reports the keys whose name or value holds a secret. */
export async function searchRedis(redis: Redis, prefix: string, secrets: string[]): Promise<{ keys: number; bytes: number; hits: string[] }> {
  const hits: string[] = [];
  let keys = 0;
  let bytes = 0;
  for (const key of await scanKeys(redis, prefix)) {
    keys++;
    const text = `${key}\n${await readValue(redis, key)}`;
    bytes += text.length;
    if (secrets.some((s) => text.includes(s))) hits.push(key);
  }
  return { keys, bytes, hits };
}

async function readValue(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return (await redis.lrange(key, 0, -1)).join('\n');
    case 'set':
      return (await redis.smembers(key)).join('\n');
    case 'zset':
      return (await redis.zrange(key, 0, -1, 'WITHSCORES')).join('\n');
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return ''; // expired between SCAN and TYPE
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await secretsDrill();
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.pass ? 0 : 1);
}
