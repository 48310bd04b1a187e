/** Writes a sweep report as Markdown, JSON and HTML; returns the three paths. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderSweepHtml } from './sweep-html.ts';
import { renderSweepMarkdown } from './sweep-markdown.ts';
import type { SweepReport } from './sweep-model.ts';

export interface SweepPaths {
  markdown: string;
  json: string;
  html: string;
}

/** `sweep-<account>-<YYYY-MM-DD>`: dated, so a scheduled run can tell whether a day already has one. */
export function sweepBaseName(accountId: string, day: string): string {
  return `sweep-${accountId.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60)}-${day}`;
}

export function sweepPaths(dir: string, base: string): SweepPaths {
  const stem = join(resolve(dir), base);
  return { markdown: `${stem}.md`, json: `${stem}.json`, html: `${stem}.html` };
}

export async function writeSweepReport(r: SweepReport, dir: string, base = `${sweepBaseName(r.accountId, r.generatedAt.slice(0, 10))}-${r.runId.slice(-8)}`): Promise<SweepPaths> {
  await mkdir(resolve(dir), { recursive: true });
  const paths = sweepPaths(dir, base);
  // JSON last: a scheduled run treats the JSON as "this day has a report".
  await writeFile(paths.markdown, renderSweepMarkdown(r));
  await writeFile(paths.html, renderSweepHtml(r));
  await writeFile(paths.json, `${JSON.stringify(r, null, 2)}\n`);
  return paths;
}
