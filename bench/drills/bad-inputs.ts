/**
 * Drill: a catalogue of bad inputs across every command, each run through the real CLI against the
 * sandbox and a real Redis under its own prefix. Pass, for every case: a non-zero exit (2 for bad
 * input), exactly one `gong-fleet: …` line on stderr (or commander's `error: …` usage line plus its
 * hints in parentheses), no stack trace, nothing on stdout, and nothing enqueued (no queue, run, report, CRM
 * or audit keys under the prefix). The same table runs as `test/integration/drill-bad-inputs.test.ts`.
 *   node bin/run-ts.mjs bench/drills/bad-inputs.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../../src/queues/names.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { resolveRedis, deleteKeysUnder, scanKeys } from '../../src/shared/platform/index.ts';
import { runCli, type CliResult } from '../../test/helpers/processes.ts';

export interface BadInputCase {
  /** Command the case exercises (for the table in docs/reliability.md). */
  command: string;
  name: string;
  args: string[];
  /** Extra environment (config errors). */
  env?: Record<string, string>;
  /** What the one error line must say. */
  message: RegExp;
  /** A commander usage error (`error: …` + the help hint) rather than a `gong-fleet: …` line. */
  usage?: boolean;
}

export interface CatalogueContext {
  accountId: string;
  /** A directory the cases may write input files into. */
  dir: string;
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** At least 20 cases over all ten commands, config included. */
export function badInputCatalogue({ accountId, dir }: CatalogueContext): BadInputCase[] {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY_MS);
  const window = ['--from', isoDay(from), '--to', isoDay(to)];
  const badLdjson = join(dir, 'bad-deals.ldjson');
  writeFileSync(badLdjson, '{"objectId":"d1","modifiedDate":"2026-01-01T00:00:00Z"}\nnot json at all\n');
  const acct = ['--account', accountId];
  return [
    { command: 'sandbox', name: 'port is not a number', args: ['sandbox', '--port', 'abc'], message: /--port must be a positive whole number, got "abc"/ },
    { command: 'sandbox', name: 'fault rate above 1', args: ['sandbox', '--fault-5xx', '1.5'], message: /--fault-5xx must be a fraction between 0 and 1/ },
    { command: 'worker', name: 'zero concurrency', args: ['worker', '--concurrency', '0'], message: /--concurrency must be a positive whole number/ },
    { command: 'worker', name: 'unknown queue', args: ['worker', '--queues', 'upstream,bogus'], message: /--queues: unknown queue bogus; choose from / },
    { command: 'dashboard', name: 'port out of range', args: ['dashboard', '--port', '99999'], message: /--port: expected a port 0-65535, got "99999"/ },
    { command: 'dashboard', name: 'public bind without credentials', args: ['dashboard', '--host', '0.0.0.0'], message: /DASHBOARD_/ },
    { command: 'summarize', name: 'unknown account', args: ['summarize', '--account', 'no-such-account', ...window], message: /unknown integrated account "no-such-account"/ },
    { command: 'summarize', name: 'neither window nor call ids', args: ['summarize', ...acct], message: /give either --from and --to, or --call-ids/ },
    { command: 'summarize', name: 'inverted dates', args: ['summarize', ...acct, '--from', isoDay(to), '--to', isoDay(from)], message: /--from \(.*\) must be before --to/ },
    { command: 'summarize', name: 'non-numeric call ids', args: ['summarize', ...acct, '--call-ids', '123,abc'], message: /--call-ids must be numeric Gong call ids/ },
    { command: 'summarize', name: 'misspelt option', args: ['summarize', ...acct, '--form', isoDay(from)], message: /^error: unknown option '--form'/, usage: true },
    { command: 'autopsy', name: 'unknown deal', args: ['autopsy', ...acct, '--deal', 'Globex Corp'], message: /no deal or account named "Globex Corp".*did you mean "Globex Corporation"/ },
    { command: 'autopsy', name: 'days out of range', args: ['autopsy', ...acct, '--deal', 'Globex Corporation', '--days', '0'], message: /--days must be a positive whole number, got "0"/ },
    { command: 'autopsy', name: 'missing --deal', args: ['autopsy', ...acct], message: /^error: required option '--deal <name-or-crm-id>' not specified/, usage: true },
    { command: 'sweep', name: 'unparsable --from', args: ['sweep', ...acct, '--from', 'last tuesday'], message: /--from must be a date like 2026-11-01/ },
    { command: 'sweep', name: 'unknown manager', args: ['sweep', ...acct, '--manager', 'nobody@nowhere.example'], message: /nobody@nowhere\.example/ },
    { command: 'schedule', name: 'cron with 3 fields', args: ['schedule', 'add', 'sweep', ...acct, '--cron', '0 6 *'], message: /--cron "0 6 \*" must have 5 fields/ },
    { command: 'schedule', name: 'unknown time zone', args: ['schedule', 'add', 'sweep', ...acct, '--cron', '0 6 * * 1-5', '--tz', 'Mars/Olympus'], message: /--tz "Mars\/Olympus" is not an IANA time zone/ },
    { command: 'schedule', name: 'unknown kind', args: ['schedule', 'add', 'report', ...acct, '--cron', '0 6 * * *'], message: /unknown schedule kind "report"/ },
    { command: 'schedule', name: 'remove an unknown schedule', args: ['schedule', 'remove', 'sweep:nope:all'], message: /no schedule "sweep:nope:all"/ },
    { command: 'crm-sync', name: 'missing --file', args: ['crm-sync', ...acct, '--type', 'DEAL'], message: /crm-sync needs --file/ },
    { command: 'crm-sync', name: 'unknown --type', args: ['crm-sync', ...acct, '--type', 'WIDGET', '--file', badLdjson], message: /--type must be one of ACCOUNT, CONTACT, DEAL/ },
    { command: 'crm-sync', name: 'a line that is not JSON', args: ['crm-sync', ...acct, '--type', 'DEAL', '--file', badLdjson], message: /line 2/ },
    { command: 'crm-sync', name: 'file does not exist', args: ['crm-sync', ...acct, '--type', 'DEAL', '--file', join(dir, 'nope.ldjson')], message: /--file .*nope\.ldjson cannot be read \(ENOENT\)/ },
    { command: 'crm-sync', name: 'status of a malformed id', args: ['crm-sync', 'status', 'not-an-id'], message: /"not-an-id" is not a crm-sync request id/ },
    { command: 'tasks', name: 'non-numeric task id', args: ['tasks', 'set', ...acct, '--task', 'abc', '--status', 'DONE', '--user', 'x@y.example'], message: /--task must be a numeric Engage task id, got "abc"/ },
    { command: 'tasks', name: 'unknown status', args: ['tasks', 'set', ...acct, '--task', '123', '--status', 'FINISHED', '--user', 'x@y.example'], message: /FINISHED/ },
    { command: 'tasks', name: 'list with an unknown status', args: ['tasks', 'list', ...acct, '--user', 'x@y.example', '--status', 'NOPE'], message: /NOPE/ },
    { command: 'demo', name: 'zero concurrency', args: ['demo', '--concurrency', '0'], message: /--concurrency must be a positive whole number/ },
    { command: 'config', name: 'REDIS_URL is not a URL', args: ['summarize', ...acct, ...window], env: { REDIS_URL: 'nope' }, message: /REDIS_URL/ },
    { command: 'config', name: 'LOG_LEVEL unknown', args: ['summarize', ...acct, ...window], env: { LOG_LEVEL: 'loud' }, message: /LOG_LEVEL/ },
    { command: 'config', name: 'prefix without hash tag', args: ['worker'], env: { GONG_FLEET_PREFIX: 'gong-fleet' }, message: /GONG_FLEET_PREFIX.*hash-tagged prefix/ },
    { command: 'config', name: 'account limits not JSON', args: ['summarize', ...acct, ...window], env: { GONG_FLEET_ACCOUNT_LIMITS: '{oops' }, message: /GONG_FLEET_ACCOUNT_LIMITS.*must be JSON/ },
    { command: 'config', name: 'missing TRUTO_API_KEY', args: ['tasks', 'list', ...acct, '--user', 'x@y.example'], env: { TRUTO_API_KEY: '' }, message: /missing TRUTO_API_KEY/ },
  ];
}

export interface CaseOutcome {
  case: BadInputCase;
  code: number | null;
  stderrLines: string[];
  stdout: string;
  /** Keys a half-enqueued request would leave under the case's prefix. */
  enqueuedKeys: string[];
  /** Empty when the case passed; otherwise what was wrong. */
  problems: string[];
}

/** Keys that mean something was enqueued or started: queues, runs, reports, CRM syncs, write audits. */
export async function enqueuedKeys(redis: Redis, prefix: string): Promise<string[]> {
  const marks = [...QUEUE_NAMES, 'run', 'report', 'crm', 'audit'].map((n) => `${prefix}:${n}:`);
  // `<queue>:meta` is BullMQ's queue metadata, written when a Queue object first talks to Redis.
  return (await scanKeys(redis, prefix)).filter((k) => marks.some((m) => k.startsWith(m)) && !k.endsWith(':meta'));
}

/** Runs one case under its own prefix, checks it, and deletes whatever it left in Redis. */
export async function runCase(c: BadInputCase, baseEnv: Record<string, string>, redis: Redis): Promise<CaseOutcome> {
  const prefix = `{gf-badin-${randomBytes(4).toString('hex')}}`;
  let r: CliResult;
  try {
    r = await runCli(c.args, { ...baseEnv, GONG_FLEET_PREFIX: prefix, ...c.env }, 30_000);
  } catch (err) {
    // A case the CLI accepted (it went on to run) times out here: that is a failed case, not a crash.
    r = { code: null, stdout: '', stderr: (err as Error).message.split('\n')[0] ?? '' };
  }
  const stderrLines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  const keys = await enqueuedKeys(redis, prefix);
  const problems: string[] = [];
  const first = stderrLines[0] ?? '';
  if (r.code !== 2) problems.push(`exit ${r.code}, expected 2`);
  if (c.usage) {
    // Commander may add hints in parentheses ("(Did you mean --from?)", "(run with --help for usage)").
    if (!/^error: /.test(first) || !stderrLines.slice(1).every((l) => /^\(.*\)$/.test(l))) {
      problems.push('expected one commander usage line (+ hints in parentheses)');
    }
  } else if (stderrLines.length !== 1 || !first.startsWith('gong-fleet: ')) {
    problems.push(`expected exactly one "gong-fleet: " line, got ${stderrLines.length}`);
  }
  if (!c.message.test(c.usage ? first : first.replace(/^gong-fleet: /, ''))) problems.push(`message does not match ${c.message}`);
  if (/^\s+at /m.test(r.stderr)) problems.push('stack trace on stderr');
  if (r.stdout.trim() !== '') problems.push('output on stdout');
  if (keys.length > 0) problems.push(`left ${keys.length} enqueued keys`);
  await deleteUnder(redis, prefix);
  return { case: c, code: r.code, stderrLines, stdout: r.stdout, enqueuedKeys: keys, problems };
}

async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  await deleteKeysUnder(redis, prefix);
}

/** Runs cases `parallel` at a time (each is a CLI process that mostly waits on start-up). */
export async function runCatalogue(cases: BadInputCase[], baseEnv: Record<string, string>, redis: Redis, parallel = 4): Promise<CaseOutcome[]> {
  const out: CaseOutcome[] = [];
  for (let i = 0; i < cases.length; i += parallel) {
    out.push(...(await Promise.all(cases.slice(i, i + parallel).map((c) => runCase(c, baseEnv, redis)))));
  }
  return out;
}

export interface BadInputsResult {
  cases: number;
  commands: number;
  failed: { name: string; command: string; problems: string[]; stderr: string[] }[];
  /** Each case's first stderr line, for the catalogue in docs/reliability.md. */
  lines: { command: string; name: string; code: number | null; line: string }[];
  elapsedMs: number;
  pass: boolean;
}

export async function badInputsDrill(): Promise<BadInputsResult> {
  const resolved = await resolveRedis({ url: process.env.REDIS_URL });
  const sandbox: Sandbox = await startSandbox({ port: 0, callsPerAccount: 12 });
  const redis = new Redis(resolved.url, { maxRetriesPerRequest: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'gf-badin-'));
  const started = Date.now();
  try {
    const account = sandbox.world.accounts[0];
    if (!account) throw new Error('sandbox has no accounts');
    const cases = badInputCatalogue({ accountId: account.id, dir });
    const outcomes = await runCatalogue(cases, { ...sandbox.env, REDIS_URL: resolved.url }, redis);
    const failed = outcomes
      .filter((o) => o.problems.length > 0)
      .map((o) => ({ name: o.case.name, command: o.case.command, problems: o.problems, stderr: o.stderrLines }));
    const lines = outcomes.map((o) => ({ command: o.case.command, name: o.case.name, code: o.code, line: o.stderrLines[0] ?? '' }));
    return { cases: cases.length, commands: new Set(cases.map((c) => c.command)).size, failed, lines, elapsedMs: Date.now() - started, pass: failed.length === 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    redis.disconnect();
    await sandbox.close();
    await resolved.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await badInputsDrill();
  console.log(JSON.stringify(r, null, 2));
  process.exit(r.pass ? 0 : 1);
}
