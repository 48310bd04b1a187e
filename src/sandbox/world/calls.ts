/** Call metadata and parties. A call is fully determined by (account key, index, its inputs). */
import { numericId, rngFor } from './prng.ts';
import { DAY_MS, HOUR_MS } from './people.ts';
import type { AccountData, CallParty, Deal, DealThemes, WorldCall } from './types.ts';

const CALL_KINDS = [
  'Discovery Call', 'Product Demo', 'Technical Deep Dive', 'Pricing Review', 'Stakeholder Sync',
  'Weekly Check-in', 'Evaluation Kickoff', 'Executive Alignment',
] as const;

export interface CallInit {
  startedMs: number;
  hostUserId: string;
  deal?: Deal;
  /** Extra internal attendee (e.g. the host's manager). */
  extraInternalUserId?: string;
  forcedThemes?: DealThemes;
  /** Fix the duration (seconds) instead of drawing 30-60 minutes. */
  durationSec?: number;
}

export function makeCall(acct: AccountData, index: number, init: CallInit): WorldCall {
  const rng = rngFor(acct.key, 'call', index);
  const deal = init.deal;
  const contacts = deal ? acct.contacts.filter((c) => c.accountCrmId === deal.accountCrmId) : [];
  const externals = rng.sample(contacts, rng.int(1, Math.min(4, Math.max(1, contacts.length))));
  const internal = [init.hostUserId];
  if (init.extraInternalUserId && init.extraInternalUserId !== init.hostUserId) {
    internal.push(init.extraInternalUserId);
  }
  const accountName = deal ? acct.crmAccounts.find((a) => a.crmId === deal.accountCrmId)?.name : undefined;
  const call: WorldCall = {
    id: numericId(acct.key, 'call', index),
    index,
    startedMs: init.startedMs,
    // Real sales calls: 30-60 minutes.
    durationSec: init.durationSec ?? rng.int(30 * 60, 60 * 60),
    title: accountName ? `${accountName} | ${rng.pick(CALL_KINDS)}` : `Internal sync ${index}`,
    primaryUserId: init.hostUserId,
    internalUserIds: internal,
    externalContactIds: externals.map((c) => c.crmId),
    scope: deal ? 'External' : 'Internal',
    direction: rng.chance(0.85) ? 'Conference' : 'Outbound',
    system: rng.pick(['Zoom', 'Zoom', 'Google Meet', 'Microsoft Teams']),
    media: rng.chance(0.9) ? 'Video' : 'Audio',
  };
  if (deal) {
    call.dealCrmId = deal.crmId;
    call.accountCrmId = deal.accountCrmId;
  }
  if (init.forcedThemes) call.forcedThemes = init.forcedThemes;
  return call;
}

/** Start time `daysAgo` days before now, placed in working hours (14:00-22:00 UTC ≈ US day). */
export function startAt(nowMs: number, daysAgo: number, key: string): number {
  const rng = rngFor(key);
  const dayStart = Math.floor((nowMs - daysAgo * DAY_MS) / DAY_MS) * DAY_MS;
  let ms = dayStart + 14 * HOUR_MS + rng.int(0, 16) * 30 * 60_000;
  // Keep "recent" calls strictly in the past even when daysAgo is 0.
  if (ms > nowMs - 2 * HOUR_MS) ms = nowMs - 2 * HOUR_MS - rng.int(0, 4 * 60) * 60_000;
  return ms;
}

export function callParties(acct: AccountData, call: WorldCall): CallParty[] {
  const parties: CallParty[] = [];
  for (const userId of call.internalUserIds) {
    const user = acct.users.find((u) => u.id === userId);
    if (!user) continue;
    parties.push({
      id: numericId(acct.key, call.id, 'party', userId),
      speakerId: numericId(acct.key, call.id, 'speaker', userId),
      name: `${user.firstName} ${user.lastName}`,
      emailAddress: user.emailAddress,
      title: user.title,
      affiliation: 'Internal',
      userId,
    });
  }
  for (const crmId of call.externalContactIds) {
    const contact = acct.contacts.find((c) => c.crmId === crmId);
    if (!contact) continue;
    parties.push({
      id: numericId(acct.key, call.id, 'party', crmId),
      speakerId: numericId(acct.key, call.id, 'speaker', crmId),
      name: `${contact.firstName} ${contact.lastName}`,
      emailAddress: contact.emailAddress,
      title: contact.title,
      affiliation: 'External',
      contactCrmId: crmId,
    });
  }
  return parties;
}
