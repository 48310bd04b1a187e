/**
 * The simulated Gong world: a handful of companies (integrated accounts), each with users, CRM
 * accounts/deals/contacts, calls, Engage tasks and coaching activity. Built eagerly (cheap
 * metadata); transcripts are generated lazily per call and memoised in a bounded cache.
 */
import type { SandboxAccountInfo } from '../types.ts';
import { callParties } from './calls.ts';
import { buildCoachingAccount, computeCoachingTruth } from './coaching-account.ts';
import { buildDealsAccount, MAIN_PROSPECTS, makeRecentCall, type AddedCallOptions, type ProspectSpec } from './deals-account.ts';
import { PROSPECT_COMPANIES, slug } from './names.ts';
import { numericId, uuidFor } from './prng.ts';
import { generateTranscript, type GeneratedTranscript } from './transcript.ts';
import type {
  AccountData, AccountKind, CallParty, Deal, Monologue, PlantedFact, RepCoachingTruth, WorldCall,
} from './types.ts';

/** Every scope of gong-api.md §7: what a fully consented OAuth app holds. */
export const ALL_SCOPES = [
  'api:calls:read:basic', 'api:calls:read:extensive', 'api:calls:read:media-url',
  'api:calls:read:transcript', 'api:calls:create', 'api:users:read', 'api:workspaces:read',
  'api:stats:user-actions', 'api:stats:user-actions:detailed', 'api:stats:interaction',
  'api:stats:scorecards', 'api:coaching:read', 'api:crm:integrations:read',
  'api:crm:integration:register', 'api:crm:integration:delete', 'api:crm:upload',
  'api:crm:get-objects', 'api:crm:schema', 'api:tasks:read', 'api:tasks:write', 'api:flows:read',
  'api:flows:write', 'api:ai-briefer:read', 'api:ai-ask:read', 'api:settings:trackers:read',
  'api:settings:scorecards:read', 'api:library:read', 'api:logs:read', 'api:call-outcomes:read',
] as const;

/** The three well-known accounts. Their ids depend on the seed: use `accountIdFor` or `world.accountIdOf`. */
export const STANDARD_ACCOUNTS = {
  deals: { companyName: 'Northwind Software', domain: 'northwind.io' },
  coaching: { companyName: 'Pinnacle Cloud', domain: 'pinnaclecloud.com' },
  restricted: { companyName: 'Contoso Analytics', domain: 'contoso-analytics.com' },
} as const;
export type StandardAccountKind = keyof typeof STANDARD_ACCOUNTS;

/** Scopes the restricted account lacks (for 403 tests). */
export const RESTRICTED_MISSING_SCOPES = ['api:calls:read:transcript', 'api:tasks:write'] as const;

export interface WorldOptions {
  /** PRNG seed; same seed → byte-identical world. Default 42. */
  seed?: number;
  /** Extra small accounts beyond the three standard ones (for multi-account benchmarks). Default 0. */
  extraAccounts?: number;
  /** Calls in the last 30 days of the main (deals) account. Default 64. */
  callsPerAccount?: number;
  /** "Now" for generated dates. Default: current time. */
  now?: Date;
}

export interface World {
  readonly seed: number;
  /** Integrated accounts in stable order: deals, coaching, restricted, then extras. */
  readonly accounts: SandboxAccountInfo[];
  readonly now: Date;
  /**
   * Adds `count` new recent calls (with transcripts etc.) to an account; returns their ids. By
   * default on random deals 3-72 hours ago; `opts` can fix when they ended and their deal.
   */
  addCalls(accountId: string, count: number, opts?: AddedCallOptions): string[];
  /** Integrated-account id of a standard account. */
  accountIdOf(kind: StandardAccountKind): string;
  /** Full simulated data of an account (used by the Gong API simulation). */
  account(accountId: string): AccountData | undefined;
  /** The call and its account, by call id. */
  findCall(callId: string): { account: AccountData; call: WorldCall } | undefined;
  /** First deal whose name or CRM account name contains `name` (case-insensitive). */
  findDeal(accountId: string, name: string): Deal | undefined;
  callParties(callId: string): CallParty[];
  /** Generated (memoised) transcript of a call, or undefined for an unknown call. */
  transcript(callId: string): Monologue[] | undefined;
  /** Facts planted in a call's transcript (generates the transcript if needed). */
  plantedFacts(callId: string): PlantedFact[];
  /** Per-rep ground truth of a coaching account for `[now - 30 days, now)`. */
  coachingTruth(accountId: string): RepCoachingTruth[];
  /**
   * Plants `text`, said by a customer, in a call's transcript (kept across cache evictions), as a
   * hostile participant or a pasted email would: as its first words (default, so even a result
   * shown truncated carries it) or its last. False for an unknown call.
   */
  plantInstruction(callId: string, text: string, at?: 'start' | 'end'): boolean;
}

export function accountIdFor(kind: string, seed = 42): string {
  return uuidFor(seed, 'account', kind);
}

/** Transcripts kept in memory at once; regenerating an evicted one is cheap and identical. */
const TRANSCRIPT_CACHE_SIZE = 400;

function newAccount(seed: number, kind: AccountKind, label: string, companyName: string, domain: string, scopes: string[]): AccountData {
  const key = `${seed}|${label}`;
  return {
    info: { id: accountIdFor(label, seed), companyName, scopes },
    kind, key, companyDomain: domain,
    workspaceId: numericId(key, 'workspace'),
    workspaceName: `${companyName} Sales`,
    integration: {
      integrationId: numericId(key, 'integration'),
      name: `${companyName} CRM`,
      ownerEmail: `revops@${domain}`,
    },
    crmSystem: 'Salesforce',
    users: [], crmAccounts: [], contacts: [], deals: [], calls: [], tasks: [],
    coachingEvents: [], scorecards: [],
    briefsPaymentRequired: kind === 'restricted',
  };
}

export function createWorld(opts: WorldOptions = {}): World {
  const seed = opts.seed ?? 42;
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const callsPerAccount = opts.callsPerAccount ?? 64;
  const accounts: AccountData[] = [];

  const deals = newAccount(seed, 'deals', 'deals', STANDARD_ACCOUNTS.deals.companyName, STANDARD_ACCOUNTS.deals.domain, [...ALL_SCOPES]);
  const others: ProspectSpec[] = PROSPECT_COMPANIES.slice(0, 10).map((name) => ({ name, weight: 3.7 }));
  buildDealsAccount(deals, {
    sellers: 12, managers: 2, prospects: [...MAIN_PROSPECTS, ...others], recentCalls: callsPerAccount, globexStory: true,
  }, nowMs);
  accounts.push(deals);

  const coaching = newAccount(seed, 'coaching', 'coaching', STANDARD_ACCOUNTS.coaching.companyName, STANDARD_ACCOUNTS.coaching.domain, [...ALL_SCOPES]);
  buildCoachingAccount(coaching, nowMs);
  accounts.push(coaching);

  const restrictedScopes = ALL_SCOPES.filter((s) => !(RESTRICTED_MISSING_SCOPES as readonly string[]).includes(s));
  const restricted = newAccount(seed, 'restricted', 'restricted', STANDARD_ACCOUNTS.restricted.companyName, STANDARD_ACCOUNTS.restricted.domain, restrictedScopes);
  buildDealsAccount(restricted, {
    sellers: 4, managers: 1, recentCalls: 15, globexStory: false,
    prospects: PROSPECT_COMPANIES.slice(10, 15).map((name) => ({ name, weight: 1 })),
  }, nowMs);
  accounts.push(restricted);

  for (let i = 0; i < (opts.extraAccounts ?? 0); i++) {
    const name = `Benchmark Co ${String(i + 1).padStart(2, '0')}`;
    const extra = newAccount(seed, 'extra', `extra-${i}`, name, `${slug(name)}.com`, [...ALL_SCOPES]);
    buildDealsAccount(extra, {
      sellers: 3, managers: 1, recentCalls: 20, globexStory: false,
      prospects: [0, 1, 2, 3].map((k) => ({ name: PROSPECT_COMPANIES[(i * 4 + k) % PROSPECT_COMPANIES.length]!, weight: 1, olderCalls: 0 })),
    }, nowMs);
    accounts.push(extra);
  }

  const byId = new Map(accounts.map((a) => [a.info.id, a]));
  const callIndex = new Map<string, { account: AccountData; call: WorldCall }>();
  for (const account of accounts) for (const call of account.calls) callIndex.set(call.id, { account, call });
  const cache = new Map<string, GeneratedTranscript>();
  /** Planted instructions by call id, re-applied whenever a transcript is (re)generated. */
  const instructions = new Map<string, Array<{ text: string; at: 'start' | 'end' }>>();

  const generated = (callId: string): GeneratedTranscript | undefined => {
    const hit = cache.get(callId);
    if (hit) {
      cache.delete(callId);
      cache.set(callId, hit); // LRU: move to the back
      return hit;
    }
    const found = callIndex.get(callId);
    if (!found) return undefined;
    const { account, call } = found;
    const deal = account.deals.find((d) => d.crmId === call.dealCrmId);
    const theirs = account.crmAccounts.find((a) => a.crmId === call.accountCrmId)?.name ?? 'your team';
    const t = generateTranscript(account.key, call, callParties(account, call), deal, account.info.companyName, theirs);
    for (const i of instructions.get(callId) ?? []) insertInstruction(t.monologues, callParties(account, call), i.text, i.at);
    cache.set(callId, t);
    if (cache.size > TRANSCRIPT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return t;
  };
  const requireAccount = (accountId: string): AccountData => {
    const a = byId.get(accountId);
    if (!a) throw new Error(`unknown sandbox account ${accountId}`);
    return a;
  };

  return {
    seed,
    accounts: accounts.map((a) => a.info),
    now,
    addCalls(accountId, count, opts) {
      const account = requireAccount(accountId);
      const ids: string[] = [];
      for (let k = 0; k < count; k++) {
        // New indices only: existing calls (and their PRNG streams) are never touched.
        const call = makeRecentCall(account, account.calls.length, nowMs, opts);
        account.calls.push(call);
        callIndex.set(call.id, { account, call });
        ids.push(call.id);
      }
      return ids;
    },
    accountIdOf: (kind) => accountIdFor(kind, seed),
    account: (accountId) => byId.get(accountId),
    findCall: (callId) => callIndex.get(callId),
    findDeal(accountId, name) {
      const account = requireAccount(accountId);
      const needle = name.toLowerCase();
      return account.deals.find((d) => {
        const acctName = account.crmAccounts.find((a) => a.crmId === d.accountCrmId)?.name ?? '';
        return d.name.toLowerCase().includes(needle) || acctName.toLowerCase().includes(needle);
      });
    },
    callParties(callId) {
      const found = callIndex.get(callId);
      return found ? callParties(found.account, found.call) : [];
    },
    transcript: (callId) => generated(callId)?.monologues,
    plantedFacts: (callId) => generated(callId)?.facts ?? [],
    coachingTruth: (accountId) => computeCoachingTruth(requireAccount(accountId), nowMs),
    plantInstruction(callId, text, at = 'start') {
      const found = callIndex.get(callId);
      if (!found) return false;
      instructions.set(callId, [...(instructions.get(callId) ?? []), { text, at }]);
      const cached = cache.get(callId);
      if (cached) insertInstruction(cached.monologues, callParties(found.account, found.call), text, at);
      return true;
    },
  };
}

/** The instruction as a monologue of its own, spoken by the first external party (or the host). */
function insertInstruction(monologues: Monologue[], parties: CallParty[], text: string, at: 'start' | 'end'): void {
  const speaker = parties.find((p) => p.affiliation === 'External') ?? parties[0];
  if (!speaker) return;
  if (at === 'start') {
    // Before the first words (which start 2-8 s in): the opening seconds of the call.
    const firstStart = monologues[0]?.sentences[0]?.start ?? 2_000;
    monologues.unshift({ speakerId: speaker.speakerId, topic: null, sentences: [{ start: 0, end: Math.max(1, firstStart - 100), text }] });
    return;
  }
  const start = (monologues.at(-1)?.sentences.at(-1)?.end ?? 0) + 1_000;
  monologues.push({ speakerId: speaker.speakerId, topic: null, sentences: [{ start, end: start + 6_000, text }] });
}
