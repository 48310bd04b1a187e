/** Writes a report as Markdown and JSON into a directory; returns both paths. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderMarkdown } from './markdown.ts';
import type { RunReport } from './model.ts';

export function reportBaseName(r: RunReport): string {
  const slug = r.subject.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'report';
  return `${r.kind}-${slug}-${r.generatedAt.slice(0, 10)}-${r.runId.slice(-8)}`;
}

export async function writeReport(r: RunReport, dir: string): Promise<{ markdown: string; json: string }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const base = join(out, reportBaseName(r));
  const markdown = `${base}.md`;
  const json = `${base}.json`;
  await writeFile(markdown, renderMarkdown(r));
  await writeFile(json, `${JSON.stringify(r, null, 2)}\n`);
  return { markdown, json };
}
