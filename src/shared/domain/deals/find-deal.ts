/**
 * Finds the deal an autopsy is about from the CRM context Gong attaches to calls (Gong's CRM API
 * has no search, so the calls are the index): a name or CRM id matches an Opportunity, or an
 * Account whose calls then define the deal. Unknown names get the closest names as suggestions.
 */
import { distance } from 'fastest-levenshtein';
import { crmLinks } from '../calls/calls.ts';
import { BadInputError } from '../../platform/index.ts';
import type { CallData } from '../../upstream/index.ts';

export interface FoundDeal {
  name: string;
  /** Undefined when calls were tied by title and no CRM read named the deal (the tasks may). */
  crmId?: string;
  accountCrmId?: string;
  accountName?: string;
  stage?: string;
  amount?: string;
  workspaceId?: string;
  /** How the calls were tied to the deal: CRM context on each call, or their titles. */
  tiedBy: 'crm-context' | 'title';
  calls: CallData[];
}

export function findDeal(calls: CallData[], query: string): FoundDeal {
  const q = query.trim().toLowerCase();
  const names = new Set<string>();
  const matches = (name: string | undefined, id: string) => {
    if (name) names.add(name);
    return id.toLowerCase() === q || (!!name && name.toLowerCase() === q);
  };
  const dealCalls = calls.filter((call) =>
    crmLinks(call).some((l) => (l.objectType === 'Opportunity' || l.objectType === 'Account') && matches(l.name, l.objectId)),
  );
  if (dealCalls.length === 0) {
    const close = closestNames([...names], q);
    throw new BadInputError(
      `no deal or account named "${query}" on any call in the window${close.length ? `; did you mean ${close.map((n) => `"${n}"`).join(', ')}?` : ''}`,
    );
  }
  // The deal: the matching Opportunity, or the most frequent Opportunity of the matching Account.
  const links = dealCalls.flatMap(crmLinks);
  const opps = links.filter((l) => l.objectType === 'Opportunity');
  const exact = opps.find((l) => l.objectId.toLowerCase() === q || l.name?.toLowerCase() === q);
  const opp = exact ?? mostFrequent(opps);
  const account = links.find((l) => l.objectType === 'Account');
  const first = dealCalls[0]?.metaData;
  return {
    name: opp?.name ?? account?.name ?? query,
    crmId: opp?.objectId ?? account?.objectId ?? query,
    ...(account ? { accountCrmId: account.objectId, ...(account.name ? { accountName: account.name } : {}) } : {}),
    ...(opp?.fields.StageName !== undefined ? { stage: String(opp.fields.StageName) } : {}),
    ...(opp?.fields.Amount !== undefined ? { amount: String(opp.fields.Amount) } : {}),
    ...(first?.workspaceId ? { workspaceId: first.workspaceId } : {}),
    tiedBy: 'crm-context',
    calls: dealCalls,
  };
}

/**
 * Up to 3 names nearest the query. A name containing the query (or contained in it) comes first:
 * raw edit distance alone ranks "Acme Corp" above "Globex Corporation" for "Globex Corp".
 */
export function closestNames(names: string[], q: string): string[] {
  const score = (name: string) => {
    const n = name.toLowerCase();
    if (n.includes(q) || q.includes(n)) return 0;
    return distance(n, q) / Math.max(n.length, q.length);
  };
  return names
    .map((name) => ({ name, score: score(name) }))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((x) => x.name);
}

function mostFrequent<T extends { objectId: string }>(list: T[]): T | undefined {
  const counts = new Map<string, number>();
  for (const l of list) counts.set(l.objectId, (counts.get(l.objectId) ?? 0) + 1);
  let best: T | undefined;
  for (const l of list) if (!best || (counts.get(l.objectId) ?? 0) > (counts.get(best.objectId) ?? 0)) best = l;
  return best;
}
