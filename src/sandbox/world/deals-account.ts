/**
 * Accounts built around deals: the main deals account (Globex / Acme / Initech stories), the
 * restricted account and the extra benchmark accounts. Calls are spread over the deals by weight;
 * Globex gets a scripted security thread two weeks ago and an OPEN whitepaper task.
 */
import { makeCall, startAt } from './calls.ts';
import { MANAGER_TITLES, SELLER_TITLES } from './names.ts';
import { DAY_MS, makeContacts, makeCrmAccount, makeDeal, makeUser, randomThemes } from './people.ts';
import { numericId, rngFor } from './prng.ts';
import type { AccountData, Deal, DealThemes, WorldCall, WorldTask } from './types.ts';

export interface ProspectSpec {
  name: string;
  /** Relative share of recent calls. */
  weight: number;
  themes?: DealThemes;
  hasBrief?: boolean;
  stage?: string;
  /** Calls older than 30 days. */
  olderCalls?: number;
}

export interface DealsAccountSpec {
  sellers: number;
  managers: number;
  prospects: ProspectSpec[];
  recentCalls: number;
  /** Whether to script the Globex story (security call two weeks ago + whitepaper task). */
  globexStory: boolean;
}

export const GLOBEX = 'Globex Corporation';
export const ACME = 'Acme Corp';
export const INITECH = 'Initech';
/** Title of the OPEN task the seed's "Mark the follow-up email task for the Initech deal as DONE" means. */
export const INITECH_FOLLOW_UP_TASK = 'Send follow-up email with the signed contract';

export const MAIN_PROSPECTS: ProspectSpec[] = [
  {
    name: GLOBEX, weight: 13, olderCalls: 4, hasBrief: true, stage: 'Technical Validation',
    themes: {
      objection: ['integration', 'change_management'], competitor: ['Clari'], pricing: ['discount'],
      security: ['soc2', 'sso'], technical_risk: ['api_limits'], next_step: ['whitepaper', 'deep_dive'],
    },
  },
  {
    name: ACME, weight: 8, olderCalls: 2, hasBrief: true, stage: 'Technical Validation',
    themes: {
      objection: ['implementation'], competitor: ['Salesloft'], pricing: ['per_seat'], security: ['gdpr'],
      next_step: ['deep_dive', 'proposal'],
    },
  },
  {
    name: INITECH, weight: 6, olderCalls: 2, stage: 'Proposal',
    themes: {
      objection: ['change_management'], competitor: ['Outreach', 'Chorus'], pricing: ['budget'],
      technical_risk: ['data_mapping'], next_step: ['proposal', 'action_plan'],
    },
  },
];

/** Largest-remainder split of `total` by weights. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const raw = weights.map((w) => (w * total) / sum);
  const counts = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; counts.reduce((a, b) => a + b, 0) < total; k++) {
    const i = order[k % order.length]![1];
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

export function buildDealsAccount(acct: AccountData, spec: DealsAccountSpec, nowMs: number): void {
  const rng = rngFor(acct.key, 'layout');
  const managers = Array.from({ length: spec.managers }, (_, i) =>
    makeUser(acct.key, acct.companyDomain, i, {
      role: 'manager', title: rng.pick(MANAGER_TITLES), createdMs: nowMs - rng.int(400, 1500) * DAY_MS,
    }));
  const sellers = Array.from({ length: spec.sellers }, (_, i) =>
    makeUser(acct.key, acct.companyDomain, spec.managers + i, {
      role: 'seller', title: rng.pick(SELLER_TITLES), createdMs: nowMs - rng.int(60, 900) * DAY_MS,
      managerId: managers[i % managers.length]?.id,
    }));
  acct.users.push(...managers, ...sellers);

  spec.prospects.forEach((p, i) => {
    const crmAccount = makeCrmAccount(acct.key, p.name, i);
    acct.crmAccounts.push(crmAccount);
    acct.contacts.push(...makeContacts(acct.key, crmAccount, 5));
    const owner = sellers[i % sellers.length]!;
    acct.deals.push(makeDeal(acct.key, crmAccount, i, {
      ownerUserId: owner.id, nowMs, hasBrief: p.hasBrief ?? false,
      themes: p.themes ?? randomThemes(rngFor(acct.key, 'themes', i)),
      ...(p.stage ? { stage: p.stage } : {}),
    }));
  });

  // Place calls: recent ones evenly over the last 30 days per deal, then older history.
  const counts = split(spec.recentCalls, spec.prospects.map((p) => p.weight));
  const placements: Array<{ deal: Deal; startedMs: number; forced?: DealThemes }> = [];
  acct.deals.forEach((deal, d) => {
    const n = counts[d] ?? 0;
    for (let k = 0; k < n; k++) {
      const jitter = rngFor(acct.key, 'place', d, k).next() * 0.8 - 0.4;
      const daysAgo = Math.min(28.9, Math.max(0.3, (30 * (k + 0.5)) / n + jitter));
      placements.push({ deal, startedMs: startAt(nowMs, daysAgo, `${acct.key}|start|${d}|${k}`) });
    }
    const older = spec.prospects[d]?.olderCalls ?? 1;
    for (let k = 0; k < older; k++) {
      const daysAgo = rngFor(acct.key, 'older', d, k).int(33, 85);
      placements.push({ deal, startedMs: startAt(nowMs, daysAgo, `${acct.key}|old|${d}|${k}`) });
    }
  });
  if (spec.globexStory) {
    // The deal-autopsy story: security came up about two weeks ago and the rep promised a whitepaper.
    const globex = acct.deals[0]!;
    const target = nowMs - 14 * DAY_MS;
    let best: (typeof placements)[number] | undefined;
    for (const p of placements) {
      if (p.deal !== globex) continue;
      if (!best || Math.abs(p.startedMs - target) < Math.abs(best.startedMs - target)) best = p;
    }
    if (best) best.forced = { security: ['soc2'], next_step: ['whitepaper'], objection: ['integration'] };
  }
  placements.sort((a, b) => a.startedMs - b.startedMs);
  placements.forEach((p, index) => {
    const crng = rngFor(acct.key, 'host', index);
    const owner = acct.users.find((u) => u.id === p.deal.ownerUserId);
    const extra = crng.chance(0.3) ? owner?.managerId : undefined;
    acct.calls.push(makeCall(acct, index, {
      startedMs: p.startedMs, hostUserId: p.deal.ownerUserId, deal: p.deal,
      // The first call of the main account is pinned to a full hour for transcript-size checks.
      ...(index === 0 ? { durationSec: 3600 } : {}),
      ...(extra ? { extraInternalUserId: extra } : {}),
      ...(p.forced ? { forcedThemes: p.forced } : {}),
    }));
  });
  acct.tasks.push(...buildTasks(acct, nowMs, spec.globexStory));
}

const TASK_TITLES = [
  'Send recap email', 'Confirm stakeholders for next meeting', 'Share customer references',
  'Book technical deep dive', 'Send pricing proposal', 'Check in on legal review',
] as const;
const PRIORITIES = [
  { id: 1, name: 'High', weight: 3 }, { id: 2, name: 'Medium', weight: 2 }, { id: 3, name: 'Low', weight: 1 },
] as const;

function buildTasks(acct: AccountData, nowMs: number, globexStory: boolean): WorldTask[] {
  const tasks: WorldTask[] = [];
  let n = 0;
  const add = (deal: Deal, init: Partial<WorldTask> & Pick<WorldTask, 'title' | 'status'>): void => {
    const rng = rngFor(acct.key, 'task', n);
    const createdMs = init.createdMs ?? nowMs - rng.int(2, 40) * DAY_MS;
    const contact = acct.contacts.find((c) => c.accountCrmId === deal.accountCrmId);
    const task: WorldTask = {
      id: numericId(acct.key, 'task', n++),
      userId: deal.ownerUserId,
      createdMs,
      updatedMs: createdMs + rng.int(0, 2) * DAY_MS,
      type: 'MANUAL',
      dueMs: createdMs + rng.int(2, 10) * DAY_MS,
      priority: { ...rng.pick(PRIORITIES) },
      dealCrmId: deal.crmId,
      accountCrmId: deal.accountCrmId,
      ...(contact ? { contactCrmId: contact.crmId } : {}),
      ...init,
    };
    tasks.push(task);
  };
  acct.deals.forEach((deal, d) => {
    if (d === 0 && globexStory) {
      const securityCall = acct.calls.find((c) => c.dealCrmId === deal.crmId && c.forcedThemes);
      const created = (securityCall?.startedMs ?? nowMs - 14 * DAY_MS) + 2 * 3_600_000;
      add(deal, {
        title: 'Send security whitepaper', status: 'OPEN', createdMs: created, updatedMs: created,
        dueMs: created + 3 * DAY_MS, priority: { ...PRIORITIES[0] },
      });
      add(deal, { title: 'Book technical deep dive', status: 'DONE' });
      add(deal, { title: 'Send pricing proposal', status: 'DISMISSED' });
      add(deal, {
        title: 'Call the VP of Sales', status: 'OPEN', type: 'FLOW',
        flow: { id: numericId(acct.key, 'flow', 1), name: 'Enterprise Follow-up', stepName: 'Phone call', stepNumber: 2 },
      });
      return;
    }
    const rng = rngFor(acct.key, 'tasks', d);
    for (let k = rng.int(1, 3); k > 0; k--) {
      add(deal, { title: rng.pick(TASK_TITLES), status: rng.pick(['OPEN', 'OPEN', 'DONE', 'DISMISSED'] as const) });
    }
  });
  const initech = acct.deals.find((d) => d.name.startsWith(`${INITECH} `));
  if (globexStory && initech) {
    // The seed's "follow-up email task for the Initech deal", added last so no other task's id moves.
    add(initech, { title: INITECH_FOLLOW_UP_TASK, status: 'OPEN' });
  }
  return tasks;
}

/** Where an added call goes: by default a random deal, 3-72 hours ago. */
export interface AddedCallOptions {
  /** The call ended at this epoch ms (e.g. minutes ago, while Gong still processes it). */
  endedMs?: number;
  /** The deal the call belongs to. */
  deal?: Deal;
}

/** Hosts and call placement for `addCalls`: recent calls on random deals of the account. */
export function makeRecentCall(acct: AccountData, index: number, nowMs: number, opts: AddedCallOptions = {}): WorldCall {
  const rng = rngFor(acct.key, 'added', index);
  const picked = rng.pick(acct.deals);
  const deal = opts.deal ?? picked;
  if (opts.endedMs !== undefined) {
    const durationSec = rng.int(30 * 60, 60 * 60);
    return makeCall(acct, index, { startedMs: opts.endedMs - durationSec * 1000, durationSec, hostUserId: deal.ownerUserId, deal });
  }
  return makeCall(acct, index, {
    startedMs: nowMs - rng.int(3 * 60, 72 * 60) * 60_000,
    hostUserId: deal.ownerUserId,
    deal,
  });
}
