/**
 * The coaching account: 20 managers with 10 reps each. Flaggable reps are planted on purpose:
 * new hires with fewer than 5 calls listened to by their manager, and heavy hosts (20+ calls) with
 * no scorecard. Every number the API reports derives from the same event list, so stats, coaching
 * metrics and answered scorecards agree with each other and with `coachingTruth`.
 */
import { makeCall, startAt } from './calls.ts';
import { PROSPECT_COMPANIES, SDR_TITLES, SELLER_TITLES } from './names.ts';
import { DAY_MS, makeContacts, makeCrmAccount, makeDeal, makeUser, randomThemes } from './people.ts';
import { numericId, rngFor, type Rng } from './prng.ts';
import { addCoachingStories, JOHN_DOE, JOHN_DOE_REP, SARAH, SARAH_TEAM } from './coaching-stories.ts';
import type { AccountData, CoachingEvent, RepCoachingTruth, WorldCall, WorldUser } from './types.ts';

export const COACHING_MANAGERS = 20;
export const REPS_PER_MANAGER = 10;
export const TRUTH_WINDOW_DAYS = 30;
/** Scorecard template every manager fills in (id as a JSON-safe number, see prng.ts). */
export const SCORECARD = { name: 'Discovery Call Scorecard', questions: 4 } as const;

interface RepPlan {
  newHire: boolean;
  createdDaysAgo: number;
  hosted: number;
  listened: number;
  scorecards: number;
}

function planRep(team: number, r: number, rng: Rng): RepPlan {
  const newHire = r < (team === 0 ? 3 : 2) && team % 4 !== 3;
  if (newHire) {
    // Team 0 ("Mike's team") always has neglected new hires; elsewhere it's a coin flip.
    const neglected = team === 0 ? r < 2 : rng.chance(0.5);
    const listened = neglected ? rng.int(0, 4) : rng.int(5, 9);
    return {
      newHire, createdDaysAgo: rng.int(22, 28),
      hosted: rng.int(Math.max(6, listened + 1), 14), listened, scorecards: rng.int(0, 2),
    };
  }
  const createdDaysAgo = rng.int(60, 900);
  if ((r === 2 || r === 3) && team % 2 === 0) {
    const hosted = rng.int(20, 28);
    const noScorecards = (team % 4 === 0 && r === 2) || rng.chance(0.4);
    return { newHire, createdDaysAgo, hosted, listened: rng.int(0, 8), scorecards: noScorecards ? 0 : rng.int(1, 4) };
  }
  const hosted = rng.int(4, 17);
  return {
    newHire, createdDaysAgo, hosted,
    listened: rng.int(0, Math.min(hosted, 8)), scorecards: rng.int(0, Math.min(3, hosted)),
  };
}

export function buildCoachingAccount(acct: AccountData, nowMs: number): void {
  const rng = rngFor(acct.key, 'layout');
  const vp = makeUser(acct.key, acct.companyDomain, 0, {
    role: 'executive', title: 'VP of Sales', createdMs: nowMs - 1200 * DAY_MS,
  });
  acct.users.push(vp);
  const managers: WorldUser[] = [];
  for (let t = 0; t < COACHING_MANAGERS; t++) {
    // rng.int is drawn before the pins so every other manager keeps its generated data.
    const createdMs = nowMs - rng.int(300, 1500) * DAY_MS;
    const title = t % 2 === 0 ? 'SDR Manager' : 'Sales Manager';
    managers.push(makeUser(acct.key, acct.companyDomain, 1 + t, {
      role: 'manager', title, createdMs, managerId: vp.id,
      // The seed article's "Manager Mike" runs the first team, its "regional manager Sarah Smith" the second.
      ...(t === 0 ? { firstName: 'Mike', lastName: 'Brennan' } : {}),
      ...(t === SARAH_TEAM ? { ...SARAH, title: 'Regional Sales Manager' } : {}),
    }));
  }
  acct.users.push(...managers);

  PROSPECT_COMPANIES.forEach((name, i) => {
    const crmAccount = makeCrmAccount(acct.key, name, i);
    acct.crmAccounts.push(crmAccount);
    acct.contacts.push(...makeContacts(acct.key, crmAccount, 3));
  });

  let userIndex = 1 + COACHING_MANAGERS;
  let callIndex = 0;
  const reps: Array<{ user: WorldUser; plan: RepPlan }> = [];
  managers.forEach((manager, team) => {
    for (let r = 0; r < REPS_PER_MANAGER; r++) {
      const prng = rngFor(acct.key, 'rep-plan', team, r);
      const plan = planRep(team, r, prng);
      const user = makeUser(acct.key, acct.companyDomain, userIndex++, {
        role: 'seller', title: prng.pick(team % 2 === 0 ? SDR_TITLES : SELLER_TITLES),
        createdMs: nowMs - plan.createdDaysAgo * DAY_MS, managerId: manager.id,
        // The seed article's "John Doe" (a tenured rep on Sarah's team, so he has history).
        ...(team === SARAH_TEAM && r === JOHN_DOE_REP ? JOHN_DOE : {}),
      });
      reps.push({ user, plan });
    }
  });
  acct.users.push(...reps.map((r) => r.user));
  acct.crmAccounts.forEach((crmAccount, i) => {
    const owner = reps[(i * 7) % reps.length]!.user;
    acct.deals.push(makeDeal(acct.key, crmAccount, i, {
      ownerUserId: owner.id, nowMs, hasBrief: false, themes: randomThemes(rngFor(acct.key, 'themes', i)),
    }));
  });

  for (const { user, plan } of reps) {
    const rng = rngFor(acct.key, 'rep-calls', user.id);
    const manager = user.managerId!;
    const windowCalls: WorldCall[] = [];
    const maxDaysAgo = plan.newHire ? plan.createdDaysAgo - 1 : 28.9;
    for (let k = 0; k < plan.hosted; k++) {
      const daysAgo = 0.3 + rng.next() * (maxDaysAgo - 0.3);
      const attended = rng.chance(0.1);
      windowCalls.push(makeCall(acct, callIndex++, {
        startedMs: startAt(nowMs, daysAgo, `${acct.key}|cstart|${user.id}|${k}`),
        hostUserId: user.id, deal: rng.pick(acct.deals),
        ...(attended ? { extraInternalUserId: manager } : {}),
      }));
    }
    acct.calls.push(...windowCalls);
    if (!plan.newHire) {
      for (let k = 0; k < 2; k++) {
        const call = makeCall(acct, callIndex++, {
          startedMs: startAt(nowMs, rng.int(35, 60), `${acct.key}|cold|${user.id}|${k}`),
          hostUserId: user.id, deal: rng.pick(acct.deals),
        });
        acct.calls.push(call);
        // Older activity outside the truth window, so window filtering is actually exercised.
        addEvent(acct, call, manager, user.id, 'listen', rng, nowMs);
      }
    }
    for (const call of rng.sample(windowCalls, plan.listened)) {
      addEvent(acct, call, manager, user.id, 'listen', rng, nowMs);
      if (rng.chance(0.4)) addEvent(acct, call, manager, user.id, 'feedback', rng, nowMs);
    }
    for (const call of windowCalls) {
      if (call.internalUserIds.includes(manager)) addEvent(acct, call, manager, user.id, 'attend', rng, nowMs);
    }
    for (const call of rng.sample(windowCalls, plan.scorecards)) {
      const at = addEvent(acct, call, manager, user.id, 'scorecard', rng, nowMs);
      acct.scorecards.push({
        answeredScorecardId: numericId(acct.key, 'answered', call.id),
        scorecardId: numericId(acct.key, 'scorecard', 'discovery'),
        scorecardName: SCORECARD.name,
        callId: call.id,
        reviewedUserId: user.id,
        reviewerUserId: manager,
        reviewMs: at,
        scores: Array.from({ length: SCORECARD.questions }, () => rng.int(1, 5)),
      });
    }
  }
  // Appended after everything above, from their own PRNG streams: existing data is unchanged.
  const sarahsTeam = reps.filter((r) => r.user.managerId === managers[SARAH_TEAM]!.id).map((r) => r.user);
  addCoachingStories(acct, managers[SARAH_TEAM]!, sarahsTeam, callIndex, nowMs);
}

function addEvent(
  acct: AccountData, call: WorldCall, reviewer: string, reviewed: string,
  kind: CoachingEvent['kind'], rng: Rng, nowMs: number,
): number {
  const end = call.startedMs + call.durationSec * 1000;
  const atMs = kind === 'attend' ? call.startedMs : Math.min(end + rng.int(10, 20 * 60) * 60_000, nowMs - 60_000);
  acct.coachingEvents.push({ callId: call.id, reviewerUserId: reviewer, reviewedUserId: reviewed, atMs, kind });
  return atMs;
}

/** Ground truth for calls started in `[now - 30 days, now)`. */
export function computeCoachingTruth(acct: AccountData, nowMs: number): RepCoachingTruth[] {
  const fromMs = nowMs - TRUTH_WINDOW_DAYS * DAY_MS;
  const inWindow = new Set(acct.calls.filter((c) => c.startedMs >= fromMs && c.startedMs < nowMs).map((c) => c.id));
  return acct.users.filter((u) => u.role === 'seller').map((u) => {
    const hosted = acct.calls.filter((c) => c.primaryUserId === u.id && inWindow.has(c.id)).length;
    const events = acct.coachingEvents.filter((e) => e.reviewedUserId === u.id && inWindow.has(e.callId));
    const listened = new Set(events.filter((e) => e.kind === 'listen' && e.reviewerUserId === u.managerId).map((e) => e.callId)).size;
    const scorecards = acct.scorecards.filter((s) => s.reviewedUserId === u.id && inWindow.has(s.callId)).length;
    const isNewHire = u.createdMs >= fromMs;
    return {
      userId: u.id,
      managerId: u.managerId ?? '',
      isNewHire,
      callsHosted: hosted,
      callsListenedByManager: listened,
      scorecardsReceived: scorecards,
      flagNeglectedNewHire: isNewHire && listened < 5,
      flagNoScorecards: hosted >= 20 && scorecards === 0,
    };
  });
}
