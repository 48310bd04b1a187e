/**
 * `gong-fleet doctor` through the real bin against the sandbox over HTTP: capability → tool →
 * status and per-workflow verdicts; exit 0 when summarize can run, 1 when it cannot (an account
 * whose transcripts tool is absent, or listed but refused with 403), 2 for an unknown account.
 * Absent is reported as absent (its scope a likely cause), forbidden names the scope as a fact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/producers/doctor.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';

describe('gong-fleet doctor', () => {
  let fleet: TestFleet;
  let unscoped: TestFleet;
  let restricted: string;
  const doctor = (f: TestFleet, account: string, extra: string[] = []) => runCli(['doctor', '--account', account, ...extra], f.env, 45_000);

  beforeAll(async () => {
    // A restricted account lacks api:calls:read:transcript; by default /tools hides what its scopes
    // don't allow, and with listUnscopedTools it lists the tool, which then answers 403.
    [fleet, unscoped] = await Promise.all([
      startTestFleet({ label: 'doc', sandbox: { callsPerAccount: 8 } }),
      startTestFleet({ label: 'doc403', sandbox: { callsPerAccount: 8, truto: { listUnscopedTools: true } } }),
    ]);
    restricted = fleet.sandbox.world.accountIdOf('restricted');
  });

  afterAll(async () => {
    await Promise.all([fleet?.close(), unscoped?.close()]);
  });

  it('prints every capability with its tool and status, and every workflow: exit 0 on a full account', async () => {
    fleet.sandbox.resetStats();
    const res = await doctor(fleet, fleet.accountId);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^transcripts by call ids \(read\)\s+create_a_gong_calls_transcript\s+ok$/m);
    expect(res.stdout).toMatch(/^CRM upload \(write\)\s+create_a_gong_crm_entity\s+present \(not exercised\)$/m);
    expect(res.stdout).toMatch(/^summarize\s+runs fully$/m);
    // One cheap read per read capability at most, and never a write.
    const stats = fleet.sandbox.stats();
    expect(stats.requestsByTool['create_a_gong_crm_entity'] ?? 0).toBe(0);
    expect(stats.requestsByTool['update_a_gong_task_by_id'] ?? 0).toBe(0);
    for (const [name, n] of Object.entries(stats.requestsByTool)) expect(n, name).toBeLessThanOrEqual(2); // a 429 may repeat one
  });

  it('an absent transcripts tool: reported absent with closest tools and a likely scope; exit 1', async () => {
    const res = await doctor(fleet, restricted, ['--json']);
    expect(res.code, res.stderr).toBe(1);
    const r = JSON.parse(res.stdout) as DoctorReport;
    expect(r.summarizeCanRun).toBe(false);
    const t = r.checks.find((c) => c.id === 'transcripts')!;
    expect(t).toMatchObject({ status: 'absent', likelyScope: 'api:calls:read:transcript' });
    expect(t.closest?.length).toBeGreaterThan(0);
    const summarize = r.workflows.find((w) => w.workflow === 'summarize')!;
    expect(summarize.verdict).toBe('cannot');
    expect(summarize.notes.join(' ')).toContain('usually needs api:calls:read:transcript');
    // And summarize itself refuses before enqueuing, saying the tool is absent, not that a scope is missing.
    const err = await planSummarize(fleet.services, { accountId: restricted, from: new Date(Date.now() - 30 * 86_400_000), to: new Date() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/^summarize cannot read transcripts: integrated account \S+ lists no tool for transcripts by call ids/);
    expect((err as Error).message).toContain('likely cause (not confirmed)');
  });

  it('a listed tool that answers 403: forbidden, with the scope Truto names as a fact; exit 1', async () => {
    const res = await doctor(unscoped, unscoped.sandbox.world.accountIdOf('restricted'));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^transcripts by call ids \(read\)\s+create_a_gong_calls_transcript\s+forbidden \(api:calls:read:transcript\)$/m);
    expect(res.stdout).toMatch(/^summarize\s+cannot run: cannot read transcripts: create_a_gong_calls_transcript is forbidden: missing scope api:calls:read:transcript$/m);
  });

  it('an unknown account is bad input: one line, exit 2', async () => {
    const res = await doctor(fleet, 'no-such-account');
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/unknown integrated account "no-such-account"/);
  });
});
