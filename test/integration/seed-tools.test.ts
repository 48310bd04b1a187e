/**
 * Planning on an account with only the seed article's tools (snake keys, unwrapped answers), the
 * paths the profile matrix does not take: an autopsy by CRM id through the CRM-entities tool (and
 * its clear refusal without an integration id), a deal name no title carries, --call-ids looked up
 * in the calls list, crm-sync without --integration-id. Nothing here may be enqueued.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAutopsy } from '../../src/producers/autopsy.ts';
import { prepareCrmSync } from '../../src/producers/crm-sync.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('planning with only the seed tools', () => {
  let fleet: TestFleet;
  let dir: string;
  const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => {
    expect(e).toBeInstanceOf(BadInputError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  });

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'seedplan', sandbox: { truto: { profile: 'seed' } } });
    dir = mkdtempSync(join(tmpdir(), 'gf-seed-'));
  });

  afterAll(async () => {
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('autopsy by CRM id: reads the deal through the CRM-entities tool, ties its calls by the account name', async () => {
    const world = fleet.sandbox.world;
    const deal = world.findDeal(fleet.accountId, 'Globex Corporation')!;
    const integrationId = world.account(fleet.accountId)!.integration.integrationId;
    fleet.sandbox.resetStats();
    const byName = await planAutopsy(fleet.services, { accountId: fleet.accountId, deal: 'Globex Corporation' });
    const byId = await planAutopsy(fleet.services, { accountId: fleet.accountId, deal: deal.crmId, integrationId });
    expect(byId.calls.map((c) => c.callId).sort()).toEqual(byName.calls.map((c) => c.callId).sort());
    expect(byId.deal).toMatchObject({ crmId: deal.crmId, name: deal.name, accountName: 'Globex Corporation', stage: deal.stage, amount: String(deal.amount) });
    expect(byId.degradations.map((d) => d.code).sort()).toEqual(['calls-tied-by-title', 'speakers-unnamed']);
    expect(fleet.sandbox.stats().requestsByTool['list_all_gong_crm_entities']).toBe(2); // the deal, then its account
    expect(fleet.sandbox.stats().unknownArgs).toEqual({});

    const msg = await refusal(planAutopsy(fleet.services, { accountId: fleet.accountId, deal: deal.crmId }));
    expect(msg).toMatch(/lists no CRM-integrations tool .*; pass --integration-id <id>/);
  });

  it('autopsy of a name no call title carries: the names titles do carry, and the summarize fallback', async () => {
    const msg = await refusal(planAutopsy(fleet.services, { accountId: fleet.accountId, deal: 'Globex Corp' }));
    expect(msg).toMatch(/no call title .* names "Globex Corp"/);
    expect(msg).toContain('"Globex Corporation"');
    expect(msg).toContain(`gong-fleet summarize --account ${fleet.accountId} --call-ids <ids>`);
  });

  it('summarize --call-ids: looked up in the calls list (Gong lists no ids), unknown ids named with the window', async () => {
    const calls = fleet.sandbox.world.account(fleet.accountId)!.calls.slice(-3).map((c) => c.id);
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, callIds: calls });
    expect(plan.calls.map((c) => c.callId).sort()).toEqual([...calls].sort());
    expect(plan.calls.every((c) => c.title !== '(untitled call)' && c.started !== '')).toBe(true);
    const msg = await refusal(planSummarize(fleet.services, { accountId: fleet.accountId, callIds: [calls[0]!, '123'] }));
    expect(msg).toMatch(/--call-ids: not calls of account \S+ between \d{4}-\d\d-\d\d and \d{4}-\d\d-\d\d \(its calls list takes no ids; give --from\/--to to look elsewhere\): 123$/);
  });

  it('crm-sync without --integration-id says how to give one; with it, the id is used unchecked and the sync says so', async () => {
    const path = join(dir, 'a.ldjson');
    writeFileSync(path, `${JSON.stringify({ objectId: 'a-1', modifiedDate: '2026-03-10T09:30:00Z', name: 'A' })}\n`);
    const req = { accountId: fleet.accountId, objectType: 'ACCOUNT', filePath: path, requestedBy: 't@test' };
    const msg = await refusal(prepareCrmSync(fleet.services, req));
    expect(msg).toMatch(/lists no CRM-integrations tool \(looked for list_all_gong_crm_integrations\) to look the integration up; pass --integration-id <id>/);
    const prepared = await prepareCrmSync(fleet.services, { ...req, integrationId: '42' });
    expect(prepared.state.integrationId).toBe('42');
    expect(prepared.state.degradations?.map((d) => d.code)).toEqual(['integration-unverified']);
  });
});
