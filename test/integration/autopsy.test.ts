/**
 * The flagship succeeds: `gong-fleet autopsy --account <deals> --deal "Globex Corporation"
 * --local-worker` through the real bin, against the real sandbox over HTTP and a real Redis. The
 * report is checked against the sandbox world's own data for the deal: every call of the deal in
 * the window and no other, the reps' Engage tasks by status (the OPEN whitepaper task named), Gong's
 * AI brief as Gong gave it, and citations whose quotes are transcript sentences of the cited call
 * at the cited time. Nothing here compares text the sandbox's model wrote.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/reports/model.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli, type CliResult } from '../helpers/processes.ts';

const DAY_MS = 86_400_000;
const DEAL = 'Globex Corporation';

/** HH:MM:SS of a sentence that starts `ms` into the call (whole seconds, like Gong's player). */
const hms = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
};

describe('autopsy of "Globex Corporation" end to end', () => {
  let fleet: TestFleet;
  let out: string;
  let cli: CliResult;
  let printed: { plan: { calls: number; kind: string }; report: { markdown: string; json: string }; stats: RunReport['stats'] };
  let report: RunReport;
  let markdown: string;

  const world = () => fleet.sandbox.world;
  const account = () => world().account(fleet.accountId)!;
  const deal = () => world().findDeal(fleet.accountId, DEAL)!;
  /** The sandbox's own list of the deal's calls in the autopsy's 30-day window. */
  const dealCalls = () => account().calls.filter((c) => c.dealCrmId === deal().crmId && c.startedMs >= world().now.getTime() - 30 * DAY_MS);

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'autopsy' });
    out = mkdtempSync(join(tmpdir(), 'gf-autopsy-'));
    cli = await runCli(['autopsy', '--account', fleet.accountId, '--deal', DEAL, '--local-worker', '--json', '--out', out], fleet.env, 170_000);
    if (cli.code !== 0) throw new Error(`autopsy exited ${cli.code}: ${cli.stderr}`);
    printed = JSON.parse(cli.stdout) as typeof printed;
    report = JSON.parse(readFileSync(printed.report.json, 'utf8')) as RunReport;
    markdown = readFileSync(printed.report.markdown, 'utf8');
  }, 180_000);

  afterAll(async () => {
    if (out) rmSync(out, { recursive: true, force: true });
    await fleet?.close();
  });

  it('finds the deal the sandbox holds under that name', () => {
    const d = deal();
    expect(report.kind).toBe('autopsy');
    expect(report.deal).toMatchObject({ crmId: d.crmId, name: d.name, accountName: DEAL, stage: d.stage });
    expect(printed.plan).toMatchObject({ kind: 'autopsy', calls: dealCalls().length });
  });

  it("covers every one of the deal's calls in the window, and no other call", () => {
    const expected = dealCalls().map((c) => c.id).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(report.calls.map((c) => c.callId).sort()).toEqual(expected);
    expect(report.calls.every((c) => c.status === 'summarized')).toBe(true);
    expect(report.stats).toMatchObject({ callsConsidered: expected.length, summarized: expected.length, missing: 0 });
    for (const c of report.calls) {
      const w = account().calls.find((x) => x.id === c.callId)!;
      expect(c.title).toBe(w.title);
      expect(Date.parse(c.started)).toBe(Math.floor(w.startedMs / 1000) * 1000);
      expect(markdown).toContain(`\`${c.callId}\``); // the appendix lists it
    }
  });

  it("lists the reps' Engage tasks for the deal by status, naming the OPEN whitepaper task", () => {
    const tasks = account().tasks.filter((t) => t.dealCrmId === deal().crmId);
    const ids = (status: string) => tasks.filter((t) => t.status === status).map((t) => t.id).sort();
    expect(report.tasks?.open.map((t) => t.id).sort()).toEqual(ids('OPEN'));
    expect(report.tasks?.done.map((t) => t.id).sort()).toEqual(ids('DONE'));
    expect(report.tasks?.dismissed.map((t) => t.id).sort()).toEqual(ids('DISMISSED'));
    expect(ids('OPEN').length).toBeGreaterThan(0);
    expect(ids('DONE').length).toBeGreaterThan(0);
    const whitepaper = tasks.find((t) => t.title === 'Send security whitepaper')!;
    expect(whitepaper.status).toBe('OPEN');
    expect(report.tasks?.open.find((t) => t.id === whitepaper.id)?.title).toBe('Send security whitepaper');
    expect(markdown).toMatch(/still OPEN: \*\*Send security whitepaper\*\*/);
    expect(markdown).toMatch(/DONE: \*\*Book technical deep dive\*\*/);
  });

  it("carries Gong's AI brief for the deal, built from the deal's own calls", () => {
    expect(report.brief?.status).toBe('available');
    const sections = report.brief!.sections;
    expect(sections.length).toBeGreaterThan(0);
    // Every line of the sandbox's brief quotes a fact planted in one of this deal's calls.
    const planted = new Set(dealCalls().flatMap((c) => world().plantedFacts(c.id).map((f) => f.text)));
    const quoted = sections.flatMap((s) => s.summary).map((line) => /^Raised on a call: "(.*)"$/.exec(line)?.[1]).filter((q): q is string => !!q);
    expect(quoted.length).toBeGreaterThan(0);
    for (const q of quoted) expect(planted.has(q), q).toBe(true);
    expect(markdown).toContain("## Gong's AI brief");
  });

  it('cites only sentences that exist in the cited call’s transcript, at the cited time', () => {
    const citations = Object.values(report.sections).flatMap((points) => points.flatMap((p) => p.citations));
    expect(citations.length).toBeGreaterThan(0);
    const ids = new Set(dealCalls().map((c) => c.id));
    for (const c of citations) {
      expect(ids.has(c.callId), `cited call ${c.callId} is not a call of the deal`).toBe(true);
      const sentences = world().transcript(c.callId)!.flatMap((m) => m.sentences);
      const at = sentences.filter((s) => s.text.replace(/\s+/g, ' ').trim() === c.quote);
      expect(at.length, `quote not in call ${c.callId}: ${c.quote}`).toBeGreaterThan(0);
      expect(at.map((s) => hms(s.start)), `timestamp of "${c.quote}"`).toContain(c.timestamp);
      const seconds = c.timestamp.split(':').map(Number).reduce((n, x) => n * 60 + x, 0);
      expect(c.link).toMatch(new RegExp(`[?&]t=${seconds}$`));
      expect(c.title).toBe(account().calls.find((x) => x.id === c.callId)!.title);
    }
    expect(report.stats.droppedCitations).toBe(0);
  });

  it('printed the plan before running, and never the model key', () => {
    expect(cli.stderr).toMatch(/plan r-[0-9a-f]+-\w+: autopsy of Globex Corporation/);
    expect(cli.stderr).toMatch(new RegExp(`calls found: ${dealCalls().length} `));
    expect(cli.stdout + cli.stderr).not.toContain(fleet.env.OPENAI_API_KEY);
  });
});
