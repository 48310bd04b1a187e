/**
 * An `ask` run survives its workers dying: real `gong-fleet worker` processes are killed with
 * SIGKILL twice during a multi-step run (scenario 2: seven model turns, one with parallel tool
 * calls). Another process picks the stalled step up, and the run answers completely, while the
 * sandbox's counters show that every model turn and every upstream request happened once, except
 * at most the one in flight at each kill (a turn re-sent counts in `repeatedTurns`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askStoreOf, startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { buildAskReport } from '../../src/reports/ask-model.ts';
import type { AskRun } from '../../src/shared/domain/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import { esc, mikeTeam } from '../sandbox/agent-expected.ts';

const QUESTION = 'Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.';
const KILLS = 2;

describe('ask survives kill -9 of its worker, twice', () => {
  let fleet: TestFleet;
  let current: WorkerProcess | undefined;
  const started: WorkerProcess[] = [];

  beforeAll(async () => {
    fleet = await startTestFleet({
      label: 'askk',
      // Slow model turns and requests, so a kill lands while something is in flight.
      sandbox: { llm: { latencyBaseMs: 700 }, faults: { latencyMs: 150 } },
      env: { WORKER_LOCK_DURATION_MS: '1500', LOG_LEVEL: 'error' },
    });
  });

  afterAll(async () => {
    await Promise.all(started.map((w) => (w.child.exitCode === null && w.child.signalCode === null ? w.stop() : undefined)));
    await fleet?.close();
  });

  /** Starts a worker process; it serves every queue. */
  async function spawnWorker(): Promise<void> {
    current = await startWorkerProcess(fleet.env, ['--concurrency', '4']);
    started.push(current);
  }

  async function until(runId: string, ok: (run: AskRun) => boolean): Promise<AskRun> {
    const store = askStoreOf(fleet.services);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await store.get(runId);
      if (run && (ok(run) || run.status !== 'running')) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} stuck at ${run?.turns.length} turns`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('answers completely; each model turn and upstream request happened once (but the ones in flight)', async () => {
    const coachingId = fleet.sandbox.world.accountIdOf('coaching');
    await spawnWorker();
    fleet.sandbox.resetStats();
    const { runId } = await startAsk(fleet.services, { accountId: coachingId, question: QUESTION });

    // Kill 1: turn 2's completion is stored and its tool call is going out.
    // Kill 2: a model call from turn 4 on is in flight (the sandbox answered a turn the run hasn't stored).
    const killPoints = [
      (run: AskRun) => run.turns.length >= 2,
      (run: AskRun) => run.turns.length >= 3 && fleet.sandbox.stats().agent.turns > run.turns.length,
    ];
    for (const point of killPoints) {
      const at = await until(runId, point);
      expect(at.status).toBe('running');
      await current!.kill();
      await spawnWorker();
    }
    const run = await waitForAsk(fleet.services, runId, { timeoutMs: 120_000 });
    expect(run.status, run.note).toBe('answered');
    const r = await buildAskReport(askStoreOf(fleet.services), run);

    // The answer is complete: every rep's numbers, as the world has them.
    const reps = mikeTeam(fleet.sandbox);
    const newReps = reps.filter((x) => x.isNew);
    const verdict = /\*\*Yes: (\d+) of (\d+) new reps/.exec(run.answer!)!;
    expect([Number(verdict[1]), Number(verdict[2])]).toEqual([newReps.filter((x) => x.listened < 5).length, newReps.length]);
    for (const x of reps) expect(run.answer).toMatch(new RegExp(`\\| ${esc(x.name)} \\| ${x.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${x.hosted} \\| ${x.listened} \\| ${x.cards} \\|`));

    // Model turns: each stored turn was answered once, plus at most one re-sent turn per kill.
    const agent = fleet.sandbox.stats().agent;
    expect(agent.repeatedTurns).toBeLessThanOrEqual(KILLS);
    expect(agent.turns).toBe(run.turns.length + agent.repeatedTurns);

    // Upstream requests: each tool call of the step log reached the sandbox once; at most one
    // request per kill was repeated (sent, then its worker died before storing the result).
    const byTool = fleet.sandbox.stats().requestsByTool;
    const called = new Map<string, number>();
    for (const s of r.steps) if (s.requests > 0) called.set(s.tool, (called.get(s.tool) ?? 0) + s.requests);
    let repeated = 0;
    for (const [tool, n] of called) {
      expect(byTool[tool] ?? 0, tool).toBeGreaterThanOrEqual(n);
      repeated += (byTool[tool] ?? 0) - n;
    }
    expect(Object.keys(byTool).sort()).toEqual([...called.keys()].sort());
    expect(repeated).toBeLessThanOrEqual(KILLS);
    expect(fleet.sandbox.stats().accounts[coachingId]!.rateLimited).toBe(0);
    // The kills really happened mid-run: three processes served it.
    expect(started.length).toBe(KILLS + 1);
  }, 180_000);
});
