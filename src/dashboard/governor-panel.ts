/**
 * The governor panel: per bucket (Gong company via Truto, API token, LLM model) the slots available
 * now under each limit, blocked-until, and calls today against the daily budget; job counts per
 * queue; and per account the jobs waiting and its share of the work (fair-share-panel.ts). A plain
 * HTML page that refreshes itself, and the same snapshot as JSON (`?minutes=N` sets the share's window).
 */
import { Router, type Request } from 'express';
import { MAX_WINDOW_MINUTES } from '../queues/fair/index.ts';
import { renderFairShareSection } from './fair-share-panel.ts';
import { readFleetState, splitBucket, JOB_STATES, DEFAULT_SHARE_WINDOW_MINUTES, type FleetSnapshot, type FleetStateSources } from './fleet-state.ts';

/** `?minutes=N` (1-60), else the default window. */
function shareWindow(req: Request): number {
  const n = Number(req.query.minutes);
  return Number.isInteger(n) && n >= 1 && n <= MAX_WINDOW_MINUTES ? n : DEFAULT_SHARE_WINDOW_MINUTES;
}

export function governorRouter(src: FleetStateSources, boardPath: string): Router {
  const router = Router();
  router.get('/governor.json', async (req, res, next) => {
    try {
      res.json(await readFleetState(src, shareWindow(req)));
    } catch (err) {
      next(err);
    }
  });
  router.get('/governor', async (req, res, next) => {
    try {
      res.type('html').send(renderGovernorPage(await readFleetState(src, shareWindow(req)), boardPath));
    } catch (err) {
      next(err);
    }
  });
  return router;
}

export function renderGovernorPage(snap: FleetSnapshot, boardPath: string): string {
  const queueRows = snap.queues
    .map((q) => `<tr><th>${esc(q.name)}</th>${JOB_STATES.map((s) => `<td>${q.counts[s]}</td>`).join('')}</tr>`)
    .join('');
  const bucketRows = snap.buckets
    .map((b) => {
      const { kind, id } = splitBucket(b.bucket);
      const tokens = b.limits.map((l) => `${esc(l.name)} ${l.availableNow}/${l.limit} per ${formatWindow(l.windowMs)}`).join('<br>');
      const blocked = b.blockedUntilMs ? `${Math.ceil((b.blockedUntilMs - snap.atMs) / 1000)} s (until ${new Date(b.blockedUntilMs).toISOString()})` : '—';
      const daily = b.dailyLimit === null ? '—' : `${b.callsToday} / ${b.dailyLimit}`;
      return `<tr class="bucket" data-bucket="${esc(b.bucket)}"><td>${esc(kind)}</td><td><code>${esc(id)}</code></td><td>${tokens}</td><td>${blocked}</td><td>${daily}</td><td>${b.totalCalls}</td><td>${b.rateLimited429s}</td><td>${(b.totalWaitMs / 1000).toFixed(1)} s</td></tr>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>gong-fleet governor</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.bar{display:inline-block;height:10px;background:#4a7bd0}</style>
</head><body>
<h1>gong-fleet governor</h1>
<p><a href="${esc(boardPath)}">queues (Bull Board)</a> · <a href="governor.json">JSON</a> · <a href="metrics">metrics</a> · read at ${new Date(snap.atMs).toISOString()}</p>
<h2>Queues</h2>
<table id="queues"><tr><th>queue</th>${JOB_STATES.map((s) => `<th>${s}</th>`).join('')}</tr>${queueRows}</table>
<h2>Buckets</h2>
<table id="buckets"><tr><th>kind</th><th>id</th><th>available now</th><th>blocked for</th><th>calls today / daily budget</th><th>requests</th><th>429s</th><th>waited</th></tr>${bucketRows || '<tr><td colspan="8">no requests in the last two days</td></tr>'}</table>
${renderFairShareSection(snap.fair, esc)}
</body></html>`;
}

function formatWindow(ms: number): string {
  if (ms >= 86_400_000) return `${ms / 86_400_000} d`;
  if (ms >= 60_000) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
