import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NonRetryableError, createLogger } from '../../src/shared/platform/index.ts';
import { type GateKey, type ObservedResponse, type RequestGate, DroppedArgumentError, PaginationLimitError, ToolAbsentError, TrutoClient, TrutoConnectionError, TrutoNotFoundError, TrutoRateLimitError, TrutoResponseShapeError, TrutoScopeError, TrutoServerError, TrutoTimeoutError, UnknownToolError, gong, trutoFile, type TrutoClientOptions, type TrutoTool } from '../../src/shared/upstream/index.ts';

const API_KEY = 'sk-truto-SECRET-0123456789';
const BASE = 'https://truto.test/';
const IA = 'ia-0001';

interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: RequestInit['body'];
  signal: AbortSignal | null | undefined;
}
type Handler = (req: Recorded) => Response | Promise<Response>;

/** An injected fetch that records requests and answers from `handler`. */
function fakeFetch(handler: Handler) {
  const calls: Recorded[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const req: Recorded = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: init.body,
      signal: init.signal,
    };
    calls.push(req);
    // Like the real fetch: an already-aborted signal rejects at once.
    if (init.signal?.aborted) throw init.signal.reason;
    return handler(req);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const props = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) });

const TOOLS: TrutoTool[] = [
  { name: 'list_all_gong_calls', resource: 'calls', method: 'list', query_schema: props('fromDateTime', 'toDateTime', 'workspaceId') },
  { name: 'get_single_gong_call_by_id', resource: 'calls', method: 'get', query_schema: props('id') },
  { name: 'create_a_gong_calls_transcript', resource: 'calls_transcript', method: 'create', body_schema: props('filter', 'cursor') },
  {
    name: 'update_a_gong_task_by_id',
    resource: 'tasks',
    method: 'update',
    query_schema: props('id', 'workspaceId'),
    body_schema: props('userId', 'status', 'workspaceId'),
  },
  { name: 'delete_a_gong_flow_by_id', resource: 'flows', method: 'delete', query_schema: props('id'), body_schema: props('reason') },
  { name: 'gong_calls_extensive', resource: 'calls', method: 'extensive', body_schema: props('filter', 'contentSelector') },
  {
    name: 'create_a_gong_crm_entity',
    resource: 'crm_entities',
    method: 'create',
    query_schema: props('integrationId', 'objectType', 'clientRequestId'),
    body_schema: props('dataFile'),
  },
  { name: 'list_all_gong_users', resource: 'users', method: 'list', query_schema: props('includeAvatars') },
];
const tool = (name: string): TrutoTool => TOOLS.find((t) => t.name === name)!;

function client(handler: Handler, extra: Partial<TrutoClientOptions> = {}) {
  const f = fakeFetch(handler);
  return { c: new TrutoClient({ baseUrl: BASE, apiKey: API_KEY, fetch: f.fetch, ...extra }), calls: f.calls };
}

const ok = () => json(200, { ok: true });

describe('routing', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['list_all_gong_calls', { fromDateTime: 'a' }, 'GET', '/proxy/calls'],
    ['get_single_gong_call_by_id', { id: '77 /x' }, 'GET', '/proxy/calls/77%20%2Fx'],
    ['create_a_gong_calls_transcript', { filter: {} }, 'POST', '/proxy/calls_transcript'],
    ['update_a_gong_task_by_id', { id: 42, userId: 'u' }, 'PATCH', '/proxy/tasks/42'],
    ['delete_a_gong_flow_by_id', { id: 'f1' }, 'DELETE', '/proxy/flows/f1'],
    ['gong_calls_extensive', { filter: {} }, 'POST', '/proxy/calls/extensive'],
  ];
  it.each(cases)('%s → %s %s', async (name, args, method, path) => {
    const { c, calls } = client(ok);
    await c.callTool(IA, tool(name), args);
    expect(calls).toHaveLength(1);
    const req = calls[0]!;
    expect(req.method).toBe(method);
    expect(req.url.pathname).toBe(path);
    expect(req.url.searchParams.get('integrated_account_id')).toBe(IA);
    expect(req.url.searchParams.has('id')).toBe(false);
    expect(req.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(req.headers.get('accept')).toBe('application/json');
    expect(req.headers.get('user-agent')).toBe('gong-fleet/0.1');
    if (method === 'GET' || method === 'DELETE') expect(req.body).toBeUndefined();
    else expect(req.headers.get('content-type')).toBe('application/json');
  });

  it('requires an id for get/update/delete tools', async () => {
    const { c, calls } = client(ok);
    await expect(c.callTool(IA, tool('get_single_gong_call_by_id'), {})).rejects.toBeInstanceOf(NonRetryableError);
    expect(calls).toHaveLength(0);
  });

  it('splits args by schema keys: query, body or both', async () => {
    const { c, calls } = client(ok);
    await c.callTool(IA, tool('update_a_gong_task_by_id'), { id: '9', userId: 'u1', status: 'DONE', workspaceId: 'w1' });
    const req = calls[0]!;
    expect(Object.fromEntries(req.url.searchParams)).toEqual({ integrated_account_id: IA, workspaceId: 'w1' });
    expect(JSON.parse(String(req.body))).toEqual({ userId: 'u1', status: 'DONE', workspaceId: 'w1' });
  });

  it('refuses, before any request, arguments the schema does not declare (Truto would drop them)', async () => {
    const { c, calls } = client(ok);
    const err = await c.callTool(IA, tool('update_a_gong_task_by_id'), { id: '9', userId: 'u1', bogus: 1, undef: undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DroppedArgumentError);
    expect((err as DroppedArgumentError).keys).toEqual(['bogus']);
    expect((err as DroppedArgumentError).retryable).toBe(false);
    expect((err as Error).message).toContain('update_a_gong_task_by_id');
    // Nested keys count too, where the schema lists the object's properties.
    const nested: TrutoTool = {
      name: 'n', resource: 'calls_transcript', method: 'create',
      body_schema: { type: 'object', properties: { filter: { type: 'object', properties: { callIds: { type: 'array' } } }, free: { type: 'object' } } },
    };
    const err2 = await c.callTool(IA, nested, { filter: { callIds: ['1'], fromDateTime: 'x' }, free: { anything: 1 } }).catch((e: unknown) => e);
    expect((err2 as DroppedArgumentError).keys).toEqual(['filter.fromDateTime']);
    await expect(c.iterateTool(IA, tool('list_all_gong_calls'), { bogus: 1 }).next()).rejects.toBeInstanceOf(DroppedArgumentError);
    expect(calls).toHaveLength(0);
    await c.callTool(IA, nested, { filter: { callIds: ['1'] }, free: { anything: 1 } });
    expect(JSON.parse(String(calls[0]!.body))).toEqual({ filter: { callIds: ['1'] }, free: { anything: 1 } });
  });

  it('encodes nested query args in bracket notation and sends JSON bodies', async () => {
    const { c, calls } = client(ok);
    const t: TrutoTool = { name: 'x', resource: 'calls', method: 'list', query_schema: props('filter') };
    await c.callTool(IA, t, { filter: { callIds: ['1', '2'], workspaceId: 'w' } });
    const search = calls[0]!.url.search;
    expect(search).toContain('filter[callIds][]=1&filter[callIds][]=2&filter[workspaceId]=w');
    await c.callTool(IA, tool('create_a_gong_calls_transcript'), { filter: { callIds: ['1'] } });
    expect(JSON.parse(String(calls[1]!.body))).toEqual({ filter: { callIds: ['1'] } });
  });

  it('sends multipart/form-data when a body arg is a file', async () => {
    const { c, calls } = client(() => json(201, { requestId: 'r', clientRequestId: 'c1' }));
    const ldjson = '{"objectId":"a1","modifiedDate":"2026-01-01T00:00:00Z","name":"Acme"}\n';
    const res = await c.callTool(IA, tool('create_a_gong_crm_entity'), {
      integrationId: '123',
      objectType: 'ACCOUNT',
      clientRequestId: 'c1',
      dataFile: trutoFile('accounts.ldjson', Buffer.from(ldjson), 'application/x-ndjson'),
    });
    expect(res.status).toBe(201);
    const req = calls[0]!;
    expect(req.method).toBe('POST');
    expect(req.url.searchParams.get('objectType')).toBe('ACCOUNT');
    expect(req.headers.get('content-type')).toBeNull(); // fetch adds the boundary itself
    const form = req.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    const file = form.get('dataFile') as File;
    expect(file.name).toBe('accounts.ldjson');
    expect(await file.text()).toBe(ldjson);
    // And the form really serialises as multipart through Response/Request machinery.
    const encoded = new Request('http://x/', { method: 'POST', body: form });
    expect(encoded.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('returns headers lower-cased, {} for 204, text for non-JSON, and int64 ids exact', async () => {
    const answers = [
      new Response(null, { status: 204, headers: { 'X-Thing': 'y' } }),
      new Response('plain', { status: 200, headers: { 'content-type': 'text/plain' } }),
      new Response('{"tasks":[{"id":1234567890123456789}]}', { status: 200, headers: { 'content-type': 'application/json' } }),
    ];
    const { c } = client(() => answers.shift()!);
    const r204 = await c.callTool(IA, tool('delete_a_gong_flow_by_id'), { id: '1' });
    expect(r204).toEqual({ status: 204, headers: { 'x-thing': 'y' }, body: {} });
    expect((await c.callTool(IA, tool('delete_a_gong_flow_by_id'), { id: '1' })).body).toBe('plain');
    const big = await c.callTool(IA, tool('delete_a_gong_flow_by_id'), { id: '1' });
    expect(big.body).toEqual({ tasks: [{ id: '1234567890123456789' }] });
  });
});

describe('tool discovery', () => {
  it('reads `result`, falls back to `results`, and sends filters comma-joined', async () => {
    let key = 'result';
    const { c, calls } = client(() => json(200, { [key]: TOOLS, next_cursor: null }));
    expect((await c.listTools(IA)).map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    key = 'results';
    const filtered = await c.listTools(IA, { methods: ['list', 'get'], tags: ['calls'] });
    expect(filtered).toHaveLength(TOOLS.length);
    expect(calls[1]!.url.pathname).toBe(`/integrated-account/${IA}/tools`);
    expect(calls[1]!.url.searchParams.get('methods')).toBe('list,get');
    expect(calls[1]!.url.searchParams.get('tags')).toBe('calls');
    // Truto hides tools without a description unless asked: the fleet always asks for all of them.
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({ has_description: 'false' });
    await c.listTools(IA, { hasDescription: true });
    expect(calls[2]!.url.search).toBe('');
  });

  it('rejects a tools body without result/results as a shape error', async () => {
    const { c } = client(() => json(200, { tools: [] }));
    await expect(c.listTools(IA)).rejects.toBeInstanceOf(TrutoResponseShapeError);
  });

  it('caches per account for toolsTtlMs on the injected clock, and never caches failures', async () => {
    let nowMs = 1_000;
    let fail = true;
    const { c, calls } = client(() => (fail ? json(500, { message: 'down' }) : json(200, { result: TOOLS })), {
      clock: () => nowMs,
      toolsTtlMs: 60_000,
    });
    await expect(c.listTools(IA)).rejects.toBeInstanceOf(TrutoServerError);
    fail = false;
    await c.listTools(IA);
    await c.findTool(IA, 'list_all_gong_calls');
    await Promise.all([c.listTools(IA), c.listTools(IA)]);
    expect(calls).toHaveLength(2);
    await c.listTools('ia-other');
    expect(calls).toHaveLength(3);
    nowMs += 59_999;
    await c.listTools(IA);
    expect(calls).toHaveLength(3);
    nowMs += 1;
    await c.listTools(IA);
    expect(calls).toHaveLength(4);
  });

  it('resolves tool names and lists close names for an unknown tool', async () => {
    const { c, calls } = client((req) => (req.url.pathname.endsWith('/tools') ? json(200, { result: TOOLS }) : ok()));
    await c.callTool(IA, 'list_all_gong_users', { includeAvatars: false });
    expect(calls[1]!.url.pathname).toBe('/proxy/users');
    const err = await c.findTool(IA, 'list_all_gong_call').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolAbsentError);
    expect(err).toBeInstanceOf(UnknownToolError);
    expect((err as UnknownToolError).suggestions[0]).toBe('list_all_gong_calls');
    expect((err as Error).message).toContain('closest listed: list_all_gong_calls');
    expect((err as UnknownToolError).retryable).toBe(false);
    const none = (await c.findTool(IA, 'zzz').catch((e: unknown) => e)) as UnknownToolError;
    expect(none.suggestions).toEqual([]);
    expect(none.message).toContain('lists no similar tool');
  });
});

describe('pagination', () => {
  it('follows next_cursor on list tools, omitting it on the first page', async () => {
    const pages: Record<string, unknown> = {
      '': { result: [1, 2], next_cursor: 'c1' },
      c1: { result: [3], next_cursor: 'c2' },
      c2: { result: [4], next_cursor: null },
    };
    const { c, calls } = client((req) => json(200, pages[req.url.searchParams.get('next_cursor') ?? '']));
    const seen = [];
    for await (const page of c.iterateTool(IA, tool('list_all_gong_calls'), { fromDateTime: 'f' })) seen.push(page);
    expect(seen.map((p) => [p.pageIndex, p.items])).toEqual([
      [0, [1, 2]],
      [1, [3]],
      [2, [4]],
    ]);
    expect(calls[0]!.url.searchParams.has('next_cursor')).toBe(false);
    expect(calls.map((r) => r.url.searchParams.get('fromDateTime'))).toEqual(['f', 'f', 'f']);
    expect(await c.collectAll(IA, tool('list_all_gong_calls'), {})).toEqual([1, 2, 3, 4]);
  });

  it("follows Gong's records.cursor on POST reads with a top-level body cursor, inputs unchanged", async () => {
    const bodies: unknown[] = [];
    const { c, calls } = client((req) => {
      const body = JSON.parse(String(req.body)) as { cursor?: string };
      bodies.push(body);
      if (!body.cursor) return json(200, { requestId: 'a', records: { totalRecords: 3, cursor: 'k1' }, callTranscripts: [{ callId: '1', transcript: [] }] });
      if (body.cursor === 'k1') return json(200, { requestId: 'b', records: { totalRecords: 3, cursor: 'k2' }, callTranscripts: [{ callId: '2', transcript: [] }] });
      return json(200, { requestId: 'c', records: { totalRecords: 3 }, callTranscripts: [{ callId: 3, transcript: [] }] });
    });
    const filter = { callIds: ['1', '2', '3'], fromDateTime: 'f' };
    const items = await c.collectAll(IA, tool('create_a_gong_calls_transcript'), { filter }, { itemSchema: gong.CallTranscript });
    expect(items.map((t) => t.callId)).toEqual(['1', '2', '3']);
    expect(bodies).toEqual([{ filter }, { filter, cursor: 'k1' }, { filter, cursor: 'k2' }]);
    expect(calls.every((r) => r.url.pathname === '/proxy/calls_transcript' && r.method === 'POST')).toBe(true);
  });

  it('takes items from the first array beside records, or from itemsKey', async () => {
    const body = { requestId: 'r', records: { totalRecords: 1 }, emptyNote: [], usersAggregateActivity: [{ userId: 'u' }] };
    const { c } = client(() => json(200, body));
    const t = tool('gong_calls_extensive');
    const pages = [];
    for await (const page of c.iterateTool(IA, t, {})) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items).toEqual([]);
    const named = await c.collectAll(IA, t, {}, { itemsKey: 'usersAggregateActivity' });
    expect(named).toEqual([{ userId: 'u' }]);
  });

  it('throws PaginationLimitError at the page cap instead of truncating', async () => {
    let n = 0;
    const { c, calls } = client(() => json(200, { result: [n], next_cursor: `c${++n}` }), { maxPages: 3 });
    const seen: number[] = [];
    const err = await (async () => {
      for await (const p of c.iterateTool(IA, tool('list_all_gong_calls'), {})) seen.push(p.pageIndex);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationLimitError);
    expect((err as Error).message).toContain('list_all_gong_calls');
    expect((err as PaginationLimitError).retryable).toBe(false);
    expect(seen).toEqual([0, 1, 2]);
    expect(calls).toHaveLength(3);
    await expect(c.collectAll(IA, tool('list_all_gong_calls'), {}, { maxPages: 1 })).rejects.toBeInstanceOf(PaginationLimitError);
  });

  it('stops a server that repeats the same cursor', async () => {
    const { c } = client(() => json(200, { records: { cursor: 'same' }, callTranscripts: [] }));
    await expect(c.collectAll(IA, tool('create_a_gong_calls_transcript'), {})).rejects.toThrow(/same cursor/);
    const { c: c2 } = client(() => json(200, { result: [], next_cursor: 'same' }));
    await expect(c2.collectAll(IA, tool('list_all_gong_calls'), {})).rejects.toThrow(/same cursor/);
  });

  it("never stops after a Gong page silently: no cursor argument to send back is an error", async () => {
    // gong_calls_extensive declares no `cursor`: a second page cannot be asked for.
    const { c, calls } = client(() => json(200, { records: { cursor: 'k1' }, calls: [{ id: 1 }] }));
    const err = await c.collectAll(IA, tool('gong_calls_extensive'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationLimitError);
    expect((err as Error).message).toMatch(/declares no cursor argument/);
    expect(calls).toHaveLength(1);
  });

  it('pages an unwrapped POST read by re-sending the same request with next_cursor; a bare array is one page', async () => {
    const { c, calls } = client((req) =>
      json(200, req.url.searchParams.get('next_cursor') === 'n1' ? { result: [{ callId: '2' }], next_cursor: null } : { result: [{ callId: '1' }], next_cursor: 'n1' }),
    );
    const pages = [];
    for await (const page of c.iterateTool(IA, tool('create_a_gong_calls_transcript'), { filter: { callIds: ['1', '2'] } })) pages.push(page);
    expect(pages.map((p) => [p.paging, p.items])).toEqual([['truto', [{ callId: '1' }]], ['truto', [{ callId: '2' }]]]);
    expect(calls.map((r) => JSON.parse(String(r.body)))).toEqual([{ filter: { callIds: ['1', '2'] } }, { filter: { callIds: ['1', '2'] } }]);
    expect(calls[1]!.url.searchParams.get('next_cursor')).toBe('n1');
    const { c: c2, calls: calls2 } = client(() => json(200, [{ callId: '1' }, { callId: '2' }]));
    const all = [];
    for await (const page of c2.iterateTool(IA, tool('create_a_gong_calls_transcript'), { filter: {} })) all.push(page);
    expect(all.map((p) => [p.paging, p.items.length])).toEqual([['none', 2]]);
    expect(calls2).toHaveLength(1);
  });

  it("turns Gong's empty-window 404 into no pages only when asked", async () => {
    const empty = { statusCode: 404, message: '', truto_is_remote_error: true, raw_response: { requestId: 'x', errors: ['No calls found corresponding to the provided filters'] } };
    const { c } = client(() => json(404, empty));
    await expect(c.collectAll(IA, tool('list_all_gong_calls'), {})).rejects.toBeInstanceOf(TrutoNotFoundError);
    expect(await c.collectAll(IA, tool('list_all_gong_calls'), {}, { notFoundAsEmpty: true })).toEqual([]);
  });

  it('pages through integrated accounts', async () => {
    const { c, calls } = client((req) =>
      req.url.searchParams.get('next_cursor') === 'p2'
        ? json(200, { result: [{ id: 'b' }], next_cursor: null, limit: 1 })
        : json(200, { result: [{ id: 'a', integration: { name: 'gong' } }], next_cursor: 'p2', limit: 1 }),
    );
    const accounts = await c.listIntegratedAccounts();
    expect(accounts.map((a) => a.id)).toEqual(['a', 'b']);
    expect(calls[0]!.url.pathname).toBe('/integrated-account');
  });
});

describe('errors, timeouts, gate and secrets', () => {
  it('throws typed errors with status, scope and reset', async () => {
    const answers = [
      json(403, { statusCode: 403, message: '', truto_is_remote_error: true, raw_response: { requestId: 'g1', errors: ['Insufficient scope api:calls:read:transcript'] } }),
      json(429, { statusCode: 429, message: 'Too Many Requests' }, { 'retry-after': '10', 'ratelimit-reset': '3' }),
    ];
    const { c } = client(() => answers.shift()!);
    const scope = (await c.callTool(IA, tool('create_a_gong_calls_transcript'), { filter: {} }).catch((e: unknown) => e)) as TrutoScopeError;
    expect(scope).toBeInstanceOf(TrutoScopeError);
    expect(scope.missingScope).toBe('api:calls:read:transcript');
    expect(scope.message).toMatch(/Truto 403 on create_a_gong_calls_transcript: missing Gong scope api:calls:read:transcript/);
    expect(scope.requestId).toBe('g1');
    const rl = (await c.callTool(IA, tool('list_all_gong_calls'), {}).catch((e: unknown) => e)) as TrutoRateLimitError;
    expect(rl).toBeInstanceOf(TrutoRateLimitError);
    expect(rl.retryable).toBe(true);
    expect(rl.resetMs).toBe(10_000);
    expect(rl.headers['retry-after']).toBe('10');
  });

  it('times out a request that hangs, via its AbortSignal', async () => {
    const { c, calls } = client(
      (req) =>
        new Promise<Response>((_resolve, reject) => {
          req.signal?.addEventListener('abort', () => reject(req.signal?.reason));
        }),
      { timeoutMs: 30 },
    );
    const err = await c.callTool(IA, tool('list_all_gong_calls'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrutoTimeoutError);
    expect((err as TrutoTimeoutError).retryable).toBe(true);
    expect((err as Error).message).toBe('Truto request list_all_gong_calls timed out after 30 ms');
    expect(calls[0]!.signal?.aborted).toBe(true);
  });

  it("rethrows the caller's abort reason rather than a timeout", async () => {
    const { c, calls } = client(
      (req) => new Promise<Response>((_r, reject) => req.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      { timeoutMs: 5_000 },
    );
    const ac = new AbortController();
    const p = c.callTool(IA, tool('list_all_gong_calls'), {}, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('shutdown')), 10);
    await expect(p).rejects.toThrow('shutdown');
    // Already aborted: nothing is sent.
    const before = calls.length;
    await expect(c.callTool(IA, tool('list_all_gong_calls'), {}, { signal: ac.signal })).rejects.toThrow('shutdown');
    expect(calls.length).toBe(before);
  });

  it('maps a failed connection to TrutoConnectionError', async () => {
    const { c } = client(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    const err = await c.callTool(IA, tool('list_all_gong_calls'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrutoConnectionError);
    expect((err as TrutoConnectionError).retryable).toBe(true);
    expect((err as Error).message).toContain('ECONNREFUSED');
  });

  it('acquires the gate before every proxy request and observes every response, errors included', async () => {
    const events: string[] = [];
    const gate: RequestGate = {
      async acquire(key: GateKey) {
        events.push(`acquire:${key.bucket}`);
      },
      async observe(key: GateKey, res: ObservedResponse) {
        events.push(`observe:${key.bucket}:${res.status}:${res.headers['ratelimit-remaining'] ?? '-'}`);
      },
    };
    const answers = [
      json(200, { result: TOOLS }),
      json(200, { result: [1], next_cursor: 'n' }, { 'RateLimit-Remaining': '4' }),
      json(429, { message: 'slow' }, { 'ratelimit-remaining': '0', 'ratelimit-reset': '2' }),
    ];
    const { c } = client((req) => {
      events.push(`fetch:${req.url.pathname}`);
      return answers.shift()!;
    }, { gate });
    await expect(c.collectAll(IA, 'list_all_gong_calls', {})).rejects.toBeInstanceOf(TrutoRateLimitError);
    expect(events).toEqual([
      `fetch:/integrated-account/${IA}/tools`, // discovery is not a proxy call: no gate
      `acquire:${IA}`,
      'fetch:/proxy/calls',
      `observe:${IA}:200:4`,
      `acquire:${IA}`,
      'fetch:/proxy/calls',
      `observe:${IA}:429:0`,
    ]);
  });

  it('never lets the API key reach an error message or a log line', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
    const echo = `Invalid token Bearer ${API_KEY}`;
    const answers: Array<() => Response> = [
      () => json(401, { statusCode: 401, message: echo }),
      () => json(403, { message: echo }),
      () => json(500, echo),
      () => json(429, { message: echo }),
      () => {
        throw new TypeError(`fetch failed for ${API_KEY}`);
      },
    ];
    const { c } = client(() => answers.shift()!(), { logger });
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) errors.push(await c.callTool(IA, tool('list_all_gong_calls'), { workspaceId: API_KEY }).catch((e: unknown) => e));
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    for (const e of errors as Error[]) {
      expect(e.message).not.toContain(API_KEY);
      expect(String(e.stack)).not.toContain(API_KEY);
      expect(JSON.stringify((e as { body?: unknown }).body ?? null)).not.toContain(API_KEY);
      expect(String((e.cause as Error | undefined)?.message)).not.toContain(API_KEY);
    }
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).not.toContain(API_KEY);
  });
});
