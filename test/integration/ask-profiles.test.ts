/**
 * `ask` on the seed article's Truto account (`--profile seed`: the seed's 11 tools plus an
 * undocumented request-status tool, snake_case flat arguments, unwrapped POST reads, no rate
 * headers) in a 16k window. The fleet offers the tools exactly as `/tools?has_description=false`
 * lists them and routes each call by the tool's own schemas, so the same questions still answer
 * from the right data: scenario 2 (join dates read from the users list, no users-extensive tool)
 * and the CRM stage update, whose status check uses the tool Truto hides without
 * `has_description=false`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetWorkers } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { askStoreOf, decideAsk, startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { buildAskReport } from '../../src/reports/ask-model.ts';
import { ACME } from '../../src/sandbox/gong/index.ts';
import type { AskRun } from '../../src/shared/domain/index.ts';
import type { WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { esc, mikeTeam } from '../sandbox/agent-expected.ts';

describe('ask on the seed profile', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'askprof', sandbox: { crmProcessingMs: 0, truto: { profile: 'seed' } } });
    workers = startFleetWorkers(fleet.services, loadConfig({}, fleet.env));
  });

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  const ask = async (accountId: string, question: string): Promise<AskRun> => {
    let run = await waitForAsk(fleet.services, (await startAsk(fleet.services, { accountId, question })).runId, { timeoutMs: 90_000 });
    while (run.status === 'awaiting-approval') {
      const { pending } = await decideAsk(fleet.services, { runId: run.runId, by: 'tester@test' });
      run = await waitForAsk(fleet.services, run.runId, { timeoutMs: 60_000, decidedCallKey: pending.callKey });
    }
    return run;
  };

  it('offers the undocumented tool too, with snake_case schemas as Truto lists them', async () => {
    const run = await startAsk(fleet.services, { accountId: fleet.sandbox.world.accountIdOf('deals'), question: 'What will the weather be in Paris tomorrow?' });
    const names = run.tools.map((t) => t.function.name);
    expect(names).toContain('get_single_gong_crm_request_status_by_id');
    const calls = run.tools.find((t) => t.function.name === 'list_all_gong_calls')!;
    expect(Object.keys((calls.function.parameters as { properties: object }).properties)).toContain('from_date_time');
    const done = await waitForAsk(fleet.services, run.runId, { timeoutMs: 30_000 });
    expect(done.status).toBe('answered');
    expect(done.turns.flatMap((t) => t.calls)).toEqual([]);
  });

  it("scenario 2: Mike's new reps, join dates read from the users list", async () => {
    const coachingId = fleet.sandbox.world.accountIdOf('coaching');
    const run = await ask(coachingId, 'Review the activity and coaching metrics for the SDR team under Manager Mike. Tell me if any new reps had fewer than 5 calls listened to by a manager this month.');
    expect(run.status, run.note).toBe('answered');
    const reps = mikeTeam(fleet.sandbox);
    const newReps = reps.filter((x) => x.isNew);
    const verdict = /\*\*Yes: (\d+) of (\d+) new reps/.exec(run.answer!)!;
    expect([Number(verdict[1]), Number(verdict[2])]).toEqual([newReps.filter((x) => x.listened < 5).length, newReps.length]);
    for (const x of reps) expect(run.answer).toMatch(new RegExp(`\\| ${esc(x.name)} \\| ${x.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${x.hosted} \\| ${x.listened} \\| ${x.cards} \\|`));
    // The seed's snake_case arguments reached the sandbox's Truto whole: none dropped as unknown.
    expect(fleet.sandbox.stats().unknownArgs).toEqual({});
  });

  it('CRM stage update: the upload (approved) as a file part, then the hidden request-status tool', async () => {
    const dealsId = fleet.sandbox.world.accountIdOf('deals');
    const account = fleet.sandbox.world.account(dealsId)!;
    const acme = fleet.sandbox.world.findDeal(dealsId, ACME)!;
    fleet.sandbox.resetStats();
    const run = await ask(dealsId, `Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Negotiation', using client request ID 99281 and integration ${account.integration.integrationId}. Then check the status of that request.`);
    expect(run.status, run.note).toBe('answered');
    const r = await buildAskReport(askStoreOf(fleet.services), run);
    const tools = r.steps.map((s) => s.tool);
    expect(tools.indexOf('get_single_gong_crm_request_status_by_id')).toBeGreaterThan(tools.indexOf('create_a_gong_crm_entity'));
    expect(r.steps.find((s) => s.tool === 'get_single_gong_crm_request_status_by_id')).toMatchObject({ status: 'ok', args: { id: '99281' } });
    expect(fleet.sandbox.stats().accounts[dealsId]!.byPath['POST /proxy/crm_entities']).toBe(1);
    const entities = await fleet.services.truto.collectAll(dealsId, 'list_all_gong_crm_entities', { integration_id: account.integration.integrationId, object_type: 'DEAL', objects_crm_ids: [acme.crmId] });
    expect((entities[0] as { stage: string }).stage).toBe('Negotiation');
  });
});
