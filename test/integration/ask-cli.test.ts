/**
 * `gong-fleet ask` through the real CLI (`bin/gong-fleet.mjs` in a child process) against the
 * sandbox and a real Redis. Bad input exits 2 with one `gong-fleet: …` line and nothing stored or
 * enqueued; an answered question exits 0 with one JSON object and report files that hold the step
 * log; a run cut short by --max-steps exits 1 and says so; no secret appears in the output, the
 * report or the run's record.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../src/queues/names.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';
import { DAY, isoDay, johnDoeActivity, today } from '../sandbox/agent-expected.ts';

describe('gong-fleet ask on the command line', () => {
  let fleet: TestFleet;
  let out: string;
  let coachingId: string;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'askc' });
    coachingId = fleet.sandbox.world.accountIdOf('coaching');
    out = mkdtempSync(join(tmpdir(), 'gf-ask-cli-'));
  });

  afterAll(async () => {
    await fleet?.close();
    rmSync(out, { recursive: true, force: true });
  });

  /** Keys a started run would leave: BullMQ queues, agent runs. Governor keys are fine. */
  async function storedKeys(): Promise<string[]> {
    const keys = await fleet.redis.keys(`${fleet.prefix}:*`);
    const marks = [...QUEUE_NAMES, 'ask'].map((n) => `${fleet.prefix}:${n}:`);
    return keys.filter((k) => marks.some((m) => k.startsWith(m)));
  }

  async function expectBadInput(args: string[], message: RegExp): Promise<void> {
    const r = await runCli(['ask', ...args, '--out', out], fleet.env, 45_000);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(r.code, r.stderr).toBe(2);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^gong-fleet: /);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
    expect(await storedKeys()).toEqual([]);
  }

  describe.concurrent('refusals', () => {
    it('unknown account', async () => {
      await expectBadInput(['--account', 'no-such-account', 'How many calls did John Doe host?'], /unknown integrated account "no-such-account"/);
    });
    it('empty question', async () => {
      await expectBadInput(['--account', coachingId, '   '], /the question is empty/);
    });
    it('bad --max-steps', async () => {
      await expectBadInput(['--account', coachingId, '--max-steps', 'lots', 'How many calls?'], /--max-steps must be a whole number from 1 to 100, got "lots"/);
    });
    it('--max-steps out of range', async () => {
      await expectBadInput(['--account', coachingId, '--max-steps', '0', 'How many calls?'], /--max-steps must be a whole number from 1 to 100, got 0/);
    });
  });

  const question = () => `Pull the activity aggregate for John Doe from ${isoDay(today() - 28 * DAY)} to ${isoDay(today() - DAY)}. How many calls did he host compared to his total call listens?`;

  it('answers: exit 0, one JSON object, report files with the step log; no secret anywhere', async () => {
    const r = await runCli(['ask', '--account', coachingId, question(), '--local-worker', '--json', '--out', out], fleet.env, 90_000);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as { runId: string; status: string; answer: string; pending: unknown; steps: Array<{ tool: string; status: string; ref: string }>; report: { markdown: string; json: string } };
    expect(printed.status).toBe('answered');
    expect(printed.pending).toBeNull();
    expect(printed.steps.map((s) => s.tool)).toContain('create_a_gong_activity_aggregate_by_period');
    const { hosted } = johnDoeActivity(fleet.sandbox, today() - 28 * DAY, today() - DAY);
    expect(Number(/Calls hosted: \*\*(\d+)\*\*/.exec(printed.answer)?.[1])).toBe(hosted);
    // Progress went to stderr, step by step.
    expect(r.stderr).toMatch(/step 1 · model: 1 tool call/);
    expect(r.stderr).toMatch(/list_all_gong_users → ok \[r1\]/);
    const md = readFileSync(printed.report.markdown, 'utf8');
    expect(md).toContain('## Step log');
    for (const s of printed.steps) expect(md).toContain(`\`${s.tool}\``);
    expect(existsSync(printed.report.json)).toBe(true);
    const record = await fleet.redis.get(`${fleet.prefix}:ask:${printed.runId}`);
    for (const text of [r.stdout, r.stderr, md, readFileSync(printed.report.json, 'utf8'), record ?? '']) {
      expect(text).not.toContain(fleet.env.OPENAI_API_KEY);
      expect(text).not.toContain(fleet.env.TRUTO_API_KEY);
    }
  });

  it('--max-steps reached: exit 1, and the partial answer says so', async () => {
    const r = await runCli(['ask', '--account', coachingId, question(), '--max-steps', '2', '--local-worker', '--json', '--out', out], fleet.env, 90_000);
    expect(r.code, r.stderr).toBe(1);
    const printed = JSON.parse(r.stdout) as { status: string; answer: string; steps: unknown[] };
    expect(printed.status).toBe('failed');
    expect(printed.answer).toContain('Partial answer: the run reached --max-steps 2');
    expect(printed.steps).toHaveLength(1);
  });
});
