/**
 * findDeal: the autopsy's deal lookup over the CRM context Gong attaches to calls (Gong's CRM API
 * has no search). Calls are built here in Gong's extensive-call shape, so every expectation below
 * is written out by hand, not derived from the code.
 */
import { describe, expect, it } from 'vitest';
import { findDeal } from '../../src/shared/domain/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import type { CallData } from '../../src/shared/upstream/index.ts';

interface Link {
  type: 'Account' | 'Opportunity' | 'Contact';
  id: string;
  name?: string;
  fields?: Record<string, unknown>;
}

function call(id: string, links: Link[], workspaceId = 'ws-1'): CallData {
  return {
    metaData: { id, title: `Call ${id}`, started: '2026-03-01T10:00:00Z', url: `https://app.gong.io/call?id=${id}`, workspaceId },
    context: [
      {
        system: 'Salesforce',
        objects: links.map((l) => ({
          objectType: l.type,
          objectId: l.id,
          fields: [...(l.name ? [{ name: 'Name', value: l.name }] : []), ...Object.entries(l.fields ?? {}).map(([name, value]) => ({ name, value }))],
        })),
      },
    ],
  } as CallData;
}

const globexAcct: Link = { type: 'Account', id: '001GLOBEX', name: 'Globex Corporation' };
const globexOpp: Link = { type: 'Opportunity', id: '006GLOBEX', name: 'Globex - Platform', fields: { StageName: 'Technical Validation', Amount: 120000 } };
const globexRenewal: Link = { type: 'Opportunity', id: '006GLOBEX2', name: 'Globex - Renewal' };
const acmeAcct: Link = { type: 'Account', id: '001ACME', name: 'Acme Corp' };
const acmeOpp: Link = { type: 'Opportunity', id: '006ACME', name: 'Acme - Expansion' };

const calls = [
  call('1', [globexAcct, globexOpp]),
  call('2', [acmeAcct, acmeOpp]),
  call('3', [globexAcct, globexOpp]),
  call('4', [globexAcct, globexRenewal]),
  call('5', []), // an internal call: no CRM context
  call('6', [{ type: 'Contact', id: '003X', name: 'Globex Corporation' }]), // a contact with the name is not the deal
];

describe('findDeal', () => {
  it('by account name: every call of the account, the deal its most frequent opportunity, with stage and amount', () => {
    const deal = findDeal(calls, 'globex corporation ');
    expect(deal.calls.map((c) => c.metaData.id)).toEqual(['1', '3', '4']);
    expect(deal).toMatchObject({
      name: 'Globex - Platform',
      crmId: '006GLOBEX',
      accountCrmId: '001GLOBEX',
      accountName: 'Globex Corporation',
      stage: 'Technical Validation',
      amount: '120000',
      workspaceId: 'ws-1',
    });
  });

  it('by opportunity name or CRM id: only that opportunity’s calls, and that opportunity even if rarer', () => {
    const byName = findDeal(calls, 'Globex - Renewal');
    expect(byName.calls.map((c) => c.metaData.id)).toEqual(['4']);
    expect(byName).toMatchObject({ name: 'Globex - Renewal', crmId: '006GLOBEX2', accountCrmId: '001GLOBEX' });
    expect(byName.stage).toBeUndefined();

    const byId = findDeal(calls, '006acme');
    expect(byId.calls.map((c) => c.metaData.id)).toEqual(['2']);
    expect(byId).toMatchObject({ name: 'Acme - Expansion', crmId: '006ACME', accountName: 'Acme Corp' });
  });

  it('the named opportunity wins even when a call lists another one more often (one context per CRM system)', () => {
    const twoSystems = call('8', [globexAcct, globexOpp, globexRenewal]);
    twoSystems.context!.push({ system: 'HubSpot', objects: [{ objectType: 'Opportunity', objectId: '006GLOBEX', fields: [{ name: 'Name', value: 'Globex - Platform' }] }] });
    expect(findDeal([twoSystems], 'Globex - Renewal')).toMatchObject({ name: 'Globex - Renewal', crmId: '006GLOBEX2' });
    expect(findDeal([twoSystems], 'Globex Corporation')).toMatchObject({ name: 'Globex - Platform', crmId: '006GLOBEX' });
  });

  it('an account without opportunities is its own deal', () => {
    const initech = call('7', [{ type: 'Account', id: '001INITECH', name: 'Initech' }]);
    expect(findDeal([initech], 'Initech')).toMatchObject({ name: 'Initech', crmId: '001INITECH', accountCrmId: '001INITECH' });
  });

  it('an unknown name is bad input naming the closest deal and account names', () => {
    const err = (() => {
      try {
        findDeal(calls, 'Globex Corp');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BadInputError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^no deal or account named "Globex Corp" on any call in the window; did you mean /);
    // A name containing the query ranks first: raw edit distance alone ranks "Acme Corp" above it.
    const suggested = [...msg.matchAll(/"([^"]+)"/g)].slice(1).map((m) => m[1]);
    expect(suggested[0]).toBe('Globex Corporation');
    expect(suggested).toHaveLength(3);
  });

  it('suggests a name containing the query before one that is merely a few letters away', () => {
    const named = [call('9', [{ type: 'Account', id: '001I', name: 'Initech Global Holdings' }]), call('10', [{ type: 'Account', id: '001T', name: 'Intel' }])];
    expect(() => findDeal(named, 'Initech')).toThrow(/did you mean "Initech Global Holdings", "Intel"\?$/);
  });

  it('with no CRM context on any call there is nothing to suggest', () => {
    expect(() => findDeal([call('5', [])], 'Globex')).toThrow(/^no deal or account named "Globex" on any call in the window$/);
  });
});
