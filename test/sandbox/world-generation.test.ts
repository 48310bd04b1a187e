import { describe, expect, it } from 'vitest';
import { createWorld, FILLER_FORBIDDEN_RE, GLOBEX } from '../../src/sandbox/gong/index.ts';
import * as bank from '../../src/sandbox/world/transcript-bank.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;

function snapshot(seed: number) {
  const w = createWorld({ seed, now: NOW });
  return JSON.stringify(w.accounts.map((a) => {
    const d = w.account(a.id)!;
    return { info: a, users: d.users, calls: d.calls, deals: d.deals, tasks: d.tasks, scorecards: d.scorecards };
  }));
}

describe('world generation', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(snapshot(42)).toBe(snapshot(42));
    expect(snapshot(7)).not.toBe(snapshot(42));
    const a = createWorld({ now: NOW });
    const b = createWorld({ now: NOW });
    const callId = a.account(a.accountIdOf('deals'))!.calls[5]!.id;
    expect(JSON.stringify(a.transcript(callId))).toBe(JSON.stringify(b.transcript(callId)));
  });

  it('has the three standard accounts plus extras, with the documented shapes', () => {
    const w = createWorld({ now: NOW, extraAccounts: 2 });
    expect(w.accounts.map((a) => a.companyName)).toEqual(['Northwind Software', 'Pinnacle Cloud', 'Contoso Analytics', 'Benchmark Co 01', 'Benchmark Co 02']);
    expect(new Set(w.accounts.map((a) => a.id)).size).toBe(5);
    for (const a of w.accounts) expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const deals = w.account(w.accountIdOf('deals'))!;
    expect(deals.users.filter((u) => u.role === 'seller')).toHaveLength(12);
    expect(deals.users.filter((u) => u.role === 'manager')).toHaveLength(2);
    const recent = deals.calls.filter((c) => c.startedMs >= NOW.getTime() - 30 * DAY && c.startedMs < NOW.getTime());
    expect(recent.length).toBeGreaterThanOrEqual(64);
    const globex = w.findDeal(deals.info.id, GLOBEX)!;
    const globexRecent = recent.filter((c) => c.dealCrmId === globex.crmId).length;
    expect(globexRecent).toBeGreaterThanOrEqual(12);
    expect(globexRecent).toBeLessThanOrEqual(15);
    expect(deals.calls.some((c) => c.dealCrmId === globex.crmId && c.startedMs < NOW.getTime() - 30 * DAY)).toBe(true);
    expect(deals.tasks.find((t) => t.title === 'Send security whitepaper' && t.dealCrmId === globex.crmId)?.status).toBe('OPEN');
    const coaching = w.account(w.accountIdOf('coaching'))!;
    expect(coaching.users.filter((u) => u.role === 'manager')).toHaveLength(20);
    expect(coaching.users.filter((u) => u.role === 'seller')).toHaveLength(200);
    for (const extra of w.accounts.slice(3)) expect(w.account(extra.id)!.calls).toHaveLength(20);
    const restricted = w.accounts[2]!;
    expect(restricted.scopes).not.toContain('api:calls:read:transcript');
    expect(restricted.scopes).not.toContain('api:tasks:write');
    expect(restricted.scopes).toContain('api:calls:read:basic');
    // Every numeric id must survive a round trip through a JSON number.
    for (const c of coaching.calls) expect(Number.isSafeInteger(Number(c.id))).toBe(true);
  });

  it('addCalls appends recent calls without changing existing ones', () => {
    const w = createWorld({ now: NOW });
    const id = w.accountIdOf('deals');
    const before = JSON.stringify(w.account(id)!.calls);
    const firstTranscript = JSON.stringify(w.transcript(w.account(id)!.calls[0]!.id));
    const added = w.addCalls(id, 5);
    expect(added).toHaveLength(5);
    const calls = w.account(id)!.calls;
    expect(JSON.stringify(calls.slice(0, calls.length - 5))).toBe(before);
    expect(JSON.stringify(w.transcript(calls[0]!.id))).toBe(firstTranscript);
    for (const callId of added) {
      const call = w.findCall(callId)!.call;
      expect(call.startedMs).toBeLessThan(NOW.getTime());
      expect(call.startedMs).toBeGreaterThan(NOW.getTime() - 4 * DAY);
      expect(w.transcript(callId)!.length).toBeGreaterThan(10);
    }
    // Same additions on a fresh world give the same ids.
    const w2 = createWorld({ now: NOW });
    expect(w2.addCalls(id, 5)).toEqual(added);
  });

  it('generates hour-long transcripts of 8-10k words quickly', () => {
    const w = createWorld({ now: NOW });
    const call = w.account(w.accountIdOf('deals'))!.calls[0]!;
    expect(call.durationSec).toBe(3600);
    const t0 = performance.now();
    const transcript = w.transcript(call.id)!;
    const ms = performance.now() - t0;
    const words = transcript.flatMap((m) => m.sentences).reduce((n, s) => n + s.text.split(/\s+/).length, 0);
    console.log(`hour-long transcript: ${words} words, ${transcript.length} monologues, generated in ${ms.toFixed(1)} ms`);
    expect(words).toBeGreaterThanOrEqual(8000);
    expect(words).toBeLessThanOrEqual(10000);
    expect(ms).toBeLessThan(1000);
    const speakerIds = new Set(w.callParties(call.id).map((p) => p.speakerId));
    let last = -1;
    for (const m of transcript) {
      expect(speakerIds.has(m.speakerId)).toBe(true);
      for (const s of m.sentences) {
        expect(s.start).toBeGreaterThan(last);
        expect(s.end).toBeGreaterThan(s.start);
        last = s.end;
      }
    }
    expect(last).toBeLessThanOrEqual(call.durationSec * 1000);
  });

  it('plants facts verbatim with cue words, and filler never contains cue words', () => {
    const fillerBanks = [bank.OPENERS_REP, bank.OPENERS_PROSPECT, bank.DISCOVERY_REP, bank.DISCOVERY_PROSPECT, bank.DEMO_REP, bank.DEMO_PROSPECT, bank.ACKS, bank.WRAPUP, bank.PREFIXES, bank.TOOLS, bank.WEEKDAYS];
    for (const s of fillerBanks.flat()) expect(s, s).not.toMatch(FILLER_FORBIDDEN_RE);
    for (const byTheme of Object.values(bank.PLANTED)) {
      for (const s of Object.values(byTheme).flat()) expect(s, s).toMatch(FILLER_FORBIDDEN_RE);
    }
    const w = createWorld({ now: NOW });
    const deals = w.account(w.accountIdOf('deals'))!;
    let plantedTotal = 0;
    for (const call of deals.calls.slice(0, 30)) {
      const facts = w.plantedFacts(call.id);
      plantedTotal += facts.length;
      const sentences = w.transcript(call.id)!.flatMap((m) => m.sentences.map((s) => ({ ...s, speakerId: m.speakerId })));
      const factTexts = new Set(facts.map((f) => f.text));
      for (const f of facts) {
        const hit = sentences.find((s) => s.text === f.text && s.start === f.startMs);
        expect(hit?.speakerId).toBe(f.speakerId);
      }
      // Only planted sentences carry cue words (filled slots included).
      for (const s of sentences) if (!factTexts.has(s.text)) expect(s.text, s.text).not.toMatch(FILLER_FORBIDDEN_RE);
    }
    expect(plantedTotal).toBeGreaterThan(30);
    // Globex: a security objection about two weeks ago, with the whitepaper promised.
    const globex = w.findDeal(deals.info.id, GLOBEX)!;
    const twoWeeks = deals.calls.filter((c) => c.dealCrmId === globex.crmId && Math.abs(c.startedMs - (NOW.getTime() - 14 * DAY)) < 3 * DAY);
    const facts = twoWeeks.flatMap((c) => w.plantedFacts(c.id));
    expect(facts.some((f) => f.category === 'security')).toBe(true);
    expect(facts.some((f) => f.category === 'next_step' && /whitepaper/.test(f.text))).toBe(true);
  });

  it('plants flaggable reps in the coaching account', () => {
    const w = createWorld({ now: NOW });
    const truth = w.coachingTruth(w.accountIdOf('coaching'));
    expect(truth).toHaveLength(200);
    const neglected = truth.filter((t) => t.flagNeglectedNewHire);
    const noScorecards = truth.filter((t) => t.flagNoScorecards);
    expect(neglected.length).toBeGreaterThanOrEqual(5);
    expect(noScorecards.length).toBeGreaterThanOrEqual(5);
    // Both sides of each threshold are present, so a sweep has to actually compare.
    expect(truth.some((t) => t.isNewHire && t.callsListenedByManager >= 5)).toBe(true);
    expect(truth.some((t) => t.callsHosted >= 20 && t.scorecardsReceived > 0)).toBe(true);
    for (const t of truth) {
      expect(t.callsListenedByManager).toBeLessThanOrEqual(t.callsHosted);
      expect(t.scorecardsReceived).toBeLessThanOrEqual(t.callsHosted);
    }
    const coaching = w.account(w.accountIdOf('coaching'))!;
    const mike = coaching.users.find((u) => u.firstName === 'Mike' && u.role === 'manager')!;
    expect(neglected.filter((t) => t.managerId === mike.id).length).toBeGreaterThanOrEqual(2);
  });
});
