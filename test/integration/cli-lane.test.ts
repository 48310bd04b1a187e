/**
 * `--lane` through the real CLI: a bad lane exits 2 with one line naming the choices before
 * anything is planned or enqueued (no keys under the fleet's prefix).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/processes.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('gong-fleet --lane', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'clilane', sandbox: { callsPerAccount: 8 } });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it.each([
    ['summarize', ['--from', '2026-11-01', '--to', '2026-11-20', '--lane', 'fast']],
    ['autopsy', ['--deal', 'Globex', '--lane', 'urgent']],
    ['sweep', ['--lane', 'scheduled']],
  ])('%s refuses a lane a person cannot pick', async (command, args) => {
    const r = await runCli([command, '--account', fleet.accountId, ...args], fleet.env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--lane must be one of interactive\|bulk/);
    expect(await fleet.redis.keys(`${fleet.prefix}:*`)).toEqual([]);
  });
});
