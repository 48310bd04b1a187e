import { describe, expect, it } from 'vitest';
import { assertLdjson, checkLdjson, clientRequestIdFor, isClientRequestId, pollDelayMs } from '../../src/shared/domain/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';

const lines = (...xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');
const D = '2026-03-10T09:30:00Z';

describe('LDJSON validation per Gong type', () => {
  it('accepts valid lines of every type, blank lines included', () => {
    expect(checkLdjson(lines({ objectId: 'acct-1', modifiedDate: D, name: 'Acme', domains: ['acme.com'], industry_c: 'Retail' }, '', { objectId: 'acct-2', modifiedDate: D }), 'ACCOUNT')).toEqual({ entities: 2, errors: [] });
    expect(checkLdjson(lines({ objectId: 'deal-1', modifiedDate: '2026-03-10T09:30:00+02:00', accountId: 'acct-1', status: 'WON', amount: 10, stage: 'TV', custom_c: 1 }), 'DEAL').errors).toEqual([]);
    expect(checkLdjson(lines({ objectId: 'c-1', modifiedDate: D, emailAddress: 'a@b.co', firstName: 'A' }), 'CONTACT').errors).toEqual([]);
    expect(checkLdjson(lines({ objectId: 'rep@acme.com', modifiedDate: D, emailAddress: 'rep@acme.com' }), 'BUSINESS_USER').errors).toEqual([]);
    expect(checkLdjson(lines({ objectId: 'rep-2', modifiedDate: D, isDeleted: true }), 'BUSINESS_USER').errors).toEqual([]);
    expect(checkLdjson(lines({ objectId: 'stage-1', name: 'Discovery' }), 'STAGE').errors).toEqual([]); // no modifiedDate needed
    expect(checkLdjson(lines({ objectId: 'l-1', modifiedDate: D, convertedToDealId: 'deal-1' }), 'LEAD').errors).toEqual([]);
  });

  it('reports each bad line by its number in the file', () => {
    const content = lines(
      { objectId: 'ok-1', modifiedDate: D }, // 1
      '{not json', // 2
      '', // 3 (blank, skipped but counted)
      { modifiedDate: D }, // 4
      { objectId: 'bad id', modifiedDate: D }, // 5
      { objectId: 'a-1', modifiedDate: '2026-03-10T09:30:00.123Z' }, // 6
      { objectId: 'a-2' }, // 7
      '[1,2]', // 8
      { objectId: 'a-3', modifiedDate: D, domains: 'acme.com' }, // 9
    );
    const check = checkLdjson(content, 'ACCOUNT');
    expect(check.entities).toBe(8);
    expect(check.errors.map((e) => e.line)).toEqual([2, 4, 5, 6, 7, 8, 9]);
    expect(check.errors[0]!.message).toBe('not valid JSON');
    expect(check.errors[1]!.message).toMatch(/objectId is required/);
    expect(check.errors[2]!.message).toMatch(/objectId must be/);
    expect(check.errors[3]!.message).toMatch(/without milliseconds/);
    expect(check.errors[4]!.message).toMatch(/modifiedDate/);
    expect(check.errors[5]!.message).toMatch(/one JSON object/);
    expect(check.errors[6]!.message).toMatch(/domains/);
  });

  it('enforces per-type rules: deal status and amount, required emails and names, strict fields', () => {
    expect(checkLdjson(lines({ objectId: 'd', modifiedDate: D, status: 'CLOSED' }), 'DEAL').errors[0]!.message).toMatch(/WON, LOST or OPEN/);
    expect(checkLdjson(lines({ objectId: 'd', modifiedDate: D, amount: '100' }), 'DEAL').errors[0]!.message).toMatch(/amount must be a number/);
    expect(checkLdjson(lines({ objectId: 'u', modifiedDate: D }), 'BUSINESS_USER').errors[0]!.message).toMatch(/emailAddress is required/);
    expect(checkLdjson(lines({ objectId: 's' }), 'STAGE').errors[0]!.message).toMatch(/name is required/);
    expect(checkLdjson(lines({ objectId: 'c', modifiedDate: D, emailAddress: 'nope' }), 'CONTACT').errors[0]!.message).toMatch(/email address/);
    expect(checkLdjson(lines({ objectId: 'c', modifiedDate: D, favouriteColour: 'red' }), 'CONTACT').errors[0]!.message).toBe('unknown field favouriteColour for CONTACT');
  });

  it('refuses mixed types: one type per file', () => {
    const check = checkLdjson(
      lines(
        { objectId: 'acct-1', modifiedDate: D, name: 'Acme' },
        { objectId: 'c-1', modifiedDate: D, emailAddress: 'a@b.co', firstName: 'A' },
        { objectId: 'd-1', modifiedDate: D, objectType: 'DEAL' },
      ),
      'ACCOUNT',
    );
    expect(check.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(check.errors[0]!.message).toMatch(/looks like a (CONTACT|LEAD) \(.*emailAddress.*\) in a ACCOUNT file: one type per file/);
    expect(check.errors[1]!.message).toBe('objectType DEAL in a ACCOUNT file (one type per file)');
    expect(checkLdjson(lines({ objectId: 's-1', modifiedDate: D, name: 'Won', amount: 5 }), 'STAGE').errors[0]!.message).toMatch(/looks like a DEAL \(amount\).*takes no custom fields/);
  });

  it('an empty file is an error; assertLdjson throws one BadInputError line naming lines', () => {
    expect(checkLdjson('\n\n', 'ACCOUNT').errors).toEqual([{ line: 0, message: expect.stringMatching(/no entities/) }]);
    const bad = lines(...Array.from({ length: 8 }, (_, i) => ({ objectId: `a-${i}` })));
    let err: unknown;
    try {
      assertLdjson('accounts.ldjson', bad, 'ACCOUNT');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadInputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^accounts\.ldjson: 8 bad lines of 8: line 1: .*; line 5: .*; and 3 more; nothing was uploaded$/);
    expect(assertLdjson('ok.ldjson', lines({ objectId: 'a', modifiedDate: D }), 'ACCOUNT')).toBe(1);
  });
});

describe('clientRequestId and poll backoff', () => {
  it('derives a Gong-legal id from content, type, integration and account', () => {
    const a = clientRequestIdFor('x\n', 'ACCOUNT', '1', 'acct');
    expect(isClientRequestId(a)).toBe(true);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(clientRequestIdFor(Buffer.from('x\n'), 'ACCOUNT', '1', 'acct')).toBe(a);
    expect(clientRequestIdFor('y\n', 'ACCOUNT', '1', 'acct')).not.toBe(a);
    expect(clientRequestIdFor('x\n', 'DEAL', '1', 'acct')).not.toBe(a);
    expect(clientRequestIdFor('x\n', 'ACCOUNT', '2', 'acct')).not.toBe(a);
    expect(clientRequestIdFor('x\n', 'ACCOUNT', '1', 'other')).not.toBe(a);
  });

  it('backs off 1.5× per poll up to the cap', () => {
    const limits = { firstPollMs: 1_000, maxPollMs: 5_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => pollDelayMs(n, limits))).toEqual([1_000, 1_500, 2_250, 3_375, 5_000, 5_000]);
  });
});
