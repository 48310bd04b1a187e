/**
 * The governor page's "Fair share" section: per account, jobs waiting or running (per queue and per
 * lane) and the share of the work (jobs finished) it got in the last minutes. Read from fair
 * sharing's counters (queues/fair/accounting.ts): approximate by design, exact again whenever a
 * queue drains.
 */
import { LANES, sharesByAccount, type FairShareSnapshot } from '../queues/fair/index.ts';
import { QUEUE_NAMES } from '../queues/names.ts';

export function renderFairShareSection(fair: FairShareSnapshot, esc: (s: string) => string): string {
  const accounts = sharesByAccount(fair);
  const finishedAll = fair.finished.reduce((n, f) => n + f.count, 0);
  const rows = accounts
    .map((a) => {
      const byQueue = QUEUE_NAMES.map((q) => `<td>${a.pendingByQueue[q] ?? 0}</td>`).join('');
      const byLane = LANES.filter((l) => a.pendingByLane[l]).map((l) => `${esc(l)} ${a.pendingByLane[l]}`).join(', ') || '—';
      const pct = (100 * a.share).toFixed(1);
      return `<tr class="fair-account" data-account="${esc(a.accountId)}"><td><code>${esc(a.accountId)}</code></td><td>${a.pending}</td>${byQueue}<td>${byLane}</td><td>${a.finished}</td><td><span class="bar" style="width:${Math.round(a.share * 120)}px"></span> ${pct} %</td></tr>`;
    })
    .join('');
  const head = `<tr><th>account</th><th>waiting or running</th>${QUEUE_NAMES.map((q) => `<th>${q}</th>`).join('')}<th>by lane</th><th>finished, last ${fair.windowMinutes} min</th><th>share of work</th></tr>`;
  const empty = `<tr><td colspan="${QUEUE_NAMES.length + 5}">no jobs queued or finished in the last ${fair.windowMinutes} minutes</td></tr>`;
  return `<h2>Fair share</h2>
<p>Jobs each account has waiting or running, and its share of the ${finishedAll} jobs the fleet finished in the last ${fair.windowMinutes} minutes
(<a href="?minutes=15">15 min</a> · <a href="?minutes=60">60 min</a>). Counters are approximate, and exact again whenever a queue drains.</p>
<table id="fair-share">${head}${rows || empty}</table>`;
}
