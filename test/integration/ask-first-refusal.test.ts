/**
 * `ask` as a new user runs it: the sandbox's default 16k model, nothing told about it (its
 * /v1/models names no window), so the fleet assumes a large window and the agent's first long
 * conversation is refused for context length. The step re-sizes the turn (the tool list compacted,
 * the results the model has not read yet shown in smaller slices) and asks again: the run answers
 * correctly, the refused turn is never stored or answered twice, and the window is learned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetWorkers } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { ASSUMED_CONTEXT_TOKENS } from '../../src/shared/upstream/index.ts';
import type { WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { esc, sarahQ3 } from '../sandbox/agent-expected.ts';

const CONTEXT = 16_384;
let fleet: TestFleet;
let workers: WorkerFleet;

beforeAll(async () => {
  fleet = await startTestFleet({ label: 'askref', sandbox: { llm: { contextWindowTokens: CONTEXT } } });
  workers = startFleetWorkers(fleet.services, loadConfig({}, fleet.env));
});

afterAll(async () => {
  await workers?.close(5_000);
  await fleet?.close();
});

describe('ask on a model the fleet knows nothing about', () => {
  it('survives the first context refusal: re-sized, asked again, answered; nothing asked twice', async () => {
    expect(fleet.env.OPENAI_CONTEXT_TOKENS).toBeUndefined();
    expect((await fleet.services.llm!.budget()).window).toMatchObject({ tokens: ASSUMED_CONTEXT_TOKENS, confirmed: false });
    const coachingId = fleet.sandbox.world.accountIdOf('coaching');
    const expected = sarahQ3(fleet.sandbox);
    // The longest of the seed prompts: a quarter's scorecards read in slices, ~15k tokens at the end.
    const started = await startAsk(fleet.services, {
      accountId: coachingId,
      question: "Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on the 'Pricing Discovery' scorecard?",
    });
    // Sized for the assumed window: the whole tool list, descriptions and all.
    expect(started.toolsNote).toBeUndefined();
    const run = await waitForAsk(fleet.services, started.runId, { timeoutMs: 90_000 });

    expect(run.status).toBe('answered');
    const fmt = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2));
    for (const e of expected.reps) expect(run.answer).toMatch(new RegExp(`\\| ${esc(e.name)} \\| ${e.count} \\| ${esc(fmt(e.first))} \\| ${esc(fmt(e.last))} \\|`));

    const llm = fleet.sandbox.llmStats();
    const agent = fleet.sandbox.stats().agent;
    // One refusal, of an agent turn (every model request carried tools); every other request answered.
    expect(llm.rejectedContext).toBe(1);
    expect(llm.requests).toBe((llm.bySchema['tools'] ?? 0) + 1);
    // Each stored turn was answered once: the refused one was asked again re-sized, not repeated.
    expect(agent.turns).toBe(run.turns.length);
    expect(agent.repeatedTurns).toBe(0);
    // Re-sized for the learned window: the tool list compacted, every later prompt within it.
    expect(run.toolsNote).toMatch(/compacted/);
    for (const t of run.turns) expect(t.promptTokens).toBeLessThanOrEqual(CONTEXT - 1_024);
    expect((await fleet.services.llm!.budget()).window).toEqual({ tokens: CONTEXT, confirmed: true, source: 'refusal' });
  });
});
