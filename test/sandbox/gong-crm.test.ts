import { describe, expect, it } from 'vitest';
import { createGongApi, createWorld, GLOBEX } from '../../src/sandbox/gong/index.ts';
import type { GongRequest } from '../../src/sandbox/types.ts';

const NOW = new Date('2026-03-15T12:00:00Z');

function setup() {
  const world = createWorld({ now: NOW });
  const clock = { ms: NOW.getTime() };
  const api = createGongApi(world, { clock: () => clock.ms, crmProcessingMs: 3_000 });
  const accountId = world.accountIdOf('deals');
  const integrationId = world.account(accountId)!.integration.integrationId;
  const send = async (req: Omit<GongRequest, 'accountId'>) => (await api.handle({ accountId, ...req })) as { status: number; body: any };
  const upload = (objectType: string, clientRequestId: string, lines: unknown[]) =>
    send({
      method: 'POST', path: '/v2/crm/entities', query: { integrationId, objectType, clientRequestId },
      files: { dataFile: Buffer.from(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')) },
    });
  const status = (clientRequestId: string) => send({ method: 'GET', path: '/v2/crm/request-status', query: { integrationId, clientRequestId } });
  const get = (objectType: string, ids: string[], asBody = false) =>
    send({ method: 'GET', path: '/v2/crm/entities', query: asBody ? { integrationId, objectType } : { integrationId, objectType, objectsCrmIds: ids }, ...(asBody ? { body: ids } : {}) });
  return { world, clock, send, upload, status, get, integrationId, accountId };
}

describe('CRM uploads', () => {
  it('moves PENDING → IN_PROGRESS → DONE on the injected clock, then the entities are readable', async () => {
    const { clock, upload, status, get } = setup();
    const deal = { objectId: 'deal-42', modifiedDate: '2026-03-10T09:30:00Z', accountId: 'acct-1', name: 'Acme Expansion', stage: 'Technical Validation', amount: 120000, status: 'OPEN' };
    const res = await upload('DEAL', 'req-1', [deal, { objectId: 'deal-43', modifiedDate: '2026-03-10T09:30:00+02:00' }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ requestId: expect.any(String), clientRequestId: 'req-1' });

    expect((await status('req-1')).body).toMatchObject({ status: 'PENDING', totalErrorCount: 0, totalSuccessCount: 0 });
    expect((await get('DEAL', ['deal-42'])).body.crmObjectsMap).toEqual({ 'deal-42': null });
    clock.ms += 1_500;
    expect((await status('req-1')).body.status).toBe('IN_PROGRESS');
    clock.ms += 1_500;
    expect((await status('req-1')).body).toMatchObject({ status: 'DONE', errors: [], totalErrorCount: 0, totalSuccessCount: 2 });

    const read = await get('DEAL', ['deal-42', 'deal-43', 'missing']);
    expect(read.status).toBe(200);
    expect(read.body.crmObjectsMap['deal-42']).toMatchObject({ name: 'Acme Expansion', stage: 'Technical Validation', amount: 120000 });
    expect(read.body.crmObjectsMap['deal-43']).toMatchObject({ name: 'Deal_#deal-43', status: 'OPEN', amount: 0 });
    expect(read.body.crmObjectsMap['missing']).toBeNull();
    // Gong's prose: ids as a JSON array body on the GET.
    expect((await get('DEAL', ['deal-42'], true)).body.crmObjectsMap['deal-42'].name).toBe('Acme Expansion');
  });

  it('FAILS with per-line errors (at most 20 listed) while keeping the valid lines', async () => {
    const { clock, upload, status, get } = setup();
    const good = { objectId: 'acct-ok', modifiedDate: '2026-03-01T00:00:00Z', name: 'Good Co', domains: ['good.co'] };
    const bad = [
      good,
      { objectId: 'bad id with spaces', modifiedDate: '2026-03-01T00:00:00Z' },
      { objectId: 'acct-ms', modifiedDate: '2026-03-01T00:00:00.123Z' },
      { modifiedDate: '2026-03-01T00:00:00Z' },
      '{not json',
      ...Array.from({ length: 20 }, (_, i) => ({ objectId: `acct-nodate-${i}` })),
    ];
    expect((await upload('ACCOUNT', 'req-bad', bad)).status).toBe(201);
    clock.ms += 3_000;
    const res = await status('req-bad');
    expect(res.body.status).toBe('FAILED');
    expect(res.body.totalErrorCount).toBe(24);
    expect(res.body.totalSuccessCount).toBe(1);
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.errors[0]).toEqual({ line: 2, description: expect.stringMatching(/objectId/) });
    expect(res.body.errors[1]).toEqual({ line: 3, description: expect.stringMatching(/milliseconds/) });
    expect(res.body.errors[3].line).toBe(5);
    expect((await get('ACCOUNT', ['acct-ok'])).body.crmObjectsMap['acct-ok'].name).toBe('Good Co');
  });

  it('rejects a reused clientRequestId (409), bad inputs (400) and unknown requests (404)', async () => {
    const { upload, send, integrationId, status } = setup();
    const line = { objectId: 'stage-1', name: 'Discovery' };
    expect((await upload('STAGE', 'dup', [line])).status).toBe(201);
    const again = await upload('STAGE', 'dup', [line]);
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual(['Client request id has already been used']);
    const wrongIntegration = await send({ method: 'POST', path: '/v2/crm/entities', query: { integrationId: '1', objectType: 'STAGE', clientRequestId: 'x' }, files: { dataFile: Buffer.from('{}') } });
    expect(wrongIntegration.status).toBe(400);
    const wrongType = await send({ method: 'POST', path: '/v2/crm/entities', query: { integrationId, objectType: 'account', clientRequestId: 'y' }, files: { dataFile: Buffer.from('{}') } });
    expect(wrongType.status).toBe(400);
    const noFile = await send({ method: 'POST', path: '/v2/crm/entities', query: { integrationId, objectType: 'ACCOUNT', clientRequestId: 'z' } });
    expect(noFile.status).toBe(400);
    expect((await status('never-sent')).status).toBe(404);
  });

  it('serves the world’s CRM accounts and deals by id, and lists the integration', async () => {
    const { world, accountId, get, send, integrationId } = setup();
    const globex = world.findDeal(accountId, GLOBEX)!;
    const accounts = await get('ACCOUNT', [globex.accountCrmId]);
    expect(accounts.body.crmObjectsMap[globex.accountCrmId].name).toBe(GLOBEX);
    const deals = await get('DEAL', [globex.crmId]);
    expect(deals.body.crmObjectsMap[globex.crmId]).toMatchObject({ accountId: globex.accountCrmId, stage: globex.stage });
    const integrations = await send({ method: 'GET', path: '/v2/crm/integrations', query: {} });
    expect(integrations.body.integrations).toEqual([expect.objectContaining({ integrationId: Number(integrationId) })]);
    expect(String(integrations.body.integrations[0].integrationId)).toBe(integrationId);
  });
});
