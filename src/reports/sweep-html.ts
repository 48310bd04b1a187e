/**
 * The coaching sweep as one self-contained HTML page: inline CSS and SVG charts (calls hosted vs
 * listened to per rep, scorecards received, flags), no scripts and no network requests.
 */
import { esc, groupedBars } from './sweep-svg.ts';
import type { SweepReport } from './sweep-model.ts';

const HOSTED = { name: 'Calls hosted', color: '#2563eb' };
const LISTENED = { name: 'Listened to by manager', color: '#16a34a' };
const SCORECARDS = { name: 'Scorecards received', color: '#d97706' };
const FLAGGED = { name: 'Flagged reps', color: '#dc2626' };

const CSS = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:980px;color:#111;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}td.n{text-align:right}.flag{color:#b91c1c;font-weight:600}
.headline{font-size:16px;font-weight:600}.muted{color:#666}.charts{display:flex;flex-wrap:wrap;gap:12px}`;

export function renderSweepHtml(r: SweepReport): string {
  const b: string[] = [];
  b.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  b.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  b.push(`<title>Coaching sweep — ${esc(r.accountId)} — ${esc(r.window.to.slice(0, 10))}</title><style>${CSS}</style></head><body>`);
  b.push(`<h1>Coaching sweep — account ${esc(r.accountId)}</h1>`);
  b.push(`<p class="muted">Window ${esc(r.window.from)} to ${esc(r.window.to)} · generated ${esc(r.generatedAt)}</p>`);
  b.push(`<p class="headline" id="headline">${esc(r.headline)}</p>`);
  if (r.degradations?.length) b.push(`<ul id="degradations" class="muted">${r.degradations.map((d) => `<li>${esc(d.detail)}</li>`).join('')}</ul>`);
  b.push('<section id="overview"><h2>Overview</h2><div class="charts">');
  b.push(groupedBars('Flagged reps per manager', [FLAGGED], r.managers.map((m) => ({ label: m.manager.name, values: [m.totals.flaggedReps], highlight: m.totals.flaggedReps > 0 })), 'chart-flags'));
  b.push(groupedBars('Flags by kind', [FLAGGED], Object.entries(r.stats.flags).map(([k, n]) => ({ label: k.replace(/_/g, ' '), values: [n] })), 'chart-flag-kinds'));
  b.push('</div>');
  const flagged = r.managers.flatMap((m) => m.reps.filter((x) => x.flags.length > 0).map((x) => ({ m, x })));
  b.push(`<table id="flagged"><tr><th>Rep</th><th>Manager</th><th>Hosted</th><th>Listened</th><th>Scorecards</th><th>Flags</th></tr>`);
  for (const { m, x } of flagged) {
    b.push(`<tr data-user-id="${esc(x.userId)}"><td>${esc(x.name)}${x.isNewHire ? ' <span class="muted">(new hire)</span>' : ''}</td><td>${esc(m.manager.name)}</td>` +
      `<td class="n">${x.callsHosted}</td><td class="n">${x.callsListenedByManager}</td><td class="n">${x.scorecardsReceived}</td>` +
      `<td class="flag">${x.flags.map((f) => esc(f.detail)).join('<br>')}</td></tr>`);
  }
  b.push('</table></section>');
  for (const m of r.managers) {
    b.push(`<section class="manager" data-manager-id="${esc(m.manager.userId)}"><h2>${esc(m.manager.name)} <span class="muted">&lt;${esc(m.manager.email)}&gt;</span></h2>`);
    b.push(`<p>${m.reps.length} reps · ${m.totals.callsHosted} calls hosted · ${m.totals.callsListenedByManager} listened to · ${m.totals.scorecardsReceived} scorecards · ${m.totals.flaggedReps} flagged</p>`);
    if (m.narrative) {
      b.push(`<p>${esc(m.narrative.summary)}</p>`);
      if (m.narrative.concerns.length) b.push(`<p><b>Concerns</b></p><ul>${m.narrative.concerns.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`);
      if (m.narrative.recommendations.length) b.push(`<p><b>Recommendations</b></p><ul>${m.narrative.recommendations.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`);
    } else if (m.narrativeError) b.push(`<p class="muted">No narrative: ${esc(m.narrativeError)}</p>`);
    const rows = m.reps.map((x) => ({ label: x.name, highlight: x.flags.length > 0 }));
    b.push('<div class="charts">');
    b.push(groupedBars(`${m.manager.name}: calls hosted vs listened to`, [HOSTED, LISTENED], rows.map((row, i) => ({ ...row, values: [m.reps[i]!.callsHosted, m.reps[i]!.callsListenedByManager] })), 'chart-activity'));
    b.push(groupedBars(`${m.manager.name}: scorecards received`, [SCORECARDS], rows.map((row, i) => ({ ...row, values: [m.reps[i]!.scorecardsReceived] })), 'chart-scorecards'));
    b.push('</div></section>');
  }
  if (r.missing.length) b.push(`<h2>Missing managers</h2><ul>${r.missing.map((x) => `<li>${esc(x.name)}: ${esc(x.reason)}</li>`).join('')}</ul>`);
  b.push(`<p class="muted">${r.stats.upstreamRequests} upstream requests · ${r.stats.narrativesCached} narratives from cache · run ${esc(r.runId)}</p>`);
  b.push('</body></html>');
  return b.join('\n');
}
