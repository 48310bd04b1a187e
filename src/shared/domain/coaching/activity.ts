/**
 * Activity counters per user from Gong's `aggregate-by-period` stats, asking for every user of the
 * sweep in one request (Gong pages 100 users a response), never one request per rep. Stats only
 * cover whole UTC days before today, so the partial days at the window's ends are counted from the
 * calls list instead (a page or two: one day's calls).
 */
import type { AccountCapabilities, CallBasicData } from '../../upstream/index.ts';
import { splitWindow, type SweepWindow } from './window.ts';

export interface Activity {
  callsAsHost: number;
  /** Other people's calls this user listened to (for a manager: coaching listens). */
  othersCallsListenedTo: number;
  callsScorecardsFilled: number;
  callsGaveFeedback: number;
}

export interface ActivityResult {
  byUser: Map<string, Activity>;
  requests: number;
  /** The calls the calls list returned (partial days, or the whole window without a stats tool). */
  calls: CallBasicData[];
  /** True when calls hosted were counted from the calls list (no activity-aggregates tool). */
  fromCalls: boolean;
}

const ZERO: Activity = { callsAsHost: 0, othersCallsListenedTo: 0, callsScorecardsFilled: 0, callsGaveFeedback: 0 };

export async function fetchActivity(
  caps: AccountCapabilities,
  userIds: string[],
  window: SweepWindow,
  signal?: AbortSignal,
): Promise<ActivityResult> {
  const byUser = new Map<string, Activity>(userIds.map((id) => [id, { ...ZERO }]));
  const wanted = new Set(userIds);
  const opts = { notFoundAsEmpty: true, ...(signal ? { signal } : {}) };
  // Without a stats tool, the calls list counts calls hosted over the whole window (more pages, same numbers).
  const fromCalls = !caps.has('activity');
  const pieces = fromCalls
    ? { partial: [{ fromDateTime: new Date(window.fromMs).toISOString(), toDateTime: new Date(window.toMs).toISOString() }] }
    : splitWindow(window);
  const calls: CallBasicData[] = [];
  let requests = 0;
  if ('days' in pieces && pieces.days && userIds.length > 0) {
    const args = {
      filter: { ...pieces.days, userIds },
      // YEAR keeps the response to one or two periods per user; the periods are clipped to the
      // range, so their sum is exact whatever the period.
      aggregationPeriod: 'YEAR',
    };
    let pages = 0;
    for await (const page of caps.pages('activity', args, opts)) {
      pages += 1;
      for (const u of page.records) {
        const a = byUser.get(u.userId);
        if (!a) continue;
        for (const p of u.userAggregateActivity) {
          a.callsAsHost += p.callsAsHost ?? 0;
          a.othersCallsListenedTo += p.othersCallsListenedTo ?? 0;
          a.callsScorecardsFilled += p.callsScorecardsFilled ?? 0;
          a.callsGaveFeedback += p.callsGaveFeedback ?? 0;
        }
      }
    }
    requests += Math.max(pages, 1); // an empty answer (Gong's 404) is still a request
  }
  for (const range of pieces.partial) {
    let pages = 0;
    for await (const page of caps.pages('calls', range, opts)) {
      pages += 1;
      for (const call of page.records) {
        // A calls tool without window arguments lists every call: count only the range's.
        const startedMs = call.started ? Date.parse(call.started) : NaN;
        if (Number.isFinite(startedMs) && (startedMs < Date.parse(range.fromDateTime) || startedMs >= Date.parse(range.toDateTime))) continue;
        calls.push(call);
        const host = call.primaryUserId ?? undefined;
        if (host && wanted.has(host)) byUser.get(host)!.callsAsHost += 1;
      }
    }
    requests += Math.max(pages, 1);
  }
  return { byUser, requests, calls, fromCalls };
}
