/**
 * Coaching-account stories for the seed article's agent prompts, appended after the account is
 * built and drawn from their own PRNG streams, so nothing generated before them changes:
 * - "regional manager Sarah Smith" runs the second team, whose reps have a year of
 *   'Pricing Discovery' scorecards (each rep trending up, flat or down) on calls older than the
 *   30-day window sweeps look at, so a question about a past quarter has data;
 * - "John Doe" is a tenured rep on her team; Sarah's reps replay some of their own calls, so
 *   "calls hosted compared to call listens" has two non-zero numbers to compare.
 */
import { makeCall, startAt } from './calls.ts';
import { DAY_MS } from './people.ts';
import { numericId, rngFor, type Rng } from './prng.ts';
import type { AccountData, CoachingEvent, WorldCall, WorldUser } from './types.ts';

/** Index of Sarah's team among the coaching account's managers. */
export const SARAH_TEAM = 1;
export const SARAH = { firstName: 'Sarah', lastName: 'Smith' } as const;
/** Index of John Doe among Sarah's reps (a tenured rep: not one of the team's new hires). */
export const JOHN_DOE_REP = 4;
export const JOHN_DOE = { firstName: 'John', lastName: 'Doe' } as const;
export const PRICING_SCORECARD = { name: 'Pricing Discovery', questions: 4 } as const;

/** History runs from a year ago to 32 days ago: clear of the 30-day window sweeps and truth use. */
const HISTORY_FROM_DAYS = 365;
const HISTORY_TO_DAYS = 32;
/** Score change per 90 days, per rep: most improve, some stall, one in five slips. */
const SLOPES_PER_QUARTER = [0.9, 0.6, 0.3, 0, -0.6] as const;
const HOUR_MS = 3_600_000;

export function addCoachingStories(
  acct: AccountData,
  manager: WorldUser,
  reps: readonly WorldUser[],
  firstCallIndex: number,
  nowMs: number,
): void {
  let callIndex = firstCallIndex;
  const scorecardId = numericId(acct.key, 'scorecard', 'pricing-discovery');
  const recentCalls = new Map<string, WorldCall[]>();
  for (const c of acct.calls) recentCalls.set(c.primaryUserId, [...(recentCalls.get(c.primaryUserId) ?? []), c]);

  for (const rep of reps) {
    const rng = rngFor(acct.key, 'pricing-history', rep.id);
    // Reps replay about a third of their own calls (every call they hosted so far).
    for (const call of recentCalls.get(rep.id) ?? []) {
      if (rng.chance(0.3)) pushEvent(acct, call, rep.id, rep.id, 'self_listen', rng, nowMs - 60_000);
    }
    const fromMs = Math.max(nowMs - HISTORY_FROM_DAYS * DAY_MS, rep.createdMs + 3 * DAY_MS);
    const toMs = nowMs - HISTORY_TO_DAYS * DAY_MS;
    if (fromMs >= toMs) continue; // new hires have no history
    const slope = rng.pick(SLOPES_PER_QUARTER);
    const midMs = (fromMs + toMs) / 2;
    const latestReviewMs = nowMs - (HISTORY_TO_DAYS - 1) * DAY_MS;
    for (let at = fromMs + rng.int(0, 6) * DAY_MS; at < toMs; at += rng.int(7, 14) * DAY_MS) {
      const daysAgo = (nowMs - at) / DAY_MS;
      const call = makeCall(acct, callIndex++, {
        startedMs: startAt(nowMs, daysAgo, `${acct.key}|pricing-start|${rep.id}|${callIndex}`),
        hostUserId: rep.id,
        deal: rng.pick(acct.deals),
      });
      acct.calls.push(call);
      if (rng.chance(0.3)) pushEvent(acct, call, rep.id, rep.id, 'self_listen', rng, latestReviewMs);
      if (rng.chance(0.4)) pushEvent(acct, call, manager.id, rep.id, 'listen', rng, latestReviewMs);
      if (rng.chance(0.15)) pushEvent(acct, call, manager.id, rep.id, 'feedback', rng, latestReviewMs);
      if (!rng.chance(0.6)) continue;
      const reviewMs = pushEvent(acct, call, manager.id, rep.id, 'scorecard', rng, latestReviewMs);
      const level = 3 + (slope * (call.startedMs - midMs)) / (90 * DAY_MS);
      acct.scorecards.push({
        answeredScorecardId: numericId(acct.key, 'answered', call.id),
        scorecardId,
        scorecardName: PRICING_SCORECARD.name,
        callId: call.id,
        reviewedUserId: rep.id,
        reviewerUserId: manager.id,
        reviewMs,
        scores: Array.from({ length: PRICING_SCORECARD.questions }, () =>
          Math.min(5, Math.max(1, Math.round(level + rng.pick([-1, 0, 0, 1] as const))))),
      });
    }
  }
}

/** Records a review 1-48 hours after the call ended, never later than `latestMs`. */
function pushEvent(
  acct: AccountData, call: WorldCall, reviewer: string, reviewed: string,
  kind: CoachingEvent['kind'], rng: Rng, latestMs: number,
): number {
  const end = call.startedMs + call.durationSec * 1000;
  const atMs = Math.max(end, Math.min(end + rng.int(1, 48) * HOUR_MS, latestMs));
  acct.coachingEvents.push({ callId: call.id, reviewerUserId: reviewer, reviewedUserId: reviewed, atMs, kind });
  return atMs;
}
