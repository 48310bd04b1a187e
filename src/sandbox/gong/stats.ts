/**
 * /v2/stats/activity/aggregate-by-period, /v2/stats/activity/scorecards and /v2/coaching. All three
 * derive from the same coaching events, so their numbers agree with each other and with
 * `world.coachingTruth`.
 */
import { DAY_MS } from '../world/people.ts';
import type { AccountData, CoachingEvent } from '../world/types.ts';
import { inputsHash, paginate } from './cursor.ts';
import {
  badRequest, bodyObject, isoSeconds, notFound, ok, optionalIdList, parseDateTime, parseDay, queryOne, requireFilter,
  type Handler,
} from './http.ts';
import { coachingUser, findUser } from './users.ts';

export const STATS_PAGE_SIZE = 100;
const PERIODS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
type Period = (typeof PERIODS)[number];

const COUNTERS = [
  'callsAsHost', 'callsGaveFeedback', 'callsRequestedFeedback', 'callsReceivedFeedback', 'ownCallsListenedTo',
  'othersCallsListenedTo', 'callsSharedInternally', 'callsSharedExternally', 'callsScorecardsFilled',
  'callsScorecardsReceived', 'callsAttended', 'callsCommentsGiven', 'callsCommentsReceived',
  'callsMarkedAsFeedbackGiven', 'callsMarkedAsFeedbackReceived',
] as const;
type Counter = (typeof COUNTERS)[number];

/** Start of the period containing `ms` (UTC; weeks start on Monday like Gong's). */
function periodStart(ms: number, period: Period): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (period) {
    case 'DAY': return Date.UTC(y, m, d.getUTCDate());
    case 'WEEK': return Date.UTC(y, m, d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    case 'MONTH': return Date.UTC(y, m, 1);
    case 'QUARTER': return Date.UTC(y, m - (m % 3), 1);
    case 'YEAR': return Date.UTC(y, 0, 1);
  }
}

function nextPeriod(startMs: number, period: Period): number {
  const d = new Date(startMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (period) {
    case 'DAY': return startMs + DAY_MS;
    case 'WEEK': return startMs + 7 * DAY_MS;
    case 'MONTH': return Date.UTC(y, m + 1, 1);
    case 'QUARTER': return Date.UTC(y, m + 3, 1);
    case 'YEAR': return Date.UTC(y + 1, 0, 1);
  }
}

/** Periods covering [fromMs, toMs), the first and last clipped to the range. */
export function periodsBetween(fromMs: number, toMs: number, period: Period): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = periodStart(fromMs, period); s < toMs; s = nextPeriod(s, period)) {
    out.push([Math.max(s, fromMs), Math.min(nextPeriod(s, period), toMs)]);
  }
  return out;
}

/** (user, counter, timestamp, callId) facts the aggregate endpoints count. */
function activityFacts(account: AccountData): Array<{ userId: string; counter: Counter; atMs: number; callId: string }> {
  const facts: Array<{ userId: string; counter: Counter; atMs: number; callId: string }> = [];
  for (const c of account.calls) {
    facts.push({ userId: c.primaryUserId, counter: 'callsAsHost', atMs: c.startedMs, callId: c.id });
    for (const u of c.internalUserIds.slice(1)) facts.push({ userId: u, counter: 'callsAttended', atMs: c.startedMs, callId: c.id });
  }
  const byKind: Record<CoachingEvent['kind'], Array<[Counter, 'reviewer' | 'reviewed']>> = {
    listen: [['othersCallsListenedTo', 'reviewer']],
    attend: [],
    feedback: [['callsGaveFeedback', 'reviewer'], ['callsReceivedFeedback', 'reviewed'],
      ['callsMarkedAsFeedbackGiven', 'reviewer'], ['callsMarkedAsFeedbackReceived', 'reviewed']],
    scorecard: [['callsScorecardsFilled', 'reviewer'], ['callsScorecardsReceived', 'reviewed']],
    self_listen: [['ownCallsListenedTo', 'reviewer']],
  };
  for (const e of account.coachingEvents) {
    for (const [counter, who] of byKind[e.kind]) {
      facts.push({ userId: who === 'reviewer' ? e.reviewerUserId : e.reviewedUserId, counter, atMs: e.atMs, callId: e.callId });
    }
  }
  return facts;
}

export const aggregateByPeriod: Handler = (ctx) => {
  const body = bodyObject(ctx.req);
  const filter = requireFilter(ctx.req);
  const fromMs = parseDay(filter['fromDate'], 'filter.fromDate');
  const toMs = parseDay(filter['toDate'], 'filter.toDate');
  if (fromMs === undefined) throw badRequest('filter.fromDate: must not be null');
  if (toMs === undefined) throw badRequest('filter.toDate: must not be null');
  const period = body['aggregationPeriod'];
  if (period === undefined || period === null) throw badRequest('aggregationPeriod: must not be null');
  if (!PERIODS.includes(period as Period)) throw badRequest(`aggregationPeriod: must be one of ${PERIODS.join(', ')}`);
  const today = Math.floor(ctx.world.now.getTime() / DAY_MS) * DAY_MS;
  if (toMs > today) throw badRequest('filter.toDate: must not be later than the current date');
  if (fromMs >= toMs) throw badRequest('filter.fromDate: must be before filter.toDate');
  const userIds = optionalIdList(filter, 'userIds');

  const periods = periodsBetween(fromMs, toMs, period as Period);
  const counts = new Map<string, Array<Map<Counter, Set<string>>>>();
  for (const f of activityFacts(ctx.account)) {
    if (f.atMs < fromMs || f.atMs >= toMs) continue;
    const idx = periods.findIndex(([s, e]) => f.atMs >= s && f.atMs < e);
    if (idx < 0) continue;
    let perUser = counts.get(f.userId);
    if (!perUser) counts.set(f.userId, (perUser = periods.map(() => new Map())));
    const bucket = perUser[idx]!;
    // Repeated activity on the same call counts once per period.
    bucket.set(f.counter, (bucket.get(f.counter) ?? new Set()).add(f.callId));
  }
  const users = userIds
    ? ctx.account.users.filter((u) => userIds.includes(u.id))
    : ctx.account.users.filter((u) => counts.has(u.id));
  if (users.length === 0) throw notFound('No users found corresponding to the provided filters');
  const hash = inputsHash(`${ctx.account.key} aggregate-by-period`, { filter, aggregationPeriod: period });
  const page = paginate(users, body['cursor'], hash, STATS_PAGE_SIZE);
  return ok(ctx, {
    records: page.records,
    usersAggregateActivity: page.items.map((u) => ({
      userId: u.id,
      userEmailAddress: u.emailAddress,
      userAggregateActivity: periods.map(([s, e], i) => {
        const bucket = counts.get(u.id)?.[i];
        const row: Record<string, unknown> = {};
        for (const c of COUNTERS) row[c] = bucket?.get(c)?.size ?? 0;
        row['fromDate'] = isoSeconds(s);
        row['toDate'] = isoSeconds(e);
        return row;
      }),
    })),
  });
};

export const answeredScorecards: Handler = (ctx) => {
  const body = bodyObject(ctx.req);
  const filter = requireFilter(ctx.req);
  const callFrom = parseDay(filter['callFromDate'], 'filter.callFromDate');
  const callTo = parseDay(filter['callToDate'], 'filter.callToDate');
  const reviewFrom = parseDay(filter['reviewFromDate'], 'filter.reviewFromDate');
  const reviewTo = parseDay(filter['reviewToDate'], 'filter.reviewToDate');
  const reviewed = optionalIdList(filter, 'reviewedUserIds');
  const scorecardIds = optionalIdList(filter, 'scorecardIds');
  const callStart = new Map(ctx.account.calls.map((c) => [c.id, c.startedMs]));
  const rows = ctx.account.scorecards
    .filter((s) => {
      const started = callStart.get(s.callId) ?? 0;
      return (callFrom === undefined || started >= callFrom) && (callTo === undefined || started < callTo) &&
        (reviewFrom === undefined || s.reviewMs >= reviewFrom) && (reviewTo === undefined || s.reviewMs < reviewTo) &&
        (!reviewed || reviewed.includes(s.reviewedUserId)) && (!scorecardIds || scorecardIds.includes(s.scorecardId));
    })
    .sort((a, b) => a.reviewMs - b.reviewMs || a.answeredScorecardId.localeCompare(b.answeredScorecardId));
  if (rows.length === 0) throw notFound('No scorecards found corresponding to the provided filters');
  const hash = inputsHash(`${ctx.account.key} scorecards`, { filter });
  const page = paginate(rows, body['cursor'], hash, STATS_PAGE_SIZE);
  // Ids are JSON numbers here (int64 in the spec); sandbox ids stay below 2^53 so they are exact.
  return ok(ctx, {
    records: page.records,
    answeredScorecards: page.items.map((s) => ({
      answeredScorecardId: Number(s.answeredScorecardId),
      scorecardId: Number(s.scorecardId),
      scorecardName: s.scorecardName,
      callId: Number(s.callId),
      callStartTime: isoSeconds(callStart.get(s.callId) ?? 0),
      reviewedUserId: Number(s.reviewedUserId),
      reviewerUserId: Number(s.reviewerUserId),
      reviewMethod: 'MANUAL',
      reviewTime: isoSeconds(s.reviewMs),
      visibilityType: 'PUBLIC',
      answers: s.scores.map((score, i) => ({
        questionId: 1000 + i, questionRevisionId: 2000 + i, isOverall: i === s.scores.length - 1,
        score, notApplicable: false,
      })),
    })),
  });
};

export const coaching: Handler = (ctx) => {
  const q = (name: string): string => {
    const v = queryOne(ctx.req, name);
    if (v === undefined || v === '') throw badRequest(`Required request parameter '${name}' is not present`);
    return v;
  };
  const workspaceId = q('workspace-id');
  const managerId = q('manager-id');
  const fromMs = parseDateTime(q('from'), 'from')!;
  const toMs = parseDateTime(q('to'), 'to')!;
  if (workspaceId !== ctx.account.workspaceId) throw badRequest(`workspace-id: unknown workspace ${workspaceId}`);
  const manager = findUser(ctx.account, managerId);
  if (!manager) throw notFound('Manager not found');
  const reports = ctx.account.users.filter((u) => u.managerId === manager.id);
  const events = ctx.account.coachingEvents.filter((e) => e.reviewerUserId === manager.id);
  const directReportsMetrics = reports.map((report) => {
    const calls = ctx.account.calls.filter((c) => c.primaryUserId === report.id && c.startedMs >= fromMs && c.startedMs < toMs);
    const ids = new Set(calls.map((c) => c.id));
    const withEvent = (kind: CoachingEvent['kind']): string[] =>
      [...new Set(events.filter((e) => e.kind === kind && ids.has(e.callId)).map((e) => e.callId))];
    return {
      report: coachingUser(report),
      metrics: {
        callsListenedTo: withEvent('listen'),
        callsManagerAttended: calls.filter((c) => c.internalUserIds.includes(manager.id)).map((c) => c.id),
        callsWithFeedback: withEvent('feedback'),
        callsManagerCommentedOn: withEvent('feedback'),
        callsWithScorecardFilled: withEvent('scorecard'),
      },
    };
  });
  return ok(ctx, { coachingData: [{ manager: coachingUser(manager), directReportsMetrics }] });
};
