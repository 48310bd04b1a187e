/**
 * "Pull the activity aggregate for John Doe from March 1st to March 15th. How many calls did he
 * host compared to his total call listens?": the user (users list), then Gong's activity
 * aggregate for those whole days, summed over its periods.
 */
import { cite, day, plural } from '../format.ts';
import { findPerson } from '../lookups.ts';
import { dayStart, DAY_MS, type Question } from '../question.ts';
import { collect, idOf, isActivity, list, num } from '../records.ts';
import { Final, type Plan } from '../replay.ts';
import { isRecord } from '../protocol.ts';

const DEFAULT_DAYS = 30;

export function activityPlan(plan: Plan, q: Question): string {
  const aggregate = plan.need('aggregate', 'read activity statistics');
  const today = dayStart(plan.nowMs);
  const range = q.range ?? { fromMs: today - (q.days ?? DEFAULT_DAYS) * DAY_MS, toMs: today };
  const { person, views: userViews } = findPerson(plan, q, { leader: /\bmanager\b/.test(q.lower), role: 'person' });
  // Gong's statistics cover whole days before today (toDate is exclusive and may not pass today).
  const toMs = Math.min(range.toMs, today);
  if (toMs <= range.fromMs) {
    throw new Final(`Gong's activity statistics cover whole days before today (${day(today)}), so there is nothing to report for ${day(range.fromMs)} onwards yet.`);
  }
  const first = plan.call(aggregate, {
    fromDate: day(range.fromMs),
    toDate: day(toMs),
    userIds: [person.id],
    aggregationPeriod: 'MONTH',
  });
  if (first.status !== 'ok') {
    throw new Final(`I couldn't read ${person.name}'s activity: \`${first.tool}\` returned an error: ${first.error ?? 'unknown'} ${cite(first)}.`);
  }
  const view = plan.read(first);
  const periods = collect(view.data, isActivity)
    .filter((r) => idOf(r['userId']) === person.id)
    .flatMap((r) => list(r['userAggregateActivity']).filter(isRecord));
  const total = (key: string): number => periods.reduce((n, p) => n + num(p[key]), 0);
  const hosted = total('callsAsHost');
  const own = total('ownCallsListenedTo');
  const others = total('othersCallsListenedTo');
  const listens = own + others;
  const lastDay = day(toMs - DAY_MS);
  const clipped = toMs < range.toMs ? ` (Gong's statistics stop at the last whole day, ${lastDay}; today is not included)` : '';
  const comparison =
    hosted === listens
      ? 'as many calls as they listened to'
      : hosted > listens
        ? `${plural(hosted - listens, 'call')} more than they listened to`
        : `${plural(listens - hosted, 'call')} fewer than they listened to`;
  const ratio = hosted > 0 ? `${(listens / hosted).toFixed(2)} listens per hosted call` : 'no hosted calls to compare with';
  return [
    `**${person.name}** (${person.email}${person.title ? `, ${person.title}` : ''}), ${day(range.fromMs)} to ${lastDay}${clipped} ${cite(view)}:`,
    '',
    `- Calls hosted: **${hosted}**`,
    `- Call listens: **${listens}** in total (${own} of their own calls, ${others} of other people's calls)`,
    `- ${person.firstName} hosted ${comparison} (${ratio}).`,
    '',
    `User found in the users list ${cite(...userViews)}; numbers from Gong's activity aggregate ${cite(view)}.`,
  ].join('\n');
}
