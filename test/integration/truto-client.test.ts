/**
 * The Truto client against the real sandbox over HTTP: discovery, routing, both pagination
 * styles and typed errors as the fleet will meet them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxAccountInfo } from '../../src/sandbox/types.ts';
import { retryDecision } from '../../src/shared/platform/index.ts';
import {
  TrutoApiError,
  TrutoAuthError,
  TrutoClient,
  TrutoNotFoundError,
  TrutoScopeError,
  UnknownToolError,
  gong,
  trutoFile,
} from '../../src/shared/upstream/index.ts';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sb: Sandbox;
let client: TrutoClient;
let dealsId: string;
let restrictedId: string | undefined;

const DAY_MS = 86_400_000;
const window = () => ({
  fromDateTime: new Date(Date.now() - 365 * DAY_MS).toISOString(),
  toDateTime: new Date(Date.now() + DAY_MS).toISOString(),
});

/**
 * The sandbox enforces Gong's 3 requests/s per company and the client never retries, so the test
 * does what a worker's runtime does: retry what the shared retry policy says to, after its wait.
 */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TrutoApiError)) throw err;
      const decision = retryDecision({ status: err.status, headers: err.headers, attempt }, { maxAttempts: 6 });
      if (!decision.retry) throw err;
      await new Promise((r) => setTimeout(r, decision.delayMs));
    }
  }
}

beforeAll(async () => {
  sb = await startSandbox({});
  client = new TrutoClient({ baseUrl: sb.env.TRUTO_BASE_URL, apiKey: sb.env.TRUTO_API_KEY });
  const accounts: SandboxAccountInfo[] = sb.world.accounts;
  dealsId = accounts[0]!.id;
  restrictedId = accounts.find((a: SandboxAccountInfo) => !a.scopes.includes('api:calls:read:transcript'))?.id;
});

afterAll(async () => {
  await sb?.close();
});

describe('TrutoClient against the sandbox', () => {
  /** Resolves to the error a call fails with (after retrying what the policy retries). */
  const failure = (fn: () => Promise<unknown>) => withRetry(fn).then(() => undefined, (e: unknown) => e);

  it('lists every integrated account', async () => {
    const accounts = await withRetry(() => client.listIntegratedAccounts());
    const ids = accounts.map((a) => a.id);
    for (const a of sb.world.accounts as SandboxAccountInfo[]) expect(ids).toContain(a.id);
  });

  it('discovers the Gong tools with routable resource/method', async () => {
    const tools = await withRetry(() => client.listTools(dealsId));
    const names = tools.map((t) => t.name);
    expect(names).toContain('list_all_gong_calls');
    expect(names).toContain('create_a_gong_calls_transcript');
    for (const t of tools) {
      expect(t.resource).toMatch(/\S/);
      expect(t.method).toMatch(/\S/);
    }
    expect(await failure(() => client.findTool(dealsId, 'list_all_gong_call'))).toBeInstanceOf(UnknownToolError);
  });

  it('pages through calls (Truto list envelope) and reads transcripts (Gong records.cursor)', async () => {
    const calls = await withRetry(() =>
      client.collectAll(dealsId, 'list_all_gong_calls', window(), { itemSchema: gong.CallBasicData }),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);

    const callIds = calls.slice(0, 3).map((c) => c.id);
    const transcripts = await withRetry(() =>
      client.collectAll(
        dealsId,
        'create_a_gong_calls_transcript',
        { filter: { ...window(), callIds } },
        { itemsKey: 'callTranscripts', itemSchema: gong.CallTranscript },
      ),
    );
    expect(transcripts.map((t) => t.callId).sort()).toEqual([...callIds].sort());
    expect(transcripts[0]!.transcript[0]!.sentences[0]!.text).toMatch(/\S/);
  });

  it("keeps Gong's empty window a TrutoNotFoundError flagged as empty", async () => {
    const empty = { fromDateTime: '1990-01-01T00:00:00Z', toDateTime: '1990-01-02T00:00:00Z' };
    const err = await failure(() => client.callTool(dealsId, 'list_all_gong_calls', empty));
    expect(err).toBeInstanceOf(TrutoNotFoundError);
    expect((err as TrutoNotFoundError).isEmptyResult).toBe(true);
    expect(await withRetry(() => client.collectAll(dealsId, 'list_all_gong_calls', empty, { notFoundAsEmpty: true }))).toEqual([]);
  });

  it('names the missing scope on a restricted account', async () => {
    const account = restrictedId;
    if (!account) throw new Error('the sandbox world should hold an account without the transcript scope');
    // Discovery hides tools the account's scopes do not allow...
    expect(await failure(() => client.findTool(account, 'create_a_gong_calls_transcript'))).toBeInstanceOf(UnknownToolError);
    // ...but a tool spec held from another account (or a stale cache) still reaches the proxy: 403.
    const transcriptTool = await withRetry(() => client.findTool(dealsId, 'create_a_gong_calls_transcript'));
    const calls = await withRetry(() =>
      client.collectAll(account, 'list_all_gong_calls', window(), { itemSchema: gong.CallBasicData }),
    );
    const err = await failure(() =>
      client.callTool(account, transcriptTool, { filter: { ...window(), callIds: [calls[0]!.id] } }),
    );
    expect(err).toBeInstanceOf(TrutoScopeError);
    expect((err as TrutoScopeError).missingScope).toBe('api:calls:read:transcript');
    expect((err as TrutoScopeError).message).toContain('api:calls:read:transcript');
    expect((err as TrutoScopeError).retryable).toBe(false);
  });

  it('uploads CRM entities as multipart/form-data and reads the request status', async () => {
    const integrations = await withRetry(() =>
      client.collectAll<{ integrationId: unknown }>(dealsId, 'list_all_gong_crm_integrations', {}),
    );
    expect(integrations).toHaveLength(1); // Gong allows one generic CRM integration per company
    const integrationId = String(integrations[0]!.integrationId);
    const clientRequestId = `it-${Date.now()}`;
    const line = JSON.stringify({ objectId: 'acct-it-1', modifiedDate: '2026-01-01T00:00:00Z', name: 'Integration Test Co' });
    const upload = await withRetry(() =>
      client.callTool(dealsId, 'create_a_gong_crm_entity', {
        integrationId,
        objectType: 'ACCOUNT',
        clientRequestId,
        dataFile: trutoFile('accounts.ldjson', Buffer.from(`${line}\n`), 'application/x-ndjson'),
      }),
    );
    expect(gong.CrmUploadResponse.parse(upload.body).clientRequestId).toBe(clientRequestId);
    const [status] = await withRetry(() =>
      client.collectAll(
        dealsId,
        'list_all_gong_crm_request_status',
        { integrationId, clientRequestId },
        { itemSchema: gong.CrmRequestStatus },
      ),
    );
    expect(['PENDING', 'IN_PROGRESS', 'DONE']).toContain(status!.status);
  });

  it('rejects a wrong API key with TrutoAuthError and keeps the key out of the message', async () => {
    const badKey = 'definitely-not-the-key-123';
    const bad = new TrutoClient({ baseUrl: sb.env.TRUTO_BASE_URL, apiKey: badKey });
    const err = await failure(() => bad.listTools(dealsId));
    expect(err).toBeInstanceOf(TrutoAuthError);
    expect((err as Error).message).not.toContain(badKey);
    expect((err as Error).message).not.toContain(sb.env.TRUTO_API_KEY);
  });
});
