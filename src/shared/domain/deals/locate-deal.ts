/**
 * Which calls an autopsy is about, with what the account's tools allow:
 * - CRM context on the calls (a call-details tool that offers it): the deal is the Opportunity or
 *   Account named by `--deal` (a name or CRM id), its calls are the ones linked to it (find-deal.ts);
 * - otherwise the calls' titles: Gong titles calls after their calendar events, which name the
 *   customer ("Globex Corporation | Discovery"), so the deal's calls are the ones whose titles name
 *   it. A CRM id is first read through the CRM-entities tool to learn the names to look for.
 * How the calls were tied, and what that loses, goes into the report as degradations.
 */
import { BadInputError } from '../../platform/index.ts';
import { loadCapabilitiesRetried, type CallData } from '../../upstream/index.ts';
import { crmLinks } from '../calls/calls.ts';
import { discoverCalls, type DiscoverDeps } from '../calls/discover.ts';
import { addDegradation, type Degradation } from '../runs/degradations.ts';
import { looksLikeCrmId, readCrmDeal, type CrmDeal } from './crm-deal.ts';
import { closestNames, findDeal, type FoundDeal } from './find-deal.ts';

export interface LocateRequest {
  accountId: string;
  /** A deal or account name, or a CRM id. */
  deal: string;
  from: Date;
  to: Date;
  /** The CRM integration for reading a CRM id when the account has no integrations tool. */
  integrationId?: string;
}

export interface LocatedDeal {
  deal: FoundDeal;
  /** Upstream requests made (discovery and CRM reads). */
  requests: number;
  degradations: Degradation[];
}

const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Calls whose title names any of `names` as whole words (case-insensitive). */
export function callsNamed(calls: CallData[], names: string[]): CallData[] {
  const patterns = names.filter((n) => n.trim()).map((n) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(norm(n))}($|[^\\p{L}\\p{N}])`, 'u'));
  return calls.filter((c) => patterns.some((p) => p.test(norm(c.metaData.title ?? ''))));
}

/** The customer part of calendar titles ("Globex Corporation | Discovery" → "Globex Corporation"), for suggestions. */
function titleSubjects(calls: CallData[]): string[] {
  const subjects = calls.map((c) => (c.metaData.title ?? '').split(/\s+[|:–—-]\s+|\s+<>\s+/)[0]?.trim() ?? '').filter(Boolean);
  return [...new Set(subjects)];
}

export async function locateDeal(services: DiscoverDeps, req: LocateRequest): Promise<LocatedDeal> {
  const query = req.deal.trim();
  let found;
  try {
    found = await discoverCalls(services, { accountId: req.accountId, from: req.from, to: req.to, crmContext: true });
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    throw new BadInputError(`${err.message}; an autopsy needs one to tie calls to the deal. To summarize calls you know instead: gong-fleet summarize --account ${req.accountId} --call-ids <ids>`);
  }
  if (found.calls.length === 0) throw new BadInputError(`no calls from ${req.from.toISOString()} to ${req.to.toISOString()} on account ${req.accountId}`);
  if (found.crmContext && found.calls.some((c) => crmLinks(c).length > 0)) {
    return { deal: findDeal(found.calls, query), requests: found.requests, degradations: found.degradations };
  }

  const degradations = [...found.degradations];
  let requests = found.requests;
  let names = [query];
  let crm: CrmDeal | undefined;
  let calls = callsNamed(found.calls, names);
  if (calls.length === 0 && looksLikeCrmId(query)) {
    const caps = await loadCapabilitiesRetried(services.truto, req.accountId);
    crm = await readCrmDeal(caps, query, req.integrationId);
    requests += crm.requests;
    names = [crm.accountName, crm.name].filter((n): n is string => !!n);
    calls = callsNamed(found.calls, names);
  }
  if (calls.length === 0) {
    const close = closestNames(titleSubjects(found.calls), norm(names[0] ?? query));
    throw new BadInputError(
      `no call title from ${req.from.toISOString().slice(0, 10)} to ${req.to.toISOString().slice(0, 10)} names "${names.join('" or "')}" (without CRM context on the calls, an autopsy ties calls by title)${close.length ? `; titles name ${close.map((n) => `"${n}"`).join(', ')}` : ''}; or summarize known calls: gong-fleet summarize --account ${req.accountId} --call-ids <ids>`,
    );
  }
  addDegradation(degradations, 'calls-tied-by-title', `${whyNoContext(found)}: the deal's calls are the ${calls.length} calls of the window whose titles name "${names.join('" or "')}"; a call about the deal whose title does not name it is not included`);
  const workspaceId = calls.find((c) => c.metaData.workspaceId)?.metaData.workspaceId ?? undefined;
  return {
    deal: {
      name: crm?.name ?? query,
      ...(crm?.crmId ? { crmId: crm.crmId } : {}),
      ...(crm?.accountCrmId ? { accountCrmId: crm.accountCrmId } : {}),
      ...(crm?.accountName ? { accountName: crm.accountName } : {}),
      ...(crm?.stage ? { stage: crm.stage } : {}),
      ...(crm?.amount ? { amount: crm.amount } : {}),
      ...(workspaceId ? { workspaceId } : {}),
      tiedBy: 'title',
      calls,
    },
    requests,
    degradations,
  };
}

function whyNoContext(found: Awaited<ReturnType<typeof discoverCalls>>): string {
  if (found.source !== 'call-details') return 'no call-details tool, so the calls carry no CRM context';
  if (!found.crmContext) return 'the call-details tool offers no CRM context selector';
  return 'Gong attached no CRM context to the calls';
}

