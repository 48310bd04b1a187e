/**
 * Issue 11's "done when", end to end: the fleet pointed at a model with an 8,000-token window
 * and a tokenizer that is not its own, told nothing (no OPENAI_CONTEXT_TOKENS, no LLM limits),
 * two worker processes, 60+ hour-long calls, for `summarize` and `autopsy`. Every call must be
 * in the report, no call missing for context reasons, the reduce must complete, and the model
 * may refuse at most one prompt per worker process (before the window is learned).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { planAutopsy } from '../../src/producers/autopsy.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import type { RunReport } from '../../src/reports/model.ts';
import { GLOBEX } from '../../src/sandbox/gong/index.ts';
import type { LlmOptions } from '../../src/sandbox/llm/options.ts';
import type { RunPlan } from '../../src/shared/domain/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';

const WINDOW = 8_000;
const WORKERS = 2;

let fleet: TestFleet | undefined;
let workers: WorkerProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
  await fleet?.close();
  fleet = undefined;
});

async function run(llm: LlmOptions, plan: (f: TestFleet) => Promise<RunPlan>, extraGlobexCalls = 0): Promise<{ report: RunReport; plan: RunPlan }> {
  fleet = await startTestFleet({
    sandbox: { callsPerAccount: 64, llm: { contextWindowTokens: WINDOW, latencyBaseMs: 0, latencyPerOutputTokenMs: 0, ...llm } },
    label: 'llm11',
  });
  expect(fleet.env.OPENAI_CONTEXT_TOKENS).toBeUndefined();
  expect(fleet.env.LLM_TOKENS_PER_MINUTE).toBeUndefined();
  const deals = fleet.sandbox.world.accountIdOf('deals');
  if (extraGlobexCalls > 0) {
    const deal = fleet.sandbox.world.findDeal(deals, GLOBEX);
    fleet.sandbox.world.addCalls(deals, extraGlobexCalls, deal ? { deal } : {});
  }
  workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorkerProcess(fleet!.env, ['--concurrency', '4'])));
  const p = await plan(fleet);
  expect(p.calls.length).toBeGreaterThanOrEqual(60);
  const runId = await launchRun(fleet.services, p);
  return { report: await waitForReport(fleet.services, runId, { timeoutMs: 240_000 }), plan: p };
}

function expectComplete(report: RunReport, plan: RunPlan, f: TestFleet): void {
  // Every call is in the report, summarized; none missing (for context reasons or any other).
  expect(report.calls.map((c) => c.callId).sort()).toEqual(plan.calls.map((c) => c.callId).sort());
  expect(report.stats.missing).toBe(0);
  expect(report.calls.filter((c) => c.status !== 'summarized')).toEqual([]);
  // Hour-long calls do not fit an 8k window: they were split.
  expect(report.calls.filter((c) => (c.chunks ?? 1) > 1).length).toBeGreaterThan(plan.calls.length / 2);
  // The reduce completed with the model: cited points, no merge left to code, no invented citation.
  const points = Object.values(report.sections).flat();
  expect(points.length).toBeGreaterThan(0);
  expect(report.stats.reduceLlmCalls).toBeGreaterThan(1);
  expect(report.stats.reduceLocalMerges).toBe(0);
  expect(report.stats.droppedCitations).toBe(0);
  // At most one refusal per worker process, and every answered prompt fit the window.
  const llm = f.sandbox.llmStats();
  expect(llm.rejectedContext + llm.truncatedPrompts).toBeLessThanOrEqual(WORKERS);
  expect(report.stats.maxPromptTokens).toBeLessThan(WINDOW);
}

describe('a model the fleet is told nothing about: 8,000-token window, foreign tokenizer, 2 workers', () => {
  it('summarize, chars3 tokenizer, no models info (the window comes from the first refusal)', async () => {
    const { report, plan } = await run({ tokenizer: 'chars3', modelsInfo: 'openai' }, (f) => {
      const to = new Date();
      return planSummarize(f.services, { accountId: f.sandbox.world.accountIdOf('deals'), from: new Date(to.getTime() - 30 * 86_400_000), to });
    });
    expectComplete(report, plan, fleet!);
    expect(fleet!.sandbox.llmStats().rejectedContext).toBeGreaterThanOrEqual(1); // it did have to learn
  }, 300_000);

  it('autopsy of 60+ calls, llama.cpp (window from /props, chars3, refuses on the prompt alone)', async () => {
    const { report, plan } = await run({ profile: 'llamacpp' }, (f) => planAutopsy(f.services, { accountId: f.sandbox.world.accountIdOf('deals'), deal: GLOBEX }), 50);
    expectComplete(report, plan, fleet!);
  }, 300_000);

  it('summarize, vLLM (window from max_model_len, chars4, ≥ 0.10 errors)', async () => {
    const { report, plan } = await run({ profile: 'vllm' }, (f) => {
      const to = new Date();
      return planSummarize(f.services, { accountId: f.sandbox.world.accountIdOf('deals'), from: new Date(to.getTime() - 30 * 86_400_000), to });
    });
    expectComplete(report, plan, fleet!);
  }, 300_000);
});
