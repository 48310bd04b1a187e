/**
 * Bad input through the real CLI (`bin/gong-fleet.mjs` in a child process) against the real
 * sandbox and a real Redis: every case exits 2 with exactly one `gong-fleet: …` line on stderr, no
 * stack, nothing on stdout, and nothing enqueued (no BullMQ or run keys under the prefix). Plus the
 * happy path: `summarize --local-worker --json` exits 0 and names report files that exist.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverCalls } from '../../src/shared/domain/index.ts';
import { QUEUE_NAMES } from '../../src/queues/names.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('gong-fleet summarize/autopsy refuse bad input before enqueuing anything', () => {
  let fleet: TestFleet;
  let realCallId: string;
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY_MS);

  beforeAll(async () => {
    fleet = await startTestFleet({ sandbox: { callsPerAccount: 12 }, label: 'badin' });
    const found = await discoverCalls(fleet.services, { accountId: fleet.accountId, from, to });
    const first = found.calls[0];
    if (!first) throw new Error('sandbox account has no calls in the window');
    realCallId = first.metaData.id;
  });

  afterAll(async () => {
    await fleet?.close();
  });

  /** Keys a launched run would leave: BullMQ queues, run counters, reports. Governor keys are fine. */
  async function enqueuedKeys(prefix: string): Promise<string[]> {
    const keys = await fleet.redis.keys(`${prefix}:*`);
    const marks = [...QUEUE_NAMES, 'run', 'report'].map((n) => `${prefix}:${n}:`);
    return keys.filter((k) => marks.some((m) => k.startsWith(m)));
  }

  async function expectBadInput(args: string[], message: RegExp, env: Record<string, string> = {}): Promise<void> {
    const r = await runCli(args, { ...fleet.env, ...env }, 45_000);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(r.code, r.stderr).toBe(2);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^gong-fleet: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(await enqueuedKeys(fleet.prefix)).toEqual([]);
  }

  const window = () => ['--from', isoDay(from), '--to', isoDay(to)];

  // Each case is a separate CLI process that mostly waits on start-up; run them side by side.
  describe.concurrent('refusals', () => {
    it('unknown account', async () => {
      await expectBadInput(['summarize', '--account', 'no-such-account', ...window()], /unknown integrated account "no-such-account"; known accounts include /);
    });

    it('unknown deal suggests close names', async () => {
      await expectBadInput(['autopsy', '--account', fleet.accountId, '--deal', 'Globex Corp'], /no deal or account named "Globex Corp".*did you mean "Globex Corporation"/);
    });

    it("no calls in the window (Gong's 404)", async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, '--from', '2020-01-01', '--to', '2020-01-08'], /no calls between 2020-01-01.*No calls found/);
    });

    it('inverted dates', async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, '--from', isoDay(to), '--to', isoDay(from)], /--from \(.*\) must be before --to/);
    });

    it('unparsable --from', async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, '--from', 'last tuesday', '--to', isoDay(to)], /--from must be a date like 2026-11-01.*got "last tuesday"/);
    });

    it('unparsable --to', async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, '--from', isoDay(from), '--to', '2026-13-45'], /--to must be a date/);
    });

    it('--to in the future', async () => {
      const future = isoDay(new Date(Date.now() + 3 * DAY_MS));
      await expectBadInput(['summarize', '--account', fleet.accountId, '--from', isoDay(from), '--to', future], /--to .* is in the future/);
    });

    it('--call-ids not in the account names only the unknown ids', async () => {
      await expectBadInput(
        ['summarize', '--account', fleet.accountId, '--call-ids', `${realCallId},999999999999`],
        new RegExp(`--call-ids: not calls of account ${fleet.accountId}: 999999999999$`),
      );
    });

    it('--call-ids non-numeric', async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, '--call-ids', '123,abc'], /--call-ids must be numeric Gong call ids, got "123,abc"/);
    });

    it('missing TRUTO_API_KEY', async () => {
      await expectBadInput(['summarize', '--account', fleet.accountId, ...window()], /missing TRUTO_API_KEY/, { TRUTO_API_KEY: '' });
    });

  });

  it('happy path: summarize --local-worker --json exits 0 and its report files exist', async () => {
    const prefix = uniquePrefix('badin-ok');
    const out = mkdtempSync(join(tmpdir(), 'gf-cli-'));
    try {
      const r = await runCli(
        ['summarize', '--account', fleet.accountId, ...window(), '--local-worker', '--json', '--out', out],
        { ...fleet.env, GONG_FLEET_PREFIX: prefix },
        50_000,
      );
      expect(r.code, r.stderr).toBe(0);
      const printed = JSON.parse(r.stdout) as { plan: { calls: number }; report: { markdown: string; json: string }; stats: { missing: number } };
      expect(printed.plan.calls).toBeGreaterThan(0);
      expect(printed.stats.missing).toBe(0);
      expect(existsSync(printed.report.markdown)).toBe(true);
      const report = JSON.parse(readFileSync(printed.report.json, 'utf8')) as { calls: unknown[] };
      expect(report.calls.length).toBe(printed.plan.calls);
      expect(r.stdout + r.stderr).not.toContain(fleet.env.OPENAI_API_KEY);
    } finally {
      rmSync(out, { recursive: true, force: true });
      await deletePrefix(fleet.redis, prefix);
    }
  });
});
