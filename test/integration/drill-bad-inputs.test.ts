/**
 * The bad-input drill as a test: the catalogue in `bench/drills/bad-inputs.ts` (at least 20 cases
 * over every command, config errors included) through the real CLI against the sandbox and a real
 * Redis. Each case must exit 2 with one clear line, no stack, nothing on stdout and nothing enqueued.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badInputCatalogue, runCatalogue, type CaseOutcome } from '../../bench/drills/bad-inputs.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('bad-input drill', () => {
  let fleet: TestFleet;
  let dir: string;
  let outcomes: CaseOutcome[];

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'drill-badin', sandbox: { callsPerAccount: 12 } });
    dir = mkdtempSync(join(tmpdir(), 'gf-drill-badin-'));
    outcomes = await runCatalogue(badInputCatalogue({ accountId: fleet.accountId, dir }), fleet.env, fleet.redis, 4);
    // 20+ CLI processes: minutes when other suites share the two cores. A hang limit, not a target.
  }, 240_000);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await fleet?.close();
  });

  it('covers at least 20 cases over every command and the config', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(20);
    const commands = new Set(outcomes.map((o) => o.case.command));
    for (const c of ['sandbox', 'worker', 'dashboard', 'summarize', 'autopsy', 'sweep', 'schedule', 'crm-sync', 'tasks', 'demo', 'config']) {
      expect(commands, c).toContain(c);
    }
  });

  it('every case: exit 2, one clear line, no stack, nothing on stdout, nothing enqueued', () => {
    const failures = outcomes
      .filter((o) => o.problems.length > 0)
      .map((o) => `${o.case.command} / ${o.case.name}: ${o.problems.join('; ')} | stderr: ${o.stderrLines.join(' / ')}`);
    expect(failures).toEqual([]);
    for (const o of outcomes) {
      expect(o.code).toBe(2);
      expect(o.enqueuedKeys).toEqual([]);
    }
  });
});
