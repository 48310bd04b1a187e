/** Writes an `ask` report as Markdown and JSON (`ask-<runId>.md/.json`) into a directory. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderAskMarkdown } from './ask-markdown.ts';
import type { AskReport } from './ask-model.ts';

export async function writeAskReport(r: AskReport, dir: string): Promise<{ markdown: string; json: string }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const base = join(out, r.runId);
  const markdown = `${base}.md`;
  const json = `${base}.json`;
  await writeFile(markdown, renderAskMarkdown(r));
  await writeFile(json, `${JSON.stringify(r, null, 2)}\n`);
  return { markdown, json };
}
