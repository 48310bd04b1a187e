/** The sandbox model's responders and robustness, called through the handler without HTTP. */
import { describe, expect, it } from 'vitest';
import { createLlmApi } from '../../src/sandbox/llm/index.ts';
import { minimalInstance } from '../../src/sandbox/llm/responders/json-schema-stub.ts';
import { DealReport } from '../../src/shared/llm/schemas.ts';

const AUTH = { authorization: 'Bearer sk-test' };

function chat(body: unknown) {
  const api = createLlmApi({ latencyBaseMs: 0, latencyPerOutputTokenMs: 0 });
  return api.handle({ method: 'POST', path: '/chat/completions', headers: AUTH, body });
}

function contentOf(body: unknown): unknown {
  const b = body as { choices: { message: { content: string } }[] };
  return JSON.parse(b.choices[0]!.message.content);
}

describe('deal_report hierarchical reduce', () => {
  it('merges partial reports, keeping their citations verbatim and voting on sentiment', async () => {
    const partialA: DealReport = {
      headline: 'part A',
      objections: [{ point: 'Concerns about timeline', citations: [{ callId: 'c1', timestamp: '00:01:00', quote: 'The timeline is too long.' }] }],
      risks: [{ point: 'Security risk: SOC 2', citations: [{ callId: 'c1', timestamp: '00:02:00', quote: 'Send the SOC 2 report.' }] }],
      competitors: [],
      pricing: [],
      nextSteps: [],
      overallSentiment: 'negative',
    };
    const partialB: DealReport = {
      ...partialA,
      headline: 'part B',
      objections: [{ point: 'Concerns about timeline', citations: [{ callId: 'c7', timestamp: '00:04:00', quote: 'Our timeline is tight.' }] }],
      risks: [{ point: 'Technical risk: migration', citations: [{ callId: 'c8', timestamp: '00:05:00', quote: 'The migration from our legacy CRM worries me.' }] }],
    };
    const findings = [{ callId: 'c9', category: 'pricing', summary: 's', speaker: 'Sam', timestamp: '00:00:30', quote: 'The budget is fixed.' }];
    const res = await chat({
      model: 'gpt-4o-mini-sandbox',
      messages: [{ role: 'user', content: '```json\n' + JSON.stringify({ findings, partialReports: [partialA, partialB] }) + '\n```' }],
      response_format: { type: 'json_schema', json_schema: { name: 'deal_report', schema: {}, strict: true } },
    });
    expect(res.status).toBe(200);
    const report = DealReport.parse(contentOf(res.body));
    expect(report.objections).toHaveLength(1);
    expect(report.objections[0]!.citations.map((c) => c.callId)).toEqual(['c1', 'c7']);
    expect(report.risks.map((r) => r.point)).toEqual([
      'Technical risk: migration (1 mention across 1 call).',
      'Security risk: SOC 2 (1 mention across 1 call).',
    ]);
    expect(report.pricing[0]!.citations).toEqual([{ callId: 'c9', timestamp: '00:00:30', quote: 'The budget is fixed.' }]);
    expect(report.overallSentiment).toBe('negative');
    expect(report.headline).toBe('2 objections across 4 calls; migration is the main risk');
  });

  it('an empty or missing json block still yields a valid report', async () => {
    const res = await chat({
      model: 'gpt-4o-mini-sandbox',
      messages: [{ role: 'user', content: 'no block here' }],
      response_format: { type: 'json_schema', json_schema: { name: 'deal_report' } },
    });
    const report = DealReport.parse(contentOf(res.body));
    expect(report).toMatchObject({ headline: '0 objections across 0 calls; no major risks found', overallSentiment: 'neutral' });
  });
});

describe('minimalInstance', () => {
  it('follows $ref, anyOf, const, minItems and minimum', () => {
    const schema = {
      type: 'object',
      properties: {
        item: { $ref: '#/$defs/Item' },
        either: { anyOf: [{ type: 'integer', minimum: 3 }, { type: 'string' }] },
        fixed: { const: 'v1' },
        list: { type: 'array', minItems: 2, items: { type: 'boolean' } },
        optional: { type: 'string' },
      },
      required: ['item', 'either', 'fixed', 'list'],
      $defs: { Item: { type: 'object', properties: { self: { $ref: '#/$defs/Item' } }, required: [] } },
    };
    expect(minimalInstance(schema)).toEqual({ item: {}, either: 3, fixed: 'v1', list: [false, false] });
  });

  it('survives a self-referencing required schema', () => {
    const loop = { $ref: '#' };
    expect(() => minimalInstance(loop)).not.toThrow();
  });
});

describe('robustness', () => {
  it.each([
    ['null body', null],
    ['a number', 42],
    ['messages not an array', { model: 'gpt-4o-mini-sandbox', messages: 'hi' }],
    ['empty messages', { model: 'gpt-4o-mini-sandbox', messages: [] }],
    ['negative max_tokens', { model: 'gpt-4o-mini-sandbox', max_tokens: -1, messages: [{ role: 'user', content: 'x' }] }],
    ['bad schema name', { model: 'gpt-4o-mini-sandbox', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'has spaces' } } }],
    ['unknown response_format', { model: 'gpt-4o-mini-sandbox', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'xml' } }],
  ])('%s → 400 invalid_request_error', async (_label, body) => {
    const res = await chat(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(res.headers['x-ratelimit-limit-requests']).toBe('500');
  });

  it('accepts content-part arrays and odd transcript text without crashing', async () => {
    const res = await chat({
      model: 'gpt-4o-mini-sandbox',
      messages: [
        { role: 'user', content: [{ type: 'text', text: '[00:00:01] A (External): We worry about the timeline.' }, { type: 'image_url' }] },
        { role: 'user', content: '[99:99:99] ( (External): ))) \u0000 <|endoftext|>' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'call_findings' } },
    });
    expect(res.status).toBe(200);
    expect(contentOf(res.body)).toMatchObject({
      findings: [{ category: 'objection', quote: 'We worry about the timeline.', speaker: 'A', timestamp: '00:00:01' }],
    });
  });

  it('rejects a missing or empty bearer token with 401', async () => {
    const api = createLlmApi();
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Basic abc' }]) {
      const res = await api.handle({ method: 'GET', path: '/models', headers, body: undefined });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'invalid_api_key' } });
    }
    const ok = await api.handle({ method: 'GET', path: '/models?limit=5', headers: { Authorization: 'Bearer k' }, body: undefined });
    expect(ok.status).toBe(200);
  });
});
