import { describe, expect, it } from 'vitest';
import { FleetError, RetryAfterError } from '../../src/shared/platform/index.ts';
import {
  TrutoApiError,
  TrutoAuthError,
  TrutoConflictError,
  TrutoNotFoundError,
  TrutoPaymentRequiredError,
  TrutoRateLimitError,
  TrutoScopeError,
  TrutoServerError,
  TrutoUnprocessableError,
  TrutoValidationError,
  encodeQuery,
  makeTrutoError,
  parseJsonLossless,
  parseMissingScope,
} from '../../src/shared/upstream/index.ts';

const gongBody = (status: number, errors: string[]) => ({
  statusCode: status,
  error: 'Error',
  message: '',
  truto_is_remote_error: true,
  raw_response: { requestId: 'req-123', errors },
});

describe('makeTrutoError', () => {
  const table: Array<[number, new (...a: never[]) => TrutoApiError, boolean]> = [
    [400, TrutoValidationError, false],
    [401, TrutoAuthError, false],
    [402, TrutoPaymentRequiredError, false],
    [403, TrutoScopeError, false],
    [404, TrutoNotFoundError, false],
    [405, TrutoApiError, false],
    [408, TrutoApiError, true],
    [409, TrutoConflictError, false],
    [422, TrutoUnprocessableError, false],
    [425, TrutoApiError, true],
    [429, TrutoRateLimitError, true],
    [500, TrutoServerError, true],
    [502, TrutoServerError, true],
    [503, TrutoServerError, true],
    [504, TrutoServerError, true],
    [501, TrutoServerError, false],
  ];
  it.each(table)('%i → %o, retryable %s', (status, cls, retryable) => {
    const err = makeTrutoError(status, {}, gongBody(status, ['boom']), { tool: 'list_all_gong_calls' });
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(TrutoApiError);
    expect(err).toBeInstanceOf(FleetError);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
    expect(err.message).toContain(String(status));
    expect(err.message).toContain('list_all_gong_calls');
    expect(err.remote).toBe(true);
    expect(err.requestId).toBe('req-123');
    expect(err.name).toBe(cls.name);
  });

  it('keeps raw_response and reads the request id from a header first', () => {
    const body = gongBody(400, ['cursor has expired']);
    const err = makeTrutoError(400, { 'x-request-id': 'hdr-1' }, body);
    expect(err.body).toEqual(body);
    expect(err.requestId).toBe('hdr-1');
    expect(err.message).toContain('cursor has expired');
  });

  it('marks Truto-side errors as not remote', () => {
    const err = makeTrutoError(429, { 'retry-after': '10' }, { statusCode: 429, error: 'Too Many Requests', message: 'Slow down' });
    expect(err.remote).toBe(false);
    expect((err as TrutoRateLimitError).resetMs).toBe(10_000);
    expect((err as TrutoRateLimitError).retryAfterMs).toBe(10_000);
    expect(err.message).toMatch(/rate limited, reset in 10000 ms/);
  });

  it('makes a 429 a RetryAfterError (still a TrutoApiError), with 10 s when no reset was named', () => {
    const named = makeTrutoError(429, { 'retry-after': '3' }, gongBody(429, ['API request limit exceeded']));
    expect(named).toBeInstanceOf(TrutoApiError);
    expect(named).toBeInstanceOf(RetryAfterError);
    expect((named as RetryAfterError).retryAfterMs).toBe(3000);
    const bare = makeTrutoError(429, {}, gongBody(429, ['API request limit exceeded']));
    expect(bare).toBeInstanceOf(RetryAfterError);
    expect((bare as TrutoRateLimitError).resetMs).toBeUndefined();
    expect((bare as TrutoRateLimitError).retryAfterMs).toBe(10_000);
    // Other statuses never count as rate limits, even when retryable.
    expect(makeTrutoError(503, { 'retry-after': '3' }, gongBody(503, ['busy']))).not.toBeInstanceOf(RetryAfterError);
  });

  it('reads the reset from ratelimit-reset when retry-after is absent', () => {
    const err = makeTrutoError(429, { 'ratelimit-reset': '7', 'ratelimit-remaining': '0' }, gongBody(429, ['API request limit exceeded']));
    expect(err).toBeInstanceOf(TrutoRateLimitError);
    expect((err as TrutoRateLimitError).resetMs).toBe(7000);
  });

  it('names the missing scope on 403, from the message, raw_response or forbidden_error', () => {
    const fromRaw = makeTrutoError(403, {}, gongBody(403, ['Missing scope: api:calls:read:transcript']), {
      tool: 'create_a_gong_calls_transcript',
    });
    expect(fromRaw).toBeInstanceOf(TrutoScopeError);
    expect((fromRaw as TrutoScopeError).missingScope).toBe('api:calls:read:transcript');
    expect(fromRaw.message).toContain('missing Gong scope api:calls:read:transcript');
    expect(fromRaw.retryable).toBe(false);

    expect(parseMissingScope({ message: 'token lacks api:crm:get-objects scope' })).toBe('api:crm:get-objects');
    expect(parseMissingScope({ forbidden_error: { value: { missing_scopes: ['api:ai-briefer:read'] } } })).toBe('api:ai-briefer:read');
    expect(parseMissingScope('Forbidden')).toBeUndefined();
    const unknown = makeTrutoError(403, {}, { message: 'Forbidden' });
    expect((unknown as TrutoScopeError).missingScope).toBeUndefined();
    expect(unknown.message).toContain('forbidden');
  });

  it("keeps Gong's empty-window 404 a TrutoNotFoundError flagged as empty", () => {
    const err = makeTrutoError(404, {}, gongBody(404, ['No calls found corresponding to the provided filters']));
    expect(err).toBeInstanceOf(TrutoNotFoundError);
    expect((err as TrutoNotFoundError).isEmptyResult).toBe(true);
    expect((makeTrutoError(404, {}, gongBody(404, ['Call ID was not found'])) as TrutoNotFoundError).isEmptyResult).toBe(false);
  });

  it('copes with text and empty bodies', () => {
    expect(makeTrutoError(502, {}, 'Bad Gateway').message).toContain('Bad Gateway');
    expect(makeTrutoError(500, {}, {}).message).toBe('Truto 500');
  });
});

describe('wire helpers', () => {
  it('encodes nested objects and arrays in bracket notation', () => {
    const qs = encodeQuery({
      integrated_account_id: 'ia 1',
      filter: { callIds: ['1', '2'], fromDateTime: '2026-01-01T00:00:00Z' },
      flag: true,
      skip: undefined,
      empty: null,
    });
    expect(qs).toBe(
      'integrated_account_id=ia%201&filter[callIds][]=1&filter[callIds][]=2&filter[fromDateTime]=2026-01-01T00%3A00%3A00Z&flag=true&empty=',
    );
    expect(new URLSearchParams(qs).getAll('filter[callIds][]')).toEqual(['1', '2']);
  });

  it('keeps int64 ids beyond 2^53 exact, and leaves strings and safe numbers alone', () => {
    const text =
      '{"answeredScorecardId": 7782342274025937895, "score": 5, "big": -9007199254740993, "s": "x 7782342274025937895 \\" 1234567890123456789", "f": 1.5e3, "safe": 9007199254740991, "arr":[12345678901234567890]}';
    expect(parseJsonLossless(text)).toEqual({
      answeredScorecardId: '7782342274025937895',
      score: 5,
      big: '-9007199254740993',
      s: 'x 7782342274025937895 " 1234567890123456789',
      f: 1500,
      safe: 9007199254740991,
      arr: ['12345678901234567890'],
    });
  });
});
