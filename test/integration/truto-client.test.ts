/**
 * The Truto client against the real sandbox over HTTP: discovery, routing, both pagination
 * styles and typed errors as the fleet will meet them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxAccountInfo } from '../../src/sandbox/types.ts';
import {
  TrutoAuthError,
  TrutoClient,
  TrutoNotFoundError,
  TrutoScopeError,
  UnknownToolError,
  gong,
} from '../../src/shared/truto/index.ts';

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
  it('lists every integrated account', async () => {
    const accounts = await client.listIntegratedAccounts();
    const ids = accounts.map((a) => a.id);
    for (const a of sb.world.accounts as SandboxAccountInfo[]) expect(ids).toContain(a.id);
  });

  it('discovers the Gong tools with routable resource/method', async () => {
    const tools = await client.listTools(dealsId);
    const names = tools.map((t) => t.name);
    expect(names).toContain('list_all_gong_calls');
    expect(names).toContain('create_a_gong_calls_transcript');
    for (const t of tools) {
      expect(t.resource).toMatch(/\S/);
      expect(t.method).toMatch(/\S/);
    }
    await expect(client.findTool(dealsId, 'list_all_gong_call')).rejects.toBeInstanceOf(UnknownToolError);
  });

  it('pages through calls (Truto list envelope) and reads transcripts (Gong records.cursor)', async () => {
    const calls = await client.collectAll(dealsId, 'list_all_gong_calls', window(), { itemSchema: gong.CallBasicData });
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);

    const callIds = calls.slice(0, 3).map((c) => c.id);
    const transcripts = await client.collectAll(
      dealsId,
      'create_a_gong_calls_transcript',
      { filter: { ...window(), callIds } },
      { itemsKey: 'callTranscripts', itemSchema: gong.CallTranscript },
    );
    expect(transcripts.map((t) => t.callId).sort()).toEqual([...callIds].sort());
    expect(transcripts[0]!.transcript[0]!.sentences[0]!.text).toMatch(/\S/);
  });

  it("keeps Gong's empty window a TrutoNotFoundError flagged as empty", async () => {
    const err = await client
      .callTool(dealsId, 'list_all_gong_calls', { fromDateTime: '1990-01-01T00:00:00Z', toDateTime: '1990-01-02T00:00:00Z' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrutoNotFoundError);
    expect((err as TrutoNotFoundError).isEmptyResult).toBe(true);
  });

  it('names the missing scope on a restricted account', async () => {
    if (!restrictedId) return; // the world has no restricted account
    const calls = await client.collectAll(restrictedId, 'list_all_gong_calls', window(), { itemSchema: gong.CallBasicData });
    const err = await client
      .callTool(restrictedId, 'create_a_gong_calls_transcript', { filter: { ...window(), callIds: [calls[0]!.id] } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrutoScopeError);
    expect((err as TrutoScopeError).missingScope).toBe('api:calls:read:transcript');
    expect((err as TrutoScopeError).retryable).toBe(false);
  });

  it('rejects a wrong API key with TrutoAuthError and keeps the key out of the message', async () => {
    const badKey = 'definitely-not-the-key-123';
    const bad = new TrutoClient({ baseUrl: sb.env.TRUTO_BASE_URL, apiKey: badKey });
    const err = await bad.listTools(dealsId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrutoAuthError);
    expect((err as Error).message).not.toContain(badKey);
    expect((err as Error).message).not.toContain(sb.env.TRUTO_API_KEY);
  });
});
