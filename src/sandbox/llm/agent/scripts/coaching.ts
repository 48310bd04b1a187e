/**
 * Coaching questions about a manager's team. Both read the manager (users list), the workspace and
 * Gong's coaching metrics for the period (which also give the team: the direct reports):
 * - "Fetch the coaching metrics for regional manager Sarah Smith for Q3. Are her reps improving on
 *   the 'Pricing Discovery' scorecard?" adds the reps' answered scorecards of that name: per rep,
 *   the first and the last scorecard of the quarter (mean answer score) and the trend between them;
 * - Scenario 2, "Review the activity and coaching metrics for the SDR team under Manager Mike.
 *   Tell me if any new reps had fewer than 5 calls listened to by a manager this month.", adds
 *   the activity aggregate (calls hosted, scorecards received) and the reps' join dates; "this
 *   month" means the 30 whole days before today, and a new rep is one who joined within them.
 */
import { cite, day, failure, isoSeconds, plural } from '../format.ts';
import { findPerson, person, workspaceId, type Person } from '../lookups.ts';
import { isRecord } from '../protocol.ts';
import { dayStart, DAY_MS, quarterIn, type DayRange, type Question } from '../question.ts';
import { collect, idOf, isActivity, isCoaching, isScorecard, isUser, list, ms, num, str, type Row } from '../records.ts';
import { Final, type Plan, type View } from '../replay.ts';

interface Report {
  id: string;
  name: string;
  listened: number;
  feedback: number;
  scorecardsFilled: number;
  attended: number;
}

interface Team {
  manager: Person;
  reports: Report[];
  coaching: View;
  managerViews: View[];
  people: Person[];
}

const WINDOW_DAYS = 30;
const NEW_REP_LISTEN_THRESHOLD = 5;
const HEAVY_HOST_CALLS = 20;

function team(plan: Plan, q: Question, range: DayRange): Team {
  const coachingTool = plan.need('coaching', "read a manager's coaching metrics");
  const { person: manager, views: managerViews, people } = findPerson(plan, q, { leader: true, role: 'manager' });
  const ws = workspaceId(plan);
  const first = plan.call(coachingTool, { workspaceId: ws.id, managerId: manager.id, from: isoSeconds(range.fromMs), to: isoSeconds(range.toMs) });
  if (first.status !== 'ok') throw new Final(failure(first, `read ${manager.name}'s coaching metrics`));
  const coaching = plan.read(first);
  const rows = collect(coaching.data, isCoaching).flatMap((c) => list(c['directReportsMetrics']).filter(isRecord));
  const reports = rows.map((r): Report => {
    const rep = isRecord(r['report']) ? r['report'] : {};
    const m = isRecord(r['metrics']) ? r['metrics'] : {};
    return {
      id: idOf(rep['id']),
      name: `${str(rep['firstName'])} ${str(rep['lastName'])}`.trim(),
      listened: list(m['callsListenedTo']).length,
      feedback: list(m['callsWithFeedback']).length,
      scorecardsFilled: list(m['callsWithScorecardFilled']).length,
      attended: list(m['callsManagerAttended']).length,
    };
  });
  if (reports.length === 0) throw new Final(`Gong lists no direct reports for ${manager.name} ${cite(coaching)}.`);
  return { manager, reports, coaching, managerViews, people };
}

function scorecardArgs(plan: Plan, reps: readonly Report[], range: DayRange): Record<string, unknown> {
  return {
    reviewedUserIds: reps.map((r) => r.id),
    callFromDate: day(range.fromMs),
    // Gong refuses a callToDate after today; leaving it out means "up to now".
    ...(range.toMs <= dayStart(plan.nowMs) ? { callToDate: day(range.toMs) } : {}),
  };
}

/** Every answered scorecard of the reps for calls in the range (all pages); Gong's 404 means none. */
function scorecards(plan: Plan, reps: readonly Report[], range: DayRange): { rows: Row[]; views: View[] } {
  const tool = plan.need('scorecards', 'read answered scorecards');
  const scan = plan.scan(tool, scorecardArgs(plan, reps, range), (data) => collect(data, isScorecard), () => false);
  if (scan.failed && !/\b404\b|no scorecards/i.test(scan.failed.error ?? '')) throw new Final(failure(scan.failed, 'read the scorecards'));
  const inRange = scan.rows.filter((s) => {
    const started = ms(s['callStartTime']);
    return Number.isNaN(started) || (started >= range.fromMs && started < range.toMs);
  });
  return { rows: inRange, views: scan.failed ? [scan.failed] : scan.views };
}

function meanScore(card: Row): number {
  const scores = list(card['answers']).filter(isRecord).filter((a) => a['notApplicable'] !== true).map((a) => num(a['score']));
  return scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : NaN;
}

export function scorecardTrendPlan(plan: Plan, q: Question): string {
  const today = dayStart(plan.nowMs);
  const quarter = quarterIn(q.text, plan.nowMs);
  const range = quarter ?? { fromMs: today - 90 * DAY_MS, toMs: today + DAY_MS };
  const label = quarter?.label ?? 'the last 90 days';
  const name = q.quoted.find((s) => !/^q[1-4]\b/i.test(s)) ?? /\b([A-Z][\w]*(?:\s+[A-Z][\w]*)*)\s+scorecard/.exec(q.text)?.[1] ?? '';
  const t = team(plan, q, range);
  const cards = scorecards(plan, t.reports, range);
  const named = cards.rows.filter((c) => !name || str(c['scorecardName']).toLowerCase().includes(name.toLowerCase()));
  const lastDay = day(Math.min(range.toMs, today + DAY_MS) - DAY_MS);
  const header = `**${t.manager.name}**${t.manager.title ? ` (${t.manager.title})` : ''}, ${label} (${day(range.fromMs)} to ${lastDay})`;
  const coachingLine =
    `Coaching metrics ${cite(t.coaching)}: across ${plural(t.reports.length, 'direct report')}, ${t.manager.firstName} listened to ` +
    `${plural(sum(t.reports, (r) => r.listened), 'call')}, gave feedback on ${sum(t.reports, (r) => r.feedback)} and filled ` +
    `${plural(sum(t.reports, (r) => r.scorecardsFilled), 'scorecard')} on their calls.`;
  if (named.length === 0) {
    const seen = [...new Set(cards.rows.map((c) => str(c['scorecardName'])))];
    return [header, '', coachingLine, '', `No '${name}' scorecards were filled for these reps' calls in ${label} ${cite(...cards.views)}.${seen.length ? ` Scorecards found: ${seen.join(', ')}.` : ''}`].join('\n');
  }
  const rows = t.reports.map((r) => {
    const mine = named.filter((c) => idOf(c['reviewedUserId']) === r.id).sort((a, b) => ms(a['callStartTime']) - ms(b['callStartTime']));
    const first = mine[0] ? meanScore(mine[0]) : NaN;
    const last = mine.at(-1) ? meanScore(mine.at(-1)!) : NaN;
    const trend = mine.length < 2 ? 'n/a' : last > first ? 'improving' : last < first ? 'declining' : 'flat';
    return { r, count: mine.length, first, last, trend };
  });
  const scored = rows.filter((x) => x.count >= 2);
  const improving = scored.filter((x) => x.trend === 'improving');
  const fmt = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(2));
  const verdict =
    scored.length === 0
      ? 'No rep has two scorecards in the period, so there is no trend to report.'
      : `**${improving.length} of ${scored.length} reps improved** (last ${name} score above their first in ${label}); ` +
        `${scored.filter((x) => x.trend === 'declining').length} declined, ${scored.filter((x) => x.trend === 'flat').length} stayed flat.`;
  return [
    header,
    '',
    coachingLine,
    '',
    `'${name}' scorecards ${cite(...cards.views)}: ${plural(named.length, 'scorecard')} for ${plural(rows.filter((x) => x.count > 0).length, 'rep')} (mean answer score, 1-5):`,
    '',
    '| Rep | Scorecards | First | Last | Trend |',
    '|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.r.name} | ${x.count} | ${fmt(x.first)} | ${fmt(x.last)} | ${x.trend} |`),
    '',
    verdict,
  ].join('\n');
}

export function coachingReviewPlan(plan: Plan, q: Question): string {
  const today = dayStart(plan.nowMs);
  const days = q.days ?? WINDOW_DAYS;
  const range = { fromMs: today - days * DAY_MS, toMs: today };
  const threshold = q.threshold ?? NEW_REP_LISTEN_THRESHOLD;
  const t = team(plan, q, range);
  const aggregate = plan.need('aggregate', 'read activity statistics');
  const usersExtensive = plan.tool('usersExtensive');
  // Activity and the reps' join dates don't depend on each other: one turn. Scorecards received
  // come from the activity counters, not the (much larger) answered-scorecards list.
  const [activityFirst] = plan.callAll([
    [aggregate, { fromDate: day(range.fromMs), toDate: day(range.toMs), userIds: t.reports.map((r) => r.id), aggregationPeriod: 'MONTH' }],
    ...(usersExtensive ? [[usersExtensive, { userIds: t.reports.map((r) => r.id) }] as const] : []),
  ]);
  if (activityFirst!.status !== 'ok') throw new Final(failure(activityFirst!, 'read the activity statistics'));
  const activity = plan.read(activityFirst!);
  const roster = joinDates(plan, t.reports.map((r) => r.id));
  const created = new Map(roster.rows.map(person).map((p) => [p.id, p.createdMs]));

  const hostedBy = new Map<string, number>();
  const cardsBy = new Map<string, number>();
  for (const a of collect(activity.data, isActivity)) {
    const periods = list(a['userAggregateActivity']).filter(isRecord);
    const add = (into: Map<string, number>, key: string): void => {
      into.set(idOf(a['userId']), (into.get(idOf(a['userId'])) ?? 0) + periods.reduce((acc, p) => acc + num(p[key]), 0));
    };
    add(hostedBy, 'callsAsHost');
    add(cardsBy, 'callsScorecardsReceived');
  }
  const reps = t.reports.map((r) => {
    const joined = created.get(r.id);
    return { ...r, hosted: hostedBy.get(r.id) ?? 0, cards: cardsBy.get(r.id) ?? 0, joined, isNew: joined !== undefined && joined >= range.fromMs };
  });
  const newReps = reps.filter((r) => r.isNew);
  const flagged = newReps.filter((r) => r.listened < threshold);
  const heavy = reps.filter((r) => r.hosted >= HEAVY_HOST_CALLS && r.cards === 0);
  const unknown = reps.filter((r) => r.joined === undefined);
  const sources = cite(...t.managerViews, t.coaching, activity, ...roster.views);
  const first = t.manager.firstName;
  const lines = [
    `**${t.manager.name}**${t.manager.title ? ` (${t.manager.title})` : ''}: ${plural(reps.length, 'direct report')}, ${day(range.fromMs)} to ${day(range.toMs - DAY_MS)} (the ${days} whole days before today) ${sources}`,
    '',
    newReps.length === 0
      ? `No rep joined in this period, so no new rep is below ${threshold} calls listened to.`
      : flagged.length > 0
        ? `**Yes: ${flagged.length} of ${plural(newReps.length, 'new rep')} had fewer than ${threshold} calls listened to by ${first}:** ` +
          `${flagged.map((r) => `${r.name} (${r.listened} of ${r.hosted} hosted)`).join(', ')} ${cite(t.coaching, activity)}.`
        : `**No:** all ${plural(newReps.length, 'new rep')} had at least ${threshold} calls listened to by ${first} ${cite(t.coaching)}.`,
  ];
  if (heavy.length > 0) {
    lines.push('', `Also: ${heavy.map((r) => `${r.name} hosted ${r.hosted} calls`).join(', ')} with no scorecard ${cite(activity)}.`);
  }
  if (unknown.length > 0) lines.push('', `I couldn't find when ${unknown.map((r) => r.name).join(', ')} joined ${cite(...roster.views)}.`);
  lines.push(
    '',
    `| Rep | New | Joined | Calls hosted | Listened to by ${first} | Scorecards |`,
    '|---|---|---|---|---|---|',
    ...reps.map((r) => `| ${r.name} | ${r.isNew ? 'yes' : 'no'} | ${r.joined !== undefined && !Number.isNaN(r.joined) ? day(r.joined) : '?'} | ${r.hosted} | ${r.listened} | ${r.cards} |`),
  );
  return lines.join('\n');
}

/**
 * When each rep joined: the users-extensive read for just these ids when offered (small), else
 * read on in the users list until every one of them has been seen.
 */
function joinDates(plan: Plan, ids: string[]): { rows: Row[]; views: View[] } {
  const extensive = plan.tool('usersExtensive');
  if (extensive) {
    const first = plan.call(extensive, { userIds: ids });
    if (first.status === 'ok') {
      const view = plan.read(first);
      return { rows: collect(view.data, isUser), views: [view] };
    }
  }
  const users = plan.need('users', 'list users');
  const scan = plan.scan(users, {}, (data) => collect(data, isUser), (rows) => ids.every((id) => rows.some((u) => idOf(u['id']) === id)));
  return { rows: scan.rows, views: scan.views };
}

function sum<T>(items: readonly T[], pick: (t: T) => number): number {
  return items.reduce((n, x) => n + pick(x), 0);
}
