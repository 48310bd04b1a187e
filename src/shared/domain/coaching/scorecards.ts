/**
 * Answered scorecards per reviewed rep, from Gong's scorecards stats (its own filter names:
 * `callFromDate`/`callToDate`, days). One paged list for the whole account: scorecards are few,
 * so filtering by 200 reviewed user ids would buy nothing. Calls are matched to the window by
 * their exact start time, since the filter only has day resolution.
 */
import type { AccountCapabilities } from '../../upstream/index.ts';
import { DAY_MS, isoDay, type SweepWindow } from './window.ts';

export interface ScorecardResult {
  /** Scorecards received per reviewed user id, for calls started inside the window. */
  byUser: Map<string, number>;
  requests: number;
}

export async function fetchScorecards(caps: AccountCapabilities, window: SweepWindow, signal?: AbortSignal): Promise<ScorecardResult> {
  const byUser = new Map<string, number>();
  let pages = 0;
  const toDay = Math.ceil(window.toMs / DAY_MS) * DAY_MS;
  // A callToDate after today is left out rather than risk Gong's "no later than today" check.
  const args = { filter: { callFromDate: isoDay(window.fromMs), ...(toDay <= Date.now() ? { callToDate: isoDay(toDay) } : {}) } };
  for await (const page of caps.pages('scorecards', args, { notFoundAsEmpty: true, ...(signal ? { signal } : {}) })) {
    pages += 1;
    for (const s of page.records) {
      const started = s.callStartTime ? Date.parse(s.callStartTime) : NaN;
      if (!(started >= window.fromMs && started < window.toMs)) continue;
      byUser.set(s.reviewedUserId, (byUser.get(s.reviewedUserId) ?? 0) + 1);
    }
  }
  return { byUser, requests: Math.max(pages, 1) }; // an empty answer (Gong's 404) is still a request
}
