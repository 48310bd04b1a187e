/**
 * Reading the fleet's built-in reports (`summarize_calls`, `deal_autopsy`): the `DealReport` shape
 * (`headline` plus `objections`/`risks`/`competitors`/`pricing`/`nextSteps` points with
 * citations) at the top level or under `sections` (the fleet's full run report), plus the
 * autopsy's `deal`, `tasks` (OPEN/DONE/DISMISSED) and `brief`.
 */
import { cite, clockToMs, evidence, plural } from '../format.ts';
import { isRecord } from '../protocol.ts';
import { collect, idOf, list, num, str, type Row } from '../records.ts';
import type { View } from '../replay.ts';

export const SECTIONS = [
  ['objections', 'Objections'],
  ['risks', 'Risks'],
  ['competitors', 'Competitors'],
  ['pricing', 'Pricing'],
  ['nextSteps', 'Next steps'],
] as const;
export type SectionName = (typeof SECTIONS)[number][0];

export interface Citation {
  callId: string;
  timestamp: string;
  quote: string;
  speaker?: string;
}

export interface Point {
  point: string;
  citations: Citation[];
}

export interface ReportTask {
  id: string;
  title: string;
  status: string;
  dueDate: string;
}

const isReport = (r: Row): boolean => typeof r['headline'] === 'string' || isRecord(r['sections']) || Array.isArray(r['objections']);

export function reportOf(data: unknown): Row {
  return collect(data, isReport)[0] ?? {};
}

export function reportPoints(data: unknown, section: SectionName): Point[] {
  const report = reportOf(data);
  const source = isRecord(report['sections']) ? report['sections'] : report;
  return list(source[section]).filter(isRecord).map((p) => ({
    point: str(p['point']),
    citations: list(p['citations']).filter(isRecord).map((c) => ({
      callId: idOf(c['callId']),
      timestamp: str(c['timestamp']),
      quote: str(c['quote']),
      ...(str(c['speaker']) ? { speaker: str(c['speaker']) } : {}),
    })),
  }));
}

/** The autopsy's tasks, by status (from `{open, done, dismissed}` lists or one list with statuses). */
export function reportTasks(data: unknown): Record<'OPEN' | 'DONE' | 'DISMISSED', ReportTask[]> {
  const report = reportOf(data);
  const raw = report['tasks'];
  const out: Record<'OPEN' | 'DONE' | 'DISMISSED', ReportTask[]> = { OPEN: [], DONE: [], DISMISSED: [] };
  const add = (t: unknown, fallback?: keyof typeof out): void => {
    if (!isRecord(t)) return;
    const status = (str(t['status']).toUpperCase() || fallback) as keyof typeof out;
    if (!(status in out)) return;
    out[status].push({ id: idOf(t['id']), title: str(t['title']) || '(untitled task)', status, dueDate: str(t['dueDate']).slice(0, 10) });
  };
  if (Array.isArray(raw)) raw.forEach((t) => add(t));
  else if (isRecord(raw)) {
    list(raw['open']).forEach((t) => add(t, 'OPEN'));
    list(raw['done']).forEach((t) => add(t, 'DONE'));
    list(raw['dismissed']).forEach((t) => add(t, 'DISMISSED'));
  }
  return out;
}

/** Markdown for the report's sections, every quote with its `[ref:callId@mm:ss]`. */
export function renderSections(view: View, maxPoints = 5): string[] {
  const lines: string[] = [];
  for (const [key, title] of SECTIONS) {
    const points = reportPoints(view.data, key).slice(0, maxPoints);
    if (points.length === 0) continue;
    lines.push('', `**${title}**`);
    for (const p of points) {
      const quotes = p.citations.slice(0, 2).map((c) => `"${c.quote}" ${evidence(view.ref, c.callId, clockToMs(c.timestamp))}`);
      lines.push(`- ${p.point}${quotes.length > 0 ? ` ${quotes.join('; ')}` : ` ${cite(view)}`}`);
    }
  }
  return lines;
}

/** How many calls the report covered, when it says. */
export function reportCallCount(data: unknown): number | undefined {
  const report = reportOf(data);
  if (Array.isArray(report['calls'])) return report['calls'].length;
  const stats = isRecord(report['stats']) ? report['stats'] : {};
  if (typeof stats['callsConsidered'] === 'number') return num(stats['callsConsidered']);
  return undefined;
}

export function callsPhrase(n: number | undefined): string {
  return n === undefined ? '' : ` across ${plural(n, 'call')}`;
}
