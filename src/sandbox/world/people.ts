/** Builders for users, CRM accounts, contacts and deals shared by every account kind. */
import { CITIES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, PROSPECT_TITLES, slug } from './names.ts';
import { numericId, rngFor, type Rng } from './prng.ts';
import type { CrmAccount, CrmContact, Deal, DealThemes, WorldUser } from './types.ts';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function phoneFor(rng: Rng): string {
  return `+1 ${rng.int(201, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

export function makeUser(
  accountKey: string,
  domain: string,
  index: number,
  init: Pick<WorldUser, 'role' | 'title' | 'createdMs'> & Partial<Pick<WorldUser, 'managerId' | 'firstName' | 'lastName'>>,
): WorldUser {
  const rng = rngFor(accountKey, 'user', index);
  const firstName = init.firstName ?? rng.pick(FIRST_NAMES);
  const lastName = init.lastName ?? rng.pick(LAST_NAMES);
  const user: WorldUser = {
    id: numericId(accountKey, 'user', index),
    // The index keeps emails unique when two people share a name.
    emailAddress: `${slug(firstName)}.${slug(lastName)}${index}@${domain}`,
    firstName,
    lastName,
    title: init.title,
    createdMs: init.createdMs,
    role: init.role,
    phoneNumber: phoneFor(rng),
  };
  if (init.managerId !== undefined) user.managerId = init.managerId;
  return user;
}

export function makeCrmAccount(accountKey: string, name: string, index: number): CrmAccount {
  const rng = rngFor(accountKey, 'crm-account', index);
  return {
    // Salesforce-style 18-char ids: realistic, and valid CRM objectIds (alphanumerics).
    crmId: `001${numericId(accountKey, 'crm-account', index).slice(0, 12)}AAC`,
    name,
    domain: `${slug(name)}.com`,
    industry: rng.pick(INDUSTRIES),
  };
}

export function makeContacts(accountKey: string, account: CrmAccount, count: number): CrmContact[] {
  return Array.from({ length: count }, (_, i) => {
    const rng = rngFor(accountKey, 'contact', account.crmId, i);
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    return {
      crmId: `003${numericId(accountKey, 'contact', account.crmId, i).slice(0, 12)}AAE`,
      accountCrmId: account.crmId,
      firstName,
      lastName,
      title: i === 0 ? 'VP of Sales' : rng.pick(PROSPECT_TITLES),
      emailAddress: `${slug(firstName)}.${slug(lastName)}@${account.domain}`,
      phoneNumber: phoneFor(rng),
    };
  });
}

export function makeDeal(
  accountKey: string,
  account: CrmAccount,
  index: number,
  init: { ownerUserId: string; nowMs: number; themes: DealThemes; hasBrief: boolean; stage?: string },
): Deal {
  const rng = rngFor(accountKey, 'deal', index);
  const stage = init.stage ?? rng.pick(['Discovery', 'Technical Validation', 'Proposal', 'Negotiation']);
  const closeMs = init.nowMs + rng.int(20, 120) * DAY_MS;
  return {
    crmId: `006${numericId(accountKey, 'deal', index).slice(0, 12)}AAI`,
    accountCrmId: account.crmId,
    name: `${account.name} - ${rng.pick(['Platform Expansion', 'New Business', 'Enterprise Rollout', 'Revenue Intelligence'])}`,
    stage,
    status: 'OPEN',
    amount: rng.int(4, 60) * 5_000,
    probability: { Discovery: 20, 'Technical Validation': 40, Proposal: 60, Negotiation: 75 }[stage] ?? 30,
    closeDate: new Date(closeMs).toISOString().slice(0, 10),
    ownerUserId: init.ownerUserId,
    leadSource: rng.pick(['Inbound', 'Outbound', 'Partner', 'Event']),
    type: rng.pick(['New Business', 'Expansion']),
    themes: init.themes,
    hasBrief: init.hasBrief,
  };
}

/** Random themes for deals without a scripted story. */
export function randomThemes(rng: Rng): DealThemes {
  const themes: DealThemes = {
    objection: [rng.pick(['implementation', 'integration', 'change_management'])],
    next_step: rng.sample(['whitepaper', 'deep_dive', 'proposal', 'action_plan'], 2),
  };
  if (rng.chance(0.6)) themes.competitor = [rng.pick(['Chorus', 'Clari', 'Salesloft', 'Outreach'])];
  if (rng.chance(0.7)) themes.pricing = [rng.pick(['per_seat', 'discount', 'budget'])];
  if (rng.chance(0.5)) themes.security = [rng.pick(['soc2', 'sso', 'gdpr'])];
  if (rng.chance(0.4)) themes.technical_risk = [rng.pick(['api_limits', 'data_mapping'])];
  return themes;
}

export function cityFor(rng: Rng): string {
  return rng.pick(CITIES);
}
