/**
 * The seed article's six prompts and two scenarios, phrased with the sandbox's names, run through
 * the sandbox model's tool calling by a hand-driven fleet (agent-harness.ts) over HTTP. Each test
 * checks the tool sequence and that the answer's numbers and quotes equal the world's data: the
 * planner computes its answer only from tool results, so a match proves the data went through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, INITECH } from '../../src/sandbox/gong/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { INITECH_FOLLOW_UP_TASK } from '../../src/sandbox/world/deals-account.ts';
import { runAgent, type AgentRun } from './agent-harness.ts';

const DAY = 86_400_000;
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

const today = (): number => Math.floor(Date.now() / DAY) * DAY;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const mmss = (ms: number): string => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const names = (run: AgentRun): string[] => run.steps.map((s) => s.name);
const argsOf = (run: AgentRun, name: string): Record<string, unknown> => run.steps.find((s) => s.name === name)!.args;

describe('the seed prompts', () => {
  it('activity aggregate: calls hosted vs call listens for John Doe, from the aggregate', async () => {
    const account = sb.world.account(coachingId)!;
    const john = account.users.find((u) => u.firstName === 'John' && u.lastName === 'Doe')!;
    const from = today() - 28 * DAY;
    const lastDay = today() - DAY;
    const inRange = (ms: number): boolean => ms >= from && ms < lastDay + DAY;
    const hosted = account.calls.filter((c) => c.primaryUserId === john.id && inRange(c.startedMs)).length;
    const own = new Set(account.coachingEvents.filter((e) => e.kind === 'self_listen' && e.reviewerUserId === john.id && inRange(e.atMs)).map((e) => e.callId)).size;
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
    const nowMs = sb.world.now.getTime();
    const calls = account.calls.filter((c) => c.dealCrmId === acme.crmId && c.startedMs >= nowMs - 90 * DAY && c.startedMs < nowMs).sort((a, b) => b.startedMs - a.startedMs);
    const steps = [...new Set(calls.flatMap((c) => sb.world.plantedFacts(c.id).filter((f) => f.category === 'next_step').map((f) => f.text)))].slice(0, 5);
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
    expect(run.answer).toContain(`${calls.length} calls searched`);
    for (const t of account.tasks.filter((x) => x.dealCrmId === acme.crmId && x.status === 'OPEN')) expect(run.answer).toContain(`'${t.title}'`);
  });

  /** An Acme call whose customer objected to the implementation timeline. */
  function implementationCall(): { callId: string; text: string; startMs: number; speaker: string } {
    const account = sb.world.account(dealsId)!;
    const acme = sb.world.findDeal(dealsId, ACME)!;
    for (const c of account.calls.filter((x) => x.dealCrmId === acme.crmId)) {
      const fact = sb.world.plantedFacts(c.id).find((f) => f.category === 'objection' && /implementation/.test(f.text));
      if (fact) return { callId: c.id, text: fact.text, startMs: fact.startMs, speaker: sb.world.callParties(c.id).find((p) => p.speakerId === fact.speakerId)!.name };
    }
    throw new Error('no Acme call with an implementation objection');
  }

  it('transcript: a long transcript shown truncated goes to summarize_calls; the objection is cited at its timestamp', async () => {
    const fact = implementationCall();
    const run = await runAgent(`Retrieve the transcript for call ID ${fact.callId} and summarize the customer's objections regarding implementation timelines.`, { sandbox: sb, accountId: dealsId });
    expect(run.turnCalls).toEqual([['create_a_gong_calls_transcript', 'create_a_gong_calls_extensive'], ['summarize_calls']]);
    expect(argsOf(run, 'create_a_gong_calls_transcript')).toEqual({ filter: { callIds: [fact.callId] } });
    expect(argsOf(run, 'summarize_calls')).toEqual({ call_ids: [fact.callId] });
    expect(run.answer).toMatch(new RegExp(`"${esc(fact.text)}" \\[r\\d+:${fact.callId}@${mmss(fact.startMs)}\\]`));
  });

  it('transcript: shown whole, the model reads it itself and names the customer', async () => {
    const fact = implementationCall();
    const run = await runAgent(`Retrieve the transcript for call ID ${fact.callId} and summarize the customer's objections regarding implementation timelines.`, { sandbox: sb, accountId: dealsId, maxResultChars: 1_000_000 });
    expect(names(run)).not.toContain('summarize_calls');
    const ref = run.steps.find((s) => s.name === 'create_a_gong_calls_transcript')!.ref;
    expect(run.answer).toContain(`- ${fact.speaker} (customer): "${fact.text}" [${ref}:${fact.callId}@${mmss(fact.startMs)}]`);
    // Only the customer's objections: every quoted line is an External speaker's planted objection.
    const planted = sb.world.plantedFacts(fact.callId).filter((f) => f.category === 'objection').map((f) => f.text);
    for (const quote of run.answer.matchAll(/: "([^"]+)" \[/g)) expect(planted).toContain(quote[1]);
  });

  it("coaching metrics for Sarah Smith in Q3: each rep's first and last 'Pricing Discovery' score", async () => {
    const account = sb.world.account(coachingId)!;
    const sarah = account.users.find((u) => u.firstName === 'Sarah' && u.lastName === 'Smith')!;
    const reps = account.users.filter((u) => u.managerId === sarah.id);
    const now = new Date(today());
    const year = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    const from = Date.UTC(year, 6, 1);
    const to = Math.min(Date.UTC(year, 9, 1), today() + DAY);
    const started = new Map(account.calls.map((c) => [c.id, c.startedMs]));
    const inQ = (callId: string): boolean => started.get(callId)! >= from && started.get(callId)! < to;
    const mean = (scores: number[]): number => scores.reduce((a, b) => a + b, 0) / scores.length;
    const expected = reps.map((r) => {
      const cards = account.scorecards.filter((s) => s.scorecardName === 'Pricing Discovery' && s.reviewedUserId === r.id && inQ(s.callId)).sort((a, b) => started.get(a.callId)! - started.get(b.callId)!);
      const first = cards[0] ? mean(cards[0].scores) : NaN;
      const last = cards.at(-1) ? mean(cards.at(-1)!.scores) : NaN;
      return { name: `${r.firstName} ${r.lastName}`, count: cards.length, first, last, trend: cards.length < 2 ? 'n/a' : last > first ? 'improving' : last < first ? 'declining' : 'flat' };
    });
    const scored = expected.filter((e) => e.count >= 2);
    expect(scored.some((e) => e.trend === 'improving')).toBe(true);
    expect(scored.some((e) => e.trend !== 'improving')).toBe(true);
    const listened = reps.reduce((n, r) => n + new Set(account.coachingEvents.filter((e) => e.kind === 'listen' && e.reviewerUserId === sarah.id && e.reviewedUserId === r.id && inQ(e.callId)).map((e) => e.callId)).size, 0);

    const run = await runAgent("Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on the 'Pricing Discovery' scorecard?", { sandbox: sb, accountId: coachingId });
    expect(names(run).filter((n) => n !== 'read_result')).toEqual(['list_all_gong_users', 'list_all_gong_workspaces', 'list_all_gong_coachings', 'list_all_gong_activity_scorecards']);
    expect(argsOf(run, 'list_all_gong_coachings')).toMatchObject({ 'manager-id': sarah.id, 'workspace-id': account.workspaceId });
    expect(run.answer).toContain(`Q3 ${year}`);
    expect(run.answer).toContain(`Sarah listened to ${listened} calls`);
    const fmt = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(2));
    for (const e of expected) expect(run.answer).toContain(`| ${e.name} | ${e.count} | ${fmt(e.first)} | ${fmt(e.last)} | ${e.trend} |`);
    expect(run.answer).toContain(`**${scored.filter((e) => e.trend === 'improving').length} of ${scored.length} reps improved**`);
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
    const account = sb.world.account(dealsId)!;
    const globex = sb.world.findDeal(dealsId, GLOBEX)!;
    const tasks = account.tasks.filter((t) => t.dealCrmId === globex.crmId);
    const count = (s: string): number => tasks.filter((t) => t.status === s).length;
    const calls = account.calls.filter((c) => c.dealCrmId === globex.crmId && c.startedMs >= sb.world.now.getTime() - 30 * DAY);
    const security = calls.flatMap((c) => sb.world.plantedFacts(c.id).filter((f) => f.category === 'security').map((f) => ({ callId: c.id, ...f })));

    const run = await runAgent("Analyze the stalled 'Globex Corporation' deal. Find all calls from the last 30 days, read the transcripts to identify objections, check if the rep completed their Engage follow-up tasks, and generate a summary report.", { sandbox: sb, accountId: dealsId });
    expect(run.turnCalls[0]).toEqual(['deal_autopsy']);
    expect(argsOf(run, 'deal_autopsy')).toEqual({ deal: GLOBEX, days: 30 });
    expect(run.answer).toContain(`across ${calls.length} calls`);
    expect(run.answer).toContain(`${count('OPEN')} OPEN, ${count('DONE')} DONE, ${count('DISMISSED')} DISMISSED`);
    expect(run.answer).toContain("OPEN: 'Send security whitepaper'");
    expect(security.some((f) => run.answer.includes(`"${f.text}" [r1:${f.callId}@${mmss(f.startMs)}]`))).toBe(true);
  });

  it("scenario 2: Mike's new reps with fewer than 5 calls listened to, from coaching, activity and join dates", async () => {
    const account = sb.world.account(coachingId)!;
    const mike = account.users.find((u) => u.firstName === 'Mike' && u.lastName === 'Brennan')!;
    const from = today() - 30 * DAY;
    const to = today();
    const inWindow = (ms: number): boolean => ms >= from && ms < to;
    const reps = account.users.filter((u) => u.managerId === mike.id).map((u) => {
      const calls = account.calls.filter((c) => c.primaryUserId === u.id && inWindow(c.startedMs));
      const ids = new Set(calls.map((c) => c.id));
      const listened = new Set(account.coachingEvents.filter((e) => e.kind === 'listen' && e.reviewerUserId === mike.id && ids.has(e.callId)).map((e) => e.callId)).size;
      // Gong's activity counters count a scorecard when it was filled in, not when the call was.
      const cards = account.coachingEvents.filter((e) => e.kind === 'scorecard' && e.reviewedUserId === u.id && inWindow(e.atMs)).length;
      return { name: `${u.firstName} ${u.lastName}`, isNew: u.createdMs >= from, hosted: calls.length, listened, cards };
    });
    const newReps = reps.filter((r) => r.isNew);
    const flagged = newReps.filter((r) => r.listened < 5);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(newReps.length);

    const run = await runAgent('Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.', { sandbox: sb, accountId: coachingId });
    expect(run.turnCalls.slice(0, 3)).toEqual([['list_all_gong_users'], ['list_all_gong_workspaces'], ['list_all_gong_coachings']]);
    expect(run.turnCalls[3]).toEqual(['create_a_gong_activity_aggregate_by_period', 'create_a_gong_users_extensive']);
    expect(run.answer).toContain(`**Yes: ${flagged.length} of ${newReps.length} new reps had fewer than 5 calls listened to by Mike:**`);
    for (const r of flagged) expect(run.answer).toContain(`${r.name} (${r.listened} of ${r.hosted} hosted)`);
    for (const r of reps) expect(run.answer).toMatch(new RegExp(`\\| ${esc(r.name)} \\| ${r.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${r.hosted} \\| ${r.listened} \\| ${r.cards} \\|`));
  });

  it("anything else: \"I can't answer that with the available tools\" and no tool call", async () => {
    const run = await runAgent('What will the weather be in Paris tomorrow?', { sandbox: sb, accountId: dealsId });
    expect(run.steps).toEqual([]);
    expect(run.answer).toBe("I can't answer that with the available tools.");
  });
});
