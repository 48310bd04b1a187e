/**
 * Plain HTTP against a started sandbox, the way a Truto client sees it: JSON in, status, headers
 * and JSON out. Shared by the profile tests; no fleet code involved, so each test shows the wire.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';

export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TrutoHttp {
  sb: Sandbox;
  /** The deals account (Northwind: Globex and friends). */
  dealsId: string;
  get<T = Record<string, unknown>>(path: string): Promise<Reply<T>>;
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<Reply<T>>;
  patch<T = Record<string, unknown>>(path: string, body: unknown): Promise<Reply<T>>;
  /** Any request, with the Bearer token added. */
  send<T = Record<string, unknown>>(path: string, init: RequestInit): Promise<Reply<T>>;
  /** `/tools` of an account, with an optional query string (`?has_description=false`). */
  tools(accountId: string, query?: string): Promise<PublicTool[]>;
}

export interface PublicTool {
  name: string;
  description: string | null;
  resource: string;
  method: string;
  query_schema: { type: string; properties: Record<string, Record<string, unknown>> };
  body_schema: { type: string; properties: Record<string, Record<string, unknown>> };
  required: string[];
  tags: string[];
}

/** Limits raised unless asked otherwise: these tests are about shapes, truto-limits.test.ts about limits. */
export async function startTruto(opts: SandboxOptions = {}): Promise<TrutoHttp> {
  const sb = await startSandbox({ callsPerAccount: 24, gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, crmProcessingMs: 200, ...opts });
  const auth = { authorization: `Bearer ${sb.env.TRUTO_API_KEY}` };
  const send = async <T>(path: string, init: RequestInit): Promise<Reply<T>> => {
    const res = await fetch(sb.url + path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  };
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    sb,
    dealsId: sb.world.accountIdOf('deals'),
    send,
    get: (path) => send(path, {}),
    post: (path, body) => send(path, json('POST', body)),
    patch: (path, body) => send(path, json('PATCH', body)),
    async tools(accountId, query = '') {
      const r = await send<{ result: PublicTool[] }>(`/integrated-account/${accountId}/tools${query}`, {});
      if (r.status !== 200) throw new Error(`/tools answered ${r.status}`);
      return r.body.result;
    },
  };
}

/** ISO date-time `days` before now, for call windows. */
export const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();
