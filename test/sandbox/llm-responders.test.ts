/** The sandbox model's responders and robustness, called through the handler without HTTP. */
import { describe, expect, it } from 'vitest';
import { createLlmApi } from '../../src/sandbox/llm/index.ts';
import { minimalInstance } from '../../src/sandbox/llm/responders/json-schema-stub.ts';
import { DealReport } from '../../src/shared/domain/summaries/schemas.ts';

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
      'Technical risk: data migration (1 mention across 1 call).',
      'Security risk: SOC 2 (1 mention across 1 call).',
    ]);
    expect(report.pricing[0]!.citations).toEqual([{ callId: 'c9', timestamp: '00:00:30', quote: 'The budget is fixed.' }]);
    expect(report.overallSentiment).toBe('negative');
    expect(report.headline).toBe('2 objections across 4 calls; data migration is the main risk');
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

describe('call_findings classification', () => {
  it('puts each line in one category, with commitments before topics and worries before risks', async () => {
    const transcript = [
      '[00:00:10] Dana Rep (Internal): If I click into this deal, you get the full timeline of emails and calls.',
      '[00:01:00] Priya Buyer (External): I am worried about the integration effort on our side.',
      '[00:02:00] Priya Buyer (External): One technical risk is the API limits, we push a lot of records nightly.',
      '[00:03:00] Dana Rep (Internal): As a next step, I will send over the security whitepaper and our SOC 2 report by Friday.',
      '[00:04:00] Dana Rep (Internal): You may be concerned about the rollout, many teams are.',
      '[00:05:00] Priya Buyer (External): Change management is a real concern here.',
    ].join('\n');
    const res = await chat({
      model: 'gpt-4o-mini-sandbox',
      messages: [{ role: 'user', content: transcript }],
      response_format: { type: 'json_schema', json_schema: { name: 'call_findings' } },
    });
    const { findings } = contentOf(res.body) as { findings: { category: string; timestamp: string; summary: string }[] };
    expect(findings.map((f) => [f.category, f.timestamp])).toEqual([
      ['objection', '00:01:00'],
      ['objection', '00:04:00'],
      ['objection', '00:05:00'],
      ['technical_risk', '00:02:00'],
      ['next_step', '00:03:00'],
    ]);
    expect(findings[0]!.summary).toBe('The customer (Priya Buyer) raised a concern about integration effort.');
    expect(findings[4]!.summary).toBe('The rep (Dana Rep) proposed a next step: the security whitepaper.');
  });
});
