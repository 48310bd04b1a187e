/**
 * The seed article's six prompts and two scenarios, phrased with the sandbox's names, run through
 * the sandbox model's tool calling by a hand-driven fleet (agent-harness.ts) over HTTP, on the
 * default ("full") Truto profile. Each test checks the tool sequence and that the answer's numbers
 * and quotes equal the world's data (agent-expected.ts): the planner computes its answer only from
 * tool results, so a match proves the data went through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, INITECH } from '../../src/sandbox/gong/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { INITECH_FOLLOW_UP_TASK } from '../../src/sandbox/world/deals-account.ts';
import {
  acmeBriefSteps, DAY, esc, globexFacts, implementationObjection, isoDay, johnDoeActivity, mikeRow, mikeTeam, mikeVerdict,
  mmss, sarahQ3, today, trendRow, trendVerdict,
} from './agent-expected.ts';
import { runAgent, type AgentRun } from './agent-harness.ts';

let sb: Sandbox;
let dealsId: string;
let coachingId: string;

beforeAll(async () => {
  sb = await startSandbox({
    gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, trutoPerTokenPer10s: 100_000, crmProcessingMs: 0,
    llm: { latencyBaseMs: 0, latencyPerOutputTokenMs: 0, contextWindowTokens: 128_000 },
  });
  dealsId = sb.world.accountIdOf('deals');
  coachingId = sb.world.accountIdOf('coaching');
});

afterAll(async () => {
  await sb?.close();
});

const names = (run: AgentRun): string[] => run.steps.map((s) => s.name);
const argsOf = (run: AgentRun, name: string): Record<string, unknown> => run.steps.find((s) => s.name === name)!.args;

describe('the seed prompts', () => {
  it('activity aggregate: calls hosted vs call listens for John Doe, from the aggregate', async () => {
    const john = sb.world.account(coachingId)!.users.find((u) => u.firstName === 'John' && u.lastName === 'Doe')!;
    const from = today() - 28 * DAY;
    const lastDay = today() - DAY;
    const { hosted, own } = johnDoeActivity(sb, from, lastDay);
    expect(hosted).toBeGreaterThan(own);
    expect(own).toBeGreaterThan(0);

    const run = await runAgent(`Pull the activity aggregate for John Doe from ${isoDay(from)} to ${isoDay(lastDay)}. How many calls did he host compared to his total call listens?`, { sandbox: sb, accountId: coachingId });
    expect(names(run)[0]).toBe('list_all_gong_users');
    expect(names(run).at(-1)).toBe('create_a_gong_activity_aggregate_by_period');
    expect(names(run).slice(1, -1).every((n) => n === 'read_result')).toBe(true);
    expect(argsOf(run, 'create_a_gong_activity_aggregate_by_period')).toEqual({
      filter: { fromDate: isoDay(from), toDate: isoDay(lastDay + DAY), userIds: [john.id] }, aggregationPeriod: 'MONTH',
    });
    expect(run.answer).toContain(`Calls hosted: **${hosted}**`);
    expect(run.answer).toContain(`Call listens: **${own}** in total (${own} of their own calls, 0 of other people's calls)`);
    expect(run.answer).toContain(`hosted ${hosted - own} calls more than they listened to`);
  });

  it("deal brief: Acme Corp's next steps for the technical evaluation, from Gong's brief", async () => {
    const account = sb.world.account(dealsId)!;
    const acme = sb.world.findDeal(dealsId, ACME)!;
    const { steps, calls } = acmeBriefSteps(sb);
    const technical = steps.filter((s) => /technical|deep dive/i.test(s));
    expect(technical.length).toBeGreaterThan(0);
    expect(steps.length).toBeGreaterThan(technical.length);

    const run = await runAgent('Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.', { sandbox: sb, accountId: dealsId });
    expect(names(run)[0]).toBe('list_all_gong_calls');
    expect(names(run)).toContain('create_a_gong_task');
    expect(argsOf(run, 'list_all_gong_entities_get_briefs')).toMatchObject({ crmEntityType: 'DEAL', crmEntityId: acme.crmId, workspaceId: account.workspaceId });
    const [techPart, otherPart] = run.answer.split('**Other next steps in the brief:**');
    for (const s of technical) expect(techPart).toContain(`"${s}"`);
    for (const s of steps.filter((x) => !technical.includes(x))) expect(otherPart).toContain(`"${s}"`);
    expect(run.answer).toContain(`(stage: ${acme.stage})`);
    expect(run.answer).toContain(`${calls} calls searched`);
    for (const t of account.tasks.filter((x) => x.dealCrmId === acme.crmId && x.status === 'OPEN')) expect(run.answer).toContain(`'${t.title}'`);
  });

  it('transcript: a long transcript shown truncated goes to summarize_calls; the objection is cited at its timestamp', async () => {
    const fact = implementationObjection(sb);
    const run = await runAgent(`Retrieve the transcript for call ID ${fact.callId} and summarize the customer's objections regarding implementation timelines.`, { sandbox: sb, accountId: dealsId });
    expect(run.turnCalls).toEqual([['create_a_gong_calls_transcript', 'create_a_gong_calls_extensive'], ['summarize_calls']]);
    expect(argsOf(run, 'create_a_gong_calls_transcript')).toEqual({ filter: { callIds: [fact.callId] } });
    expect(argsOf(run, 'summarize_calls')).toEqual({ call_ids: [fact.callId] });
    expect(run.answer).toMatch(new RegExp(`"${esc(fact.text)}" \\[r\\d+:${fact.callId}@${mmss(fact.startMs)}\\]`));
  });

  it('transcript: shown whole, the model reads it itself and names the customer', async () => {
    const fact = implementationObjection(sb);
    const run = await runAgent(`Retrieve the transcript for call ID ${fact.callId} and summarize the customer's objections regarding implementation timelines.`, { sandbox: sb, accountId: dealsId, maxResultChars: 1_000_000 });
    expect(names(run)).not.toContain('summarize_calls');
    const ref = run.steps.find((s) => s.name === 'create_a_gong_calls_transcript')!.ref;
    expect(run.answer).toContain(`- ${fact.speaker} (customer): "${fact.text}" [${ref}:${fact.callId}@${mmss(fact.startMs)}]`);
    // Only the customer's objections: every quoted line is a planted objection.
    const planted = sb.world.plantedFacts(fact.callId).filter((f) => f.category === 'objection').map((f) => f.text);
    for (const quote of run.answer.matchAll(/: "([^"]+)" \[/g)) expect(planted).toContain(quote[1]);
  });

  it("coaching metrics for Sarah Smith in Q3: each rep's first and last 'Pricing Discovery' score", async () => {
    const account = sb.world.account(coachingId)!;
    const sarah = account.users.find((u) => u.firstName === 'Sarah' && u.lastName === 'Smith')!;
    const expected = sarahQ3(sb);
    const scored = expected.reps.filter((e) => e.count >= 2);
    expect(scored.some((e) => e.trend === 'improving')).toBe(true);
    expect(scored.some((e) => e.trend !== 'improving')).toBe(true);

    const run = await runAgent("Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on the 'Pricing Discovery' scorecard?", { sandbox: sb, accountId: coachingId });
    expect(names(run).filter((n) => n !== 'read_result')).toEqual(['list_all_gong_users', 'list_all_gong_workspaces', 'list_all_gong_coachings', 'list_all_gong_activity_scorecards']);
    expect(argsOf(run, 'list_all_gong_coachings')).toMatchObject({ 'manager-id': sarah.id, 'workspace-id': account.workspaceId });
    expect(run.answer).toContain(`Q3 ${expected.year}`);
    expect(run.answer).toContain(`Sarah listened to ${expected.listened} calls`);
    for (const e of expected.reps) expect(run.answer).toContain(trendRow(e));
    expect(run.answer).toContain(trendVerdict(expected.reps));
  });

  it('task update: a denied write is reported as not made; an approved one marks the Initech follow-up email task DONE', async () => {
    const account = sb.world.account(dealsId)!;
    const task = account.tasks.find((t) => t.title === INITECH_FOLLOW_UP_TASK)!;
    expect(sb.world.findDeal(dealsId, INITECH)!.crmId).toBe(task.dealCrmId);
    expect(task.status).toBe('OPEN');
    const question = 'Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract was sent.';
    const patches = (): number => sb.stats().accounts[dealsId]?.byPath['PATCH /proxy/tasks/:id'] ?? 0;
    const before = patches();

    const denied = await runAgent(question, { sandbox: sb, accountId: dealsId, approve: () => 'not approved by the user' });
    expect(denied.steps.at(-1)).toMatchObject({ name: 'update_a_gong_task_by_id', status: 'denied', args: { id: task.id, userId: task.userId, status: 'DONE' } });
    expect(denied.answer).toContain('The change was not made');
    expect(denied.answer).toContain('not approved by the user');
    expect(patches()).toBe(before);
    expect(task.status).toBe('OPEN');

    const done = await runAgent(question, { sandbox: sb, accountId: dealsId });
    expect(names(done)[0]).toBe('list_all_gong_calls');
    expect(names(done).at(-1)).toBe('update_a_gong_task_by_id');
    expect(patches()).toBe(before + 1);
    expect(task.status).toBe('DONE');
    expect(done.answer).toContain(`'${INITECH_FOLLOW_UP_TASK}'`);
    expect(done.answer).toContain('is now DONE');
  });

  it("CRM update: uploads Acme's stage as one LDJSON line, then checks the request until Gong says DONE", async () => {
    const account = sb.world.account(dealsId)!;
    const acme = sb.world.findDeal(dealsId, ACME)!;
    const run = await runAgent("Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Negotiation', using client request ID 99281. Then check the status of that request.", { sandbox: sb, accountId: dealsId });
    const upload = argsOf(run, 'create_a_gong_crm_entity');
    expect(upload).toMatchObject({ integrationId: account.integration.integrationId, objectType: 'DEAL', clientRequestId: '99281' });
    const line = JSON.parse(String(upload['dataFile']).trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ objectId: acme.crmId, stage: 'Negotiation', accountId: acme.accountCrmId });
    expect(names(run).indexOf('list_all_gong_crm_request_status')).toBeGreaterThan(names(run).indexOf('create_a_gong_crm_entity'));
    expect(run.answer).toContain('**DONE**, 1 entity updated, 0 errors');
    // The stage really changed in Gong.
    const res = await fetch(`${sb.url}/proxy/crm_entities?integrated_account_id=${dealsId}&integrationId=${account.integration.integrationId}&objectType=DEAL&objectsCrmIds[]=${acme.crmId}`, { headers: { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` } });
    expect(((await res.json()) as { result: Array<{ stage: string }> }).result[0]!.stage).toBe('Negotiation');
  });

  it("scenario 1: the Globex autopsy goes to deal_autopsy; the answer counts the rep's OPEN and DONE tasks", async () => {
    const facts = globexFacts(sb);
    const run = await runAgent("Analyze the stalled 'Globex Corporation' deal. Find all calls from the last 30 days, read the transcripts to identify objections, check if the rep completed their Engage follow-up tasks, and generate a summary report.", { sandbox: sb, accountId: dealsId });
    expect(run.turnCalls[0]).toEqual(['deal_autopsy']);
    expect(argsOf(run, 'deal_autopsy')).toEqual({ deal: GLOBEX, days: 30 });
    expect(run.answer).toContain(`across ${facts.calls} calls`);
    expect(run.answer).toContain(facts.counts);
    expect(run.answer).toContain("OPEN: 'Send security whitepaper'");
    expect(facts.security.some((f) => run.answer.includes(`"${f.text}" [r1:${f.callId}@${mmss(f.startMs)}]`))).toBe(true);
  });

  it("scenario 2: Mike's new reps with fewer than 5 calls listened to, from coaching, activity and join dates", async () => {
    const reps = mikeTeam(sb);
    const { line, flagged } = mikeVerdict(reps);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(reps.filter((r) => r.isNew).length);

    const run = await runAgent('Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.', { sandbox: sb, accountId: coachingId });
    expect(run.turnCalls.slice(0, 3)).toEqual([['list_all_gong_users'], ['list_all_gong_workspaces'], ['list_all_gong_coachings']]);
    expect(run.turnCalls[3]).toEqual(['create_a_gong_activity_aggregate_by_period', 'create_a_gong_users_extensive']);
    expect(run.answer).toContain(line);
    for (const r of flagged) expect(run.answer).toContain(`${r.name} (${r.listened} of ${r.hosted} hosted)`);
    for (const r of reps) expect(run.answer).toMatch(mikeRow(r));
  });

  it("anything else: \"I can't answer that with the available tools\" and no tool call", async () => {
    const run = await runAgent('What will the weather be in Paris tomorrow?', { sandbox: sb, accountId: dealsId });
    expect(run.steps).toEqual([]);
    expect(run.answer).toBe("I can't answer that with the available tools.");
  });
});
