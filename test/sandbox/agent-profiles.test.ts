/**
 * The seed prompts against the sandbox's other Truto profiles (sbx-truto's presets): `seed` (the
 * seed article's 11 tools plus a description-less `get_single_…_by_id` request-status tool,
 * snake_case flat arguments, unwrapped POST reads), `seed-raw` (the same tools, Gong's own keys
 * and bodies) and `seed-array` (snake_case, POST reads as one bare array). No workspaces,
 * integrations or extensive tools: the model finds the workspace in a call's metadata, the
 * integration id in the question, and join dates by reading on in the users list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../../src/sandbox/gong/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { ProfileName } from '../../src/sandbox/truto/profile.ts';
import { INITECH_FOLLOW_UP_TASK } from '../../src/sandbox/world/deals-account.ts';
import { acmeBriefSteps, DAY, isoDay, johnDoeActivity, mikeRow, mikeTeam, mikeVerdict, sarahQ3, today, trendRow, trendVerdict } from './agent-expected.ts';
import { runAgent } from './agent-harness.ts';

describe.each<ProfileName>(['seed', 'seed-raw', 'seed-array'])('the %s profile', (profile) => {
  let sb: Sandbox;
  let dealsId: string;
  let coachingId: string;

  beforeAll(async () => {
    sb = await startSandbox({
      truto: { profile }, gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, trutoPerTokenPer10s: 100_000, crmProcessingMs: 0,
      llm: { latencyBaseMs: 0, latencyPerOutputTokenMs: 0, contextWindowTokens: 128_000 },
    });
    dealsId = sb.world.accountIdOf('deals');
    coachingId = sb.world.accountIdOf('coaching');
  });

  afterAll(async () => {
    await sb?.close();
  });

  const ask = (question: string, accountId: string) => runAgent(question, { sandbox: sb, accountId });
  /** Every argument the model sent was declared by its tool: nothing was dropped on the way. */
  const noUnknownArgs = (): void => expect(sb.stats().unknownArgs).toEqual({});

  it('answers the activity, coaching and scenario 2 questions with the world\'s numbers', async () => {
    const from = today() - 28 * DAY;
    const { hosted, own } = johnDoeActivity(sb, from, today() - DAY);
    const activity = await ask(`Pull the activity aggregate for John Doe from ${isoDay(from)} to ${isoDay(today() - DAY)}. How many calls did he host compared to his total call listens?`, coachingId);
    expect(activity.answer).toContain(`Calls hosted: **${hosted}**`);
    expect(activity.answer).toContain(`Call listens: **${own}** in total`);

    const sarah = sarahQ3(sb);
    const trend = await ask("Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on the 'Pricing Discovery' scorecard?", coachingId);
    // The workspace comes from the calls list: the seed set has no workspaces tool.
    expect(trend.steps.map((s) => s.name).filter((n) => n !== 'read_result')).toEqual(['list_all_gong_users', 'list_all_gong_calls', 'list_all_gong_coachings', 'list_all_gong_activity_scorecards']);
    for (const e of sarah.reps) expect(trend.answer).toContain(trendRow(e));
    expect(trend.answer).toContain(trendVerdict(sarah.reps));

    const reps = mikeTeam(sb);
    const review = await ask('Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.', coachingId);
    expect(review.answer).toContain(mikeVerdict(reps).line);
    for (const r of reps) expect(review.answer).toMatch(mikeRow(r));
    noUnknownArgs();
  });

  it('answers the deal questions and makes the writes with the profile\'s argument keys', async () => {
    const account = sb.world.account(dealsId)!;
    const brief = await ask('Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.', dealsId);
    for (const s of acmeBriefSteps(sb).steps) expect(brief.answer).toContain(`"${s}"`);

    const task = account.tasks.find((t) => t.title === INITECH_FOLLOW_UP_TASK)!;
    const done = await ask('Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract was sent.', dealsId);
    const update = done.steps.find((s) => s.name === 'update_a_gong_task_by_id')!.args;
    expect(update).toEqual(profile === 'seed-raw' ? { id: task.id, userId: task.userId, status: 'DONE' } : { id: task.id, user_id: task.userId, status: 'DONE' });
    expect(task.status).toBe('DONE');

    const crm = await ask(`Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Proposal', using client request ID 99300 and integration ${account.integration.integrationId}. Then check the status of that request.`, dealsId);
    const status = crm.steps.find((s) => s.name === 'get_single_gong_crm_request_status_by_id')!.args;
    expect(status['id']).toBe('99300');
    expect(crm.answer).toContain('**DONE**, 1 entity updated');
    const acme = sb.world.findDeal(dealsId, ACME)!;
    const upload = crm.steps.find((s) => s.name === 'create_a_gong_crm_entity')!.args;
    expect(JSON.parse(String(upload[profile === 'seed-raw' ? 'dataFile' : 'data_file']))).toMatchObject({ objectId: acme.crmId, stage: 'Proposal' });
    noUnknownArgs();
  });
});
