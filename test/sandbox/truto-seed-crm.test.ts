/**
 * The CRM upload on the `seed` profile, as the seed article describes its arguments
 * (`integration_id`, `object_type`, `client_request_id`, plus the file as `data_file`), polled
 * through the seed's description-less `get_single_gong_crm_request_status_by_id` (the id is the
 * clientRequestId). Camel keys on this account are dropped and end in Gong's 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTruto, type TrutoHttp } from './truto-http.ts';

let seed: TrutoHttp;
let integrationId: string;

beforeAll(async () => {
  seed = await startTruto({ truto: { profile: 'seed' } });
  integrationId = seed.sb.world.account(seed.dealsId)!.integration.integrationId;
});

afterAll(async () => {
  await seed?.sb.close();
});

function ldjson(field: string): FormData {
  const lines = [
    { objectId: 'acct-seed-1', modifiedDate: '2026-01-02T03:04:05Z', name: 'Seed Test Co' },
    { objectId: 'acct-seed-2', modifiedDate: '2026-01-02T03:04:05Z', name: 'Seed Test Two' },
  ];
  const form = new FormData();
  form.append(field, new Blob([lines.map((l) => JSON.stringify(l)).join('\n')], { type: 'application/x-ndjson' }), 'accounts.ldjson');
  return form;
}

type Remote = { statusCode: number; truto_is_remote_error?: boolean; raw_response?: { errors: string[] } };

describe('CRM upload with snake arguments', () => {
  it('uploads with the seed keys, then polls the get-by-id status tool to DONE', async () => {
    seed.sb.resetStats();
    const clientRequestId = `seed-crm-${Date.now()}`;
    const ia = `integrated_account_id=${seed.dealsId}`;
    const upload = await seed.send<{ clientRequestId: string }>(
      `/proxy/crm_entities?${ia}&integration_id=${integrationId}&object_type=ACCOUNT&client_request_id=${clientRequestId}`,
      { method: 'POST', body: ldjson('data_file') },
    );
    expect(upload.status).toBe(201);
    expect(upload.body.clientRequestId).toBe(clientRequestId);

    const seen: string[] = [];
    const deadline = Date.now() + 5_000;
    let status = '';
    let polls = 0;
    while (status !== 'DONE' && status !== 'FAILED' && Date.now() < deadline) {
      const r = await seed.get<{ status: string; totalSuccessCount: number }>(
        `/proxy/crm_request_status/${clientRequestId}?${ia}&integration_id=${integrationId}`,
      );
      polls += 1;
      expect(r.status).toBe(200);
      status = r.body.status;
      if (seen.at(-1) !== status) seen.push(status);
      if (status !== 'DONE') await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(seen[0]).toBe('PENDING');
    expect(status).toBe('DONE');
    expect(seed.sb.stats().unknownArgs).toEqual({});
    expect(seed.sb.stats().requestsByTool).toEqual({ create_a_gong_crm_entity: 1, get_single_gong_crm_request_status_by_id: polls });

    // Read back through the seed's list tool, ids as snake `objects_crm_ids`.
    const read = await seed.get<{ result: Array<{ crmId: string; name: string }> }>(
      `/proxy/crm_entities?${ia}&integration_id=${integrationId}&object_type=ACCOUNT&objects_crm_ids[]=acct-seed-1`,
    );
    expect(read.body.result).toEqual([expect.objectContaining({ crmId: 'acct-seed-1', name: 'Seed Test Co' })]);
  });

  it("drops camel keys and the camel file part: Gong's 400, every key reported, nothing stored", async () => {
    seed.sb.resetStats();
    const clientRequestId = `seed-crm-camel-${Date.now()}`;
    const r = await seed.send<Remote>(
      `/proxy/crm_entities?integrated_account_id=${seed.dealsId}&integrationId=${integrationId}&objectType=ACCOUNT&clientRequestId=${clientRequestId}`,
      { method: 'POST', body: ldjson('dataFile') },
    );
    expect(r.status).toBe(400);
    expect(r.body.truto_is_remote_error).toBe(true);
    expect(r.body.raw_response?.errors[0]).toMatch(/integrationId/);
    expect(seed.sb.stats().unknownArgs).toEqual({
      create_a_gong_crm_entity: { integrationId: 1, objectType: 1, clientRequestId: 1, dataFile: 1 },
    });
    const status = await seed.get<Remote>(
      `/proxy/crm_request_status/${clientRequestId}?integrated_account_id=${seed.dealsId}&integration_id=${integrationId}`,
    );
    expect(status.status).toBe(404);
  });
});
