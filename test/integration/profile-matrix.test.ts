/**
 * Issue 10's profile matrix: every workflow on every sandbox Truto profile (tool set, argument
 * style, answer shape, rate headers), in-process on the real sandbox over HTTP and a real Redis.
 * Each profile's reports must equal the full profile's except where the report itself says what
 * the account's tools could not give it, and no request may ever lose an argument.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';
import { runProfile, type ProfileRun } from '../helpers/profile-run.ts';

const PROFILES = [
  { label: 'full', truto: { profile: 'full' as const } },
  { label: 'full-no-rate-headers', truto: { profile: 'full' as const, rateHeaders: 'none' as const } },
  { label: 'seed', truto: { profile: 'seed' as const } },
  { label: 'seed-raw', truto: { profile: 'seed-raw' as const } },
  { label: 'seed-array', truto: { profile: 'seed-array' as const } },
];
const ONLY = process.env.MATRIX_PROFILES?.split(',');

describe('profile matrix: every workflow on every Truto profile', () => {
  const runs = new Map<string, ProfileRun>();
  const llmCachePrefix = uniquePrefix('mx-llm');

  beforeAll(async () => {
    for (const p of PROFILES.filter((x) => !ONLY || ONLY.includes(x.label))) {
      const run = await runProfile({ ...p, llmCachePrefix });
      runs.set(p.label, run);
      process.stderr.write(`matrix ${p.label}: summarize ${run.summarize.calls.length} calls, autopsy ${run.autopsy.calls.length} calls; upstream requests ${run.upstream.requests} ${JSON.stringify(run.upstream.byWorkflow)}; ${run.upstream.rateLimited} of them 429s; ${Math.round(run.wallMs / 1000)} s\n`);
    }
  }, 1_200_000);

  afterAll(async () => {
    const redis = testRedis();
    await deletePrefix(redis, llmCachePrefix);
    redis.disconnect();
  });

  const full = () => runs.get('full')!;
  const others = () => [...runs.values()];
  const codes = (r: { degradations?: { code: string }[] }) => (r.degradations ?? []).map((d) => d.code).sort();
  /** What each profile's reports say they lost; nothing for the full tool set. */
  const SEED_LOSSES = {
    summarize: ['speakers-unnamed'],
    autopsy: ['calls-tied-by-title', 'deal-from-tasks', 'speakers-unnamed'],
    sweep: ['workspace-from-calls'],
    crm: ['integration-unverified'],
  };
  const expectedLoss = (label: string, what: keyof typeof SEED_LOSSES) => (label.startsWith('seed') ? SEED_LOSSES[what] : []);

  it('never sends an argument the tool does not declare, on any profile', () => {
    for (const run of others()) expect(run.unknownArgs, run.label).toEqual({});
  });

  it('summarize covers every call on every profile; reports differ only where they say so', () => {
    const ids = full().summarize.calls.map((c) => c.callId).sort();
    expect(ids.length).toBeGreaterThanOrEqual(60);
    for (const run of others()) {
      const r = run.summarize;
      expect(r.calls.map((c) => c.callId).sort(), run.label).toEqual(ids);
      expect(r.stats.missing, run.label).toBe(0);
      expect(r.calls.every((c) => c.status === 'summarized' || c.status === 'cached'), run.label).toBe(true);
      expect(codes(r), run.label).toEqual(expectedLoss(run.label, 'summarize'));
      // Same losses → the same report: argument style and answer shape change nothing else.
      const twin = r.degradations?.length ? runs.get('seed') : full();
      if (twin) {
        expect(r.sections, run.label).toEqual(twin.summarize.sections);
        expect(r.headline, run.label).toBe(twin.summarize.headline);
      }
    }
  });

  it('autopsy finds every deal call and names the OPEN tasks on every profile', () => {
    const f = full().autopsy;
    const ids = f.calls.map((c) => c.callId).sort();
    expect(ids.length).toBeGreaterThan(5);
    const withoutTie = (d: typeof f.deal) => {
      const { tiedBy: _tiedBy, ...rest } = d ?? { name: '' };
      return rest;
    };
    const taskIds = (r: typeof f, k: 'open' | 'done' | 'dismissed') => (r.tasks?.[k] ?? []).map((t) => t.id).sort();
    for (const run of others()) {
      const r = run.autopsy;
      expect(r.calls.map((c) => c.callId).sort(), run.label).toEqual(ids);
      expect(r.stats.missing, run.label).toBe(0);
      // The same deal, however its calls were tied (the report says how).
      expect(withoutTie(r.deal), run.label).toEqual(withoutTie(f.deal));
      expect(r.deal?.tiedBy, run.label).toBe(run.label.startsWith('seed') ? 'title' : 'crm-context');
      expect(taskIds(r, 'open'), run.label).toEqual(run.truth.globexOpenTasks);
      expect(r.tasks!.open.map((t) => t.title), run.label).toContain('Send security whitepaper');
      expect(taskIds(r, 'done'), run.label).toEqual(taskIds(f, 'done'));
      expect(taskIds(r, 'dismissed'), run.label).toEqual(taskIds(f, 'dismissed'));
      expect(r.brief, run.label).toEqual(f.brief);
      expect(codes(r), run.label).toEqual(expectedLoss(run.label, 'autopsy'));
    }
    expect(f.deal).toMatchObject({ accountName: 'Globex Corporation', stage: 'Technical Validation' });
    expect(f.deal?.crmId).toMatch(/\S/);
  });

  it('sweep computes every number and flag of the ground truth on every profile', () => {
    for (const run of others()) {
      const reps = new Map(run.sweep.managers.flatMap((m) => m.reps.map((r) => [r.userId, r])));
      expect(run.sweep.managers, run.label).toHaveLength(20);
      expect(run.sweep.missing, run.label).toEqual([]);
      for (const t of run.truth.coaching) {
        const r = reps.get(t.userId);
        expect(r, `${run.label} ${t.userId}`).toBeDefined();
        expect([r!.callsHosted, r!.callsListenedByManager, r!.scorecardsReceived, r!.isNewHire, r!.flags.map((x) => x.code).sort()], run.label).toEqual([
          t.callsHosted, t.callsListenedByManager, t.scorecardsReceived, t.isNewHire,
          [...(t.flagNeglectedNewHire ? ['neglected_new_hire'] : []), ...(t.flagNoScorecards ? ['no_scorecards'] : [])].sort(),
        ]);
      }
      expect(run.sweep.stats.flags, run.label).toEqual(full().sweep.stats.flags);
      expect(codes(run.sweep), run.label).toEqual(expectedLoss(run.label, 'sweep'));
    }
  });

  it('crm-sync reaches DONE after polling on every profile', () => {
    for (const run of others()) {
      expect(run.crm, run.label).toMatchObject({ phase: 'DONE', gongStatus: 'DONE', totalSuccessCount: 2, totalErrorCount: 0 });
      expect(run.crm.polls, run.label).toBeGreaterThanOrEqual(1);
      expect(codes(run.crm), run.label).toEqual(expectedLoss(run.label, 'crm'));
    }
  });

  it('tasks set writes once, and not again on repeat, on every profile', () => {
    for (const run of others()) {
      expect(run.tasks, run.label).toMatchObject({ written: true, repeatNeeded: false, audited: 1 });
      // One PATCH, plus one re-sent for each 429 that refused it (a refused request writes nothing).
      expect(run.tasks.patches, run.label).toBeGreaterThanOrEqual(1);
      expect(run.tasks.patches, run.label).toBeLessThanOrEqual(1 + run.tasks.rateLimited);
    }
  });

  it("ask answers the deal-brief question from Gong's brief on every profile (tools as each profile lists them)", () => {
    for (const run of others()) {
      const r = run.ask;
      expect(r.status, `${run.label}: ${r.answer ?? ''}`).toBe('answered');
      expect(r.steps.filter((x) => x.status !== 'ok'), run.label).toEqual([]);
      expect(r.steps.map((x) => x.tool), run.label).toContain('list_all_gong_entities_get_briefs');
      expect(run.truth.acmeBrief.steps.length, run.label).toBeGreaterThan(0);
      for (const step of run.truth.acmeBrief.steps) expect(r.answer, run.label).toContain(step);
      for (const title of run.truth.acmeBrief.openTasks) expect(r.answer, run.label).toContain(title);
      expect(r.citations.filter((c) => !c.known), run.label).toEqual([]);
    }
  });

  it('doctor: every listed capability answers, and summarize can run on every profile', () => {
    for (const run of others()) {
      const d = run.doctor;
      expect(d.summarizeCanRun, run.label).toBe(true);
      expect(d.checks.filter((c) => c.status === 'failed' || c.status === 'forbidden' || c.status === 'unusable'), run.label).toEqual([]);
      const verdicts = Object.fromEntries(d.workflows.map((w) => [w.workflow, w.verdict]));
      if (run.label.startsWith('seed')) {
        expect(verdicts, run.label).toEqual({ summarize: 'degraded', autopsy: 'degraded', sweep: 'degraded', 'crm-sync': 'degraded', tasks: 'full', ask: 'degraded' });
        expect(d.checks.find((c) => c.id === 'call-details'), run.label).toMatchObject({ status: 'absent', likelyScope: 'api:calls:read:extensive' });
      } else {
        expect(new Set(Object.values(verdicts)), run.label).toEqual(new Set(['full']));
      }
    }
  });
});
