/**
 * `ask` end to end on a real Redis and the real sandbox over HTTP, in the sandbox's default 16k
 * context window, with the fleet's workers: the seed article's six prompts and two scenarios
 * (sandbox names, docs/agent-protocol.md §6). Each test checks the tool calls in the run's step
 * log and the numbers and ids in the answer against the sandbox's world: the model computes them
 * only from the tool results the fleet delivered, so a match proves the fleet fetched and passed
 * on the right data. The write prompts stop for approval; approving makes exactly that write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFleetWorkers } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { askStoreOf, decideAsk, startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { buildAskReport, type AskReport } from '../../src/reports/ask-model.ts';
import { ACME, GLOBEX, INITECH } from '../../src/sandbox/gong/index.ts';
import { INITECH_FOLLOW_UP_TASK } from '../../src/sandbox/world/deals-account.ts';
import type { AskRun } from '../../src/shared/domain/index.ts';
import type { WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import {
  acmeBriefSteps, DAY, esc, globexFacts, implementationObjection, isoDay, johnDoeActivity, mikeTeam, mmss, sarahQ3, today,
} from '../sandbox/agent-expected.ts';

const CONTEXT = 16_384;
let fleet: TestFleet;
let workers: WorkerFleet;
let dealsId: string;
let coachingId: string;

beforeAll(async () => {
  fleet = await startTestFleet({ label: 'askp', sandbox: { crmProcessingMs: 0, llm: { contextWindowTokens: CONTEXT } } });
  workers = startFleetWorkers(fleet.services, loadConfig({}, fleet.env));
  dealsId = fleet.sandbox.world.accountIdOf('deals');
  coachingId = fleet.sandbox.world.accountIdOf('coaching');
});

afterAll(async () => {
  await workers?.close(5_000);
  await fleet?.close();
});

beforeEach(() => fleet.sandbox.resetStats());

async function ask(accountId: string, question: string, timeoutMs = 60_000): Promise<AskRun> {
  const run = await startAsk(fleet.services, { accountId, question });
  return waitForAsk(fleet.services, run.runId, { timeoutMs });
}

async function approve(run: AskRun, denyReason?: string): Promise<AskRun> {
  const { pending } = await decideAsk(fleet.services, { runId: run.runId, by: 'tester@test', ...(denyReason ? { denyReason } : {}) });
  return waitForAsk(fleet.services, run.runId, { timeoutMs: 60_000, decidedCallKey: pending.callKey });
}

const report = (run: AskRun): Promise<AskReport> => buildAskReport(askStoreOf(fleet.services), run);
const tools = (r: AskReport): string[] => r.steps.map((s) => s.tool);
const argsOf = (r: AskReport, tool: string): Record<string, unknown> => r.steps.find((s) => s.tool === tool)!.args;
/** Proxy requests the sandbox saw for an account since the last reset. */
const proxied = (accountId: string): number => fleet.sandbox.stats().accounts[accountId]?.requests ?? 0;
const num = (answer: string, re: RegExp): number => Number(re.exec(answer)?.[1] ?? NaN);

function expectHealthy(r: AskReport, accountId: string): void {
  expect(r.status).toBe('answered');
  expect(r.steps.every((s) => s.status === 'ok'), JSON.stringify(r.steps.filter((s) => s.status !== 'ok'))).toBe(true);
  // Every request went through the governor (no 429), the totals count exactly the requests the
  // sandbox saw, and every citation resolves.
  expect(fleet.sandbox.stats().accounts[accountId]?.rateLimited ?? 0).toBe(0);
  expect(r.totals.upstreamRequests).toBe(proxied(accountId));
  expect(r.citations.length).toBeGreaterThan(0);
  expect(r.citations.filter((c) => !c.known)).toEqual([]);
  expect(fleet.sandbox.stats().llm.rejectedContext).toBe(0);
}

describe('ask: the seed prompts in a 16k window', () => {
  it('activity aggregate: calls hosted vs call listens for John Doe', async () => {
    const john = fleet.sandbox.world.account(coachingId)!.users.find((u) => u.firstName === 'John' && u.lastName === 'Doe')!;
    const from = today() - 28 * DAY;
    const lastDay = today() - DAY;
    const { hosted, own } = johnDoeActivity(fleet.sandbox, from, lastDay);
    expect(hosted).toBeGreaterThan(own);
    const run = await ask(coachingId, `Pull the activity aggregate for John Doe from ${isoDay(from)} to ${isoDay(lastDay)}. How many calls did he host compared to his total call listens?`);
    const r = await report(run);
    expectHealthy(r, coachingId);
    expect(tools(r)[0]).toBe('list_all_gong_users');
    expect(argsOf(r, 'create_a_gong_activity_aggregate_by_period')).toMatchObject({ filter: { userIds: [john.id] } });
    expect(num(r.answer!, /Calls hosted: \*\*(\d+)\*\*/)).toBe(hosted);
    expect(num(r.answer!, /Call listens: \*\*(\d+)\*\*/)).toBe(own);
    expect(num(r.answer!, /hosted (\d+) calls more/)).toBe(hosted - own);
  });

  it("deal brief: Acme Corp's next steps from Gong's brief", async () => {
    const account = fleet.sandbox.world.account(dealsId)!;
    const acme = fleet.sandbox.world.findDeal(dealsId, ACME)!;
    const { steps, calls } = acmeBriefSteps(fleet.sandbox);
    const run = await ask(dealsId, 'Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.');
    const r = await report(run);
    expectHealthy(r, dealsId);
    expect(tools(r)[0]).toBe('list_all_gong_calls');
    expect(argsOf(r, 'list_all_gong_entities_get_briefs')).toMatchObject({ crmEntityType: 'DEAL', crmEntityId: acme.crmId, workspaceId: account.workspaceId });
    for (const s of steps) expect(r.answer).toContain(s); // the brief's sentences, delivered from Gong
    expect(num(r.answer!, /(\d+) calls searched/)).toBe(calls);
    for (const t of account.tasks.filter((x) => x.dealCrmId === acme.crmId && x.status === 'OPEN')) expect(r.answer).toContain(t.title);
    // The brief's result is cited and holds the deal's call ids.
    const briefRef = r.steps.find((s) => s.tool === 'list_all_gong_entities_get_briefs')!.ref;
    expect(r.citations.find((c) => c.ref === briefRef)?.tool).toBe('list_all_gong_entities_get_briefs');
  });

  it('transcript: too long to show, so the map-reduce pipeline summarizes it; the objection is cited at its moment', async () => {
    const fact = implementationObjection(fleet.sandbox);
    const run = await ask(dealsId, `Retrieve the transcript for call ID ${fact.callId} and summarize the customer's objections regarding implementation timelines.`, 120_000);
    const r = await report(run);
    expectHealthy(r, dealsId);
    // Transcript and parties in one turn (sibling jobs), then the built-in.
    const first = r.steps.filter((s) => s.step === 1).map((s) => s.tool).sort();
    expect(first).toEqual(['create_a_gong_calls_extensive', 'create_a_gong_calls_transcript']);
    expect(r.steps.find((s) => s.tool === 'create_a_gong_calls_transcript')!.shown).toMatch(/^\d+ of \d+ chars$/);
    expect(argsOf(r, 'summarize_calls')).toEqual({ call_ids: [fact.callId] });
    const evidence = new RegExp(`\\[(r\\d+):${fact.callId}@${esc(mmss(fact.startMs))}\\]`);
    expect(r.answer).toMatch(evidence);
    const cited = r.citations.find((c) => c.callId === fact.callId && c.at === mmss(fact.startMs));
    expect(cited).toMatchObject({ known: true, tool: 'summarize_calls' });
    expect(r.totals.pipelinePromptTokens).toBeGreaterThan(0);
  });

  it("coaching metrics for Sarah Smith in Q3: each rep's first and last 'Pricing Discovery' score", async () => {
    const account = fleet.sandbox.world.account(coachingId)!;
    const sarah = account.users.find((u) => u.firstName === 'Sarah' && u.lastName === 'Smith')!;
    const expected = sarahQ3(fleet.sandbox);
    const run = await ask(coachingId, "Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on the 'Pricing Discovery' scorecard?");
    const r = await report(run);
    expectHealthy(r, coachingId);
    expect([...new Set(tools(r).filter((n) => n !== 'read_result'))]).toEqual(['list_all_gong_users', 'list_all_gong_workspaces', 'list_all_gong_coachings', 'list_all_gong_activity_scorecards']);
    expect(argsOf(r, 'list_all_gong_coachings')).toMatchObject({ 'manager-id': sarah.id, 'workspace-id': account.workspaceId });
    // The scorecards were too big to show at once: read on in slices sized to the budget.
    expect(tools(r).filter((n) => n === 'read_result').length).toBeGreaterThan(0);
    expect(num(r.answer!, /listened to (\d+) calls/)).toBe(expected.listened);
    const fmt = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2));
    for (const e of expected.reps) expect(r.answer).toMatch(new RegExp(`\\| ${esc(e.name)} \\| ${e.count} \\| ${esc(fmt(e.first))} \\| ${esc(fmt(e.last))} \\|`));
    const scored = expected.reps.filter((e) => e.count >= 2);
    const improved = /\*\*(\d+) of (\d+) reps improved\*\*/.exec(r.answer!)!;
    expect([Number(improved[1]), Number(improved[2])]).toEqual([scored.filter((e) => e.trend === 'improving').length, scored.length]);
  });

  it('task update: waits for approval with the exact request; approving makes exactly that write', async () => {
    const account = fleet.sandbox.world.account(dealsId)!;
    const task = account.tasks.find((t) => t.title === INITECH_FOLLOW_UP_TASK)!;
    expect(fleet.sandbox.world.findDeal(dealsId, INITECH)!.crmId).toBe(task.dealCrmId);
    expect(task.status).toBe('OPEN');
    const patches = () => fleet.sandbox.stats().accounts[dealsId]?.byPath['PATCH /proxy/tasks/:id'] ?? 0;
    const waiting = await ask(dealsId, 'Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract was sent.');
    expect(waiting.status).toBe('awaiting-approval');
    expect(waiting.pending).toMatchObject({ tool: 'update_a_gong_task_by_id', args: { id: task.id, userId: task.userId, status: 'DONE' } });
    expect(patches()).toBe(0);
    expect(task.status).toBe('OPEN');

    const done = await approve(waiting);
    const r = await report(done);
    expectHealthy(r, dealsId);
    expect(patches()).toBe(1);
    expect(task.status).toBe('DONE');
    expect(r.decisions).toMatchObject([{ decision: 'approved', tool: 'update_a_gong_task_by_id', by: 'tester@test' }]);
    expect(r.answer).toContain(task.id);
  });

  it('CRM update: uploads the stage as one LDJSON line after approval, then checks the request until DONE', async () => {
    const account = fleet.sandbox.world.account(dealsId)!;
    const acme = fleet.sandbox.world.findDeal(dealsId, ACME)!;
    const uploads = () => fleet.sandbox.stats().accounts[dealsId]?.byPath['POST /proxy/crm_entities'] ?? 0;
    const waiting = await ask(dealsId, "Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Negotiation', using client request ID 99281. Then check the status of that request.");
    expect(waiting.status).toBe('awaiting-approval');
    expect(waiting.pending).toMatchObject({ tool: 'create_a_gong_crm_entity', args: { integrationId: account.integration.integrationId, objectType: 'DEAL', clientRequestId: '99281' } });
    expect(JSON.parse(String(waiting.pending!.args.dataFile).trim())).toMatchObject({ objectId: acme.crmId, stage: 'Negotiation', accountId: acme.accountCrmId });
    expect(uploads()).toBe(0);

    const done = await approve(waiting);
    const r = await report(done);
    expectHealthy(r, dealsId);
    expect(uploads()).toBe(1);
    expect(tools(r).indexOf('list_all_gong_crm_request_status')).toBeGreaterThan(tools(r).indexOf('create_a_gong_crm_entity'));
    // The stage really changed in Gong (read through the governed client: the account is at its 3/s).
    const entities = await fleet.services.truto.collectAll(dealsId, 'list_all_gong_crm_entities', { integrationId: account.integration.integrationId, objectType: 'DEAL', objectsCrmIds: [acme.crmId] });
    expect((entities[0] as { stage: string }).stage).toBe('Negotiation');
  });

  it("scenario 1: the Globex autopsy goes to deal_autopsy (the fleet's pipeline); tasks and calls counted from the world", async () => {
    const facts = globexFacts(fleet.sandbox);
    const run = await ask(dealsId, "Analyze the stalled 'Globex Corporation' deal. Find all calls from the last 30 days, read the transcripts to identify objections, check if the rep completed their Engage follow-up tasks, and generate a summary report.", 240_000);
    const r = await report(run);
    expectHealthy(r, dealsId);
    expect(r.steps[0]).toMatchObject({ step: 1, tool: 'deal_autopsy', args: { deal: GLOBEX, days: 30 } });
    expect(num(r.answer!, /across (\d+) calls/)).toBe(facts.calls);
    expect(r.answer).toContain(facts.counts);
    // Every quote is cited at a moment of one of the deal's calls, found in the pipeline's result.
    const globexCalls = new Set(fleet.sandbox.world.account(dealsId)!.calls.filter((c) => c.dealCrmId === fleet.sandbox.world.findDeal(dealsId, GLOBEX)!.crmId).map((c) => c.id));
    const evidence = r.citations.filter((c) => c.callId);
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) {
      expect(globexCalls.has(e.callId!)).toBe(true);
      const starts = fleet.sandbox.world.transcript(e.callId!)!.flatMap((m) => m.sentences.map((s) => mmss(s.start)));
      expect(starts).toContain(e.at);
    }
  });

  it("scenario 2: Mike's new reps with fewer than 5 calls listened to, from coaching, activity and join dates", async () => {
    const reps = mikeTeam(fleet.sandbox);
    const newReps = reps.filter((x) => x.isNew);
    const flagged = newReps.filter((x) => x.listened < 5);
    expect(flagged.length).toBeGreaterThan(0);
    const run = await ask(coachingId, 'Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.');
    const r = await report(run);
    expectHealthy(r, coachingId);
    // The aggregate and the join dates in one turn: sibling jobs.
    const parallel = r.steps.filter((s) => s.tool === 'create_a_gong_activity_aggregate_by_period' || s.tool === 'create_a_gong_users_extensive');
    expect(parallel.length).toBe(2);
    expect(parallel[0]!.step).toBe(parallel[1]!.step);
    const verdict = /\*\*Yes: (\d+) of (\d+) new reps/.exec(r.answer!)!;
    expect([Number(verdict[1]), Number(verdict[2])]).toEqual([flagged.length, newReps.length]);
    for (const x of reps) expect(r.answer).toMatch(new RegExp(`\\| ${esc(x.name)} \\| ${x.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${x.hosted} \\| ${x.listened} \\| ${x.cards} \\|`));
  });

  it('never sent a prompt over the 16k window', () => {
    expect(fleet.sandbox.llmStats().rejectedContext).toBe(0);
    expect(fleet.sandbox.llmStats().maxPromptTokensSeen).toBeLessThanOrEqual(CONTEXT);
  });
});
