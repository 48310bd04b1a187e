/**
 * Discovery reads a producer makes before it enqueues anything (so bad input is caught while
 * nothing is queued): the account exists, and the calls of a window or of given ids, in as few
 * requests as the account's tools allow. With a call-details tool (Gong's extensive data, 100 calls
 * a page) the calls come with parties and, when asked, CRM context; with only the calls list they
 * carry Gong's basic metadata (title, start, host, workspace) and the run says what that loses.
 */
import { distance } from 'fastest-levenshtein';
import { BadInputError } from '../../platform/index.ts';
import {
  CallData,
  TrutoNotFoundError,
  loadCapabilitiesRetried,
  retryRead,
  type AccountCapabilities,
  type CapabilityTruto,
  type TrutoClient,
} from '../../upstream/index.ts';
import { addDegradation, type Degradation } from '../runs/degradations.ts';

/** What discovery needs: a Truto client (the producer's, paced by the governor). */
export interface DiscoverDeps {
  truto: CapabilityTruto & Pick<TrutoClient, 'listIntegratedAccounts'>;
}

export async function assertAccount(services: { truto: Pick<TrutoClient, 'listTools' | 'listIntegratedAccounts'> }, accountId: string): Promise<void> {
  try {
    await retryRead(`tool list of ${accountId}`, () => services.truto.listTools(accountId));
  } catch (err) {
    if (!(err instanceof TrutoNotFoundError)) throw err;
    const known = await services.truto.listIntegratedAccounts().catch(() => []);
    const close = known
      .map((a) => a.id)
      .sort((a, b) => distance(a, accountId) - distance(b, accountId))
      .slice(0, 3);
    throw new BadInputError(`unknown integrated account "${accountId}"${close.length ? `; known accounts include ${close.join(', ')}` : ''}`);
  }
}

export interface CallQuery {
  accountId: string;
  from?: Date;
  to?: Date;
  callIds?: string[];
  /** Include CRM context (Extended: object names and fields) where the account's tools can. */
  crmContext?: boolean;
  /** Clock for the id look-up window, in ms. Default Date.now(). */
  nowMs?: number;
}

export interface DiscoveredCalls {
  calls: CallData[];
  requests: number;
  /** The capability that found them ('given': ids taken as given, no tool lists calls). */
  source: 'call-details' | 'calls' | 'given';
  /** Each call carries its parties (who spoke), so transcript speakers get names. */
  parties: boolean;
  /** Each call carries its CRM context (asked for and supported). */
  crmContext: boolean;
  /** The window ids were looked up in when no tool reads calls by id (else undefined). */
  idLookupWindow?: { from: string; to: string };
  degradations: Degradation[];
}

/**
 * How far back `--call-ids` are looked up when the account has only the calls list (Gong's GET
 * /v2/calls takes no ids): a quarter covers what a user usually asks for in a few pages.
 */
export const ID_LOOKUP_DAYS = 90;
const DAY_MS = 86_400_000;

export async function discoverCalls(services: DiscoverDeps, q: CallQuery): Promise<DiscoveredCalls> {
  const caps = await loadCapabilitiesRetried(services.truto, q.accountId);
  if (caps.has('call-details') && (!q.callIds || caps.supports('call-details', 'filter.callIds') || (q.from && q.to))) {
    return fromDetails(caps, q);
  }
  if (caps.has('calls')) return fromList(caps, q);
  if (q.callIds && caps.has('transcripts')) return asGiven(caps, q.callIds);
  throw new BadInputError(
    `account ${q.accountId} offers no way to find calls: ${caps.problem('call-details')?.message ?? 'its call-details tool cannot read calls by id'}; and ${caps.problem('calls')?.message ?? 'no calls list'}`,
  );
}

/**
 * Whether a call's start lies in `[from, to)`. A tool that declares no window arguments answers
 * every call, so the fleet keeps the window itself; a call without a start time is kept.
 */
function windowTest(from: Date | undefined, to: Date | undefined): (started: string | null | undefined) => boolean {
  return (started) => {
    const ms = started ? Date.parse(started) : NaN;
    return !Number.isFinite(ms) || ((!from || ms >= from.getTime()) && (!to || ms < to.getTime()));
  };
}

async function fromDetails(caps: AccountCapabilities, q: CallQuery): Promise<DiscoveredCalls> {
  const parties = caps.supports('call-details', 'contentSelector.exposedFields.parties');
  const crmContext = !!q.crmContext && caps.supports('call-details', 'contentSelector.context');
  const degradations: Degradation[] = [];
  if (!parties) {
    addDegradation(degradations, 'speakers-unnamed', `${caps.tool('call-details').name} offers no parties selector, so transcript speakers are labelled by Gong's speaker ids`);
  }
  const byIds = q.callIds !== undefined && caps.supports('call-details', 'filter.callIds');
  const values = {
    filter: {
      ...(q.from ? { fromDateTime: q.from.toISOString() } : {}),
      ...(q.to ? { toDateTime: q.to.toISOString() } : {}),
      ...(byIds ? { callIds: q.callIds } : {}),
    },
    contentSelector: {
      ...(crmContext ? { context: 'Extended' } : caps.supports('call-details', 'contentSelector.context') ? { context: 'None' } : {}),
      ...(parties ? { exposedFields: { parties: true } } : {}),
    },
  };
  let requests = 0;
  const calls = await retryRead('calls discovery', async () => {
    requests = 0;
    const out: CallData[] = [];
    for await (const page of caps.pages('call-details', values, { notFoundAsEmpty: true })) {
      requests += 1;
      out.push(...page.records);
    }
    return out;
  });
  const wanted = q.callIds && !byIds ? new Set(q.callIds) : undefined;
  const inWindow = windowTest(q.from, q.to);
  return {
    calls: calls.filter((c) => (!wanted || wanted.has(c.metaData.id)) && inWindow(c.metaData.started)),
    requests: Math.max(requests, 1),
    source: 'call-details',
    parties,
    crmContext,
    degradations,
  };
}

/**
 * No tool lists calls, but the transcripts tool reads them by id: the ids are taken as given, with
 * no title or date (Gong's transcript carries neither); an unknown id shows up as missing.
 */
function asGiven(caps: AccountCapabilities, callIds: string[]): DiscoveredCalls {
  const degradations: Degradation[] = [];
  addDegradation(degradations, 'calls-unlisted', `no tool lists calls (${caps.problem('calls')?.message ?? 'no calls list'}): the call ids were taken as given, without titles or dates, and transcript speakers are labelled by Gong's speaker ids`);
  addDegradation(degradations, 'speakers-unnamed', "no call-details tool: transcript speakers are labelled by Gong's speaker ids");
  const calls = callIds.map((id) => CallData.parse({ metaData: { id, url: `https://app.gong.io/call?id=${id}` } }));
  return { calls, requests: 0, source: 'given', parties: false, crmContext: false, degradations };
}

async function fromList(caps: AccountCapabilities, q: CallQuery): Promise<DiscoveredCalls> {
  const tool = caps.tool('calls').name;
  const degradations: Degradation[] = [];
  addDegradation(
    degradations,
    'speakers-unnamed',
    `no usable call-details tool: calls come from ${tool} without parties, so transcript speakers are labelled by Gong's speaker ids`,
  );
  // Gong's calls list takes no ids: look them up in the window given, else the last ID_LOOKUP_DAYS.
  const nowMs = q.nowMs ?? Date.now();
  const to = q.to ?? new Date(nowMs);
  const from = q.from ?? new Date(to.getTime() - ID_LOOKUP_DAYS * DAY_MS);
  let requests = 0;
  const basics = await retryRead('calls discovery', async () => {
    requests = 0;
    const out = [];
    for await (const page of caps.pages('calls', { fromDateTime: from.toISOString(), toDateTime: to.toISOString() }, { notFoundAsEmpty: true })) {
      requests += 1;
      out.push(...page.records);
    }
    return out;
  });
  const wanted = q.callIds ? new Set(q.callIds) : undefined;
  const inWindow = windowTest(from, to);
  const calls = basics.filter((b) => (!wanted || wanted.has(b.id)) && inWindow(b.started)).map((metaData) => CallData.parse({ metaData }));
  return {
    calls,
    requests: Math.max(requests, 1),
    source: 'calls',
    parties: false,
    crmContext: false,
    ...(wanted ? { idLookupWindow: { from: from.toISOString(), to: to.toISOString() } } : {}),
    degradations,
  };
}
