/**
 * What the sandbox's world says the answers to the seed prompts must contain, computed from the
 * world directly (the model only ever sees tool results), for the prompt tests of every profile.
 */
import { ACME, GLOBEX } from '../../src/sandbox/gong/index.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';

export const DAY = 86_400_000;
export const today = (): number => Math.floor(Date.now() / DAY) * DAY;
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const mmss = (ms: number): string => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
export const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** John Doe's calls hosted and own-call listens over whole days `[fromMs, lastDayMs]`. */
export function johnDoeActivity(sb: Sandbox, fromMs: number, lastDayMs: number): { hosted: number; own: number } {
  const account = sb.world.account(sb.world.accountIdOf('coaching'))!;
  const john = account.users.find((u) => u.firstName === 'John' && u.lastName === 'Doe')!;
  const inRange = (ms: number): boolean => ms >= fromMs && ms < lastDayMs + DAY;
  return {
    hosted: account.calls.filter((c) => c.primaryUserId === john.id && inRange(c.startedMs)).length,
    own: new Set(account.coachingEvents.filter((e) => e.kind === 'self_listen' && e.reviewerUserId === john.id && inRange(e.atMs)).map((e) => e.callId)).size,
  };
}

/** The next steps Gong's brief of the Acme deal lists (last 90 days, newest call first, at most 5). */
export function acmeBriefSteps(sb: Sandbox): { steps: string[]; calls: number } {
  const dealsId = sb.world.accountIdOf('deals');
  const acme = sb.world.findDeal(dealsId, ACME)!;
  const nowMs = sb.world.now.getTime();
  const calls = sb.world.account(dealsId)!.calls
    .filter((c) => c.dealCrmId === acme.crmId && c.startedMs >= nowMs - 90 * DAY && c.startedMs < nowMs)
    .sort((a, b) => b.startedMs - a.startedMs);
  const steps = [...new Set(calls.flatMap((c) => sb.world.plantedFacts(c.id).filter((f) => f.category === 'next_step').map((f) => f.text)))].slice(0, 5);
  return { steps, calls: calls.length };
}

/** An Acme call whose customer objected to the implementation timeline. */
export function implementationObjection(sb: Sandbox): { callId: string; text: string; startMs: number; speaker: string } {
  const dealsId = sb.world.accountIdOf('deals');
  const acme = sb.world.findDeal(dealsId, ACME)!;
  for (const c of sb.world.account(dealsId)!.calls.filter((x) => x.dealCrmId === acme.crmId)) {
    const fact = sb.world.plantedFacts(c.id).find((f) => f.category === 'objection' && /implementation/.test(f.text));
    if (fact) return { callId: c.id, text: fact.text, startMs: fact.startMs, speaker: sb.world.callParties(c.id).find((p) => p.speakerId === fact.speakerId)!.name };
  }
  throw new Error('no Acme call with an implementation objection');
}

export interface ScorecardTrend {
  name: string;
  count: number;
  first: number;
  last: number;
  trend: 'improving' | 'declining' | 'flat' | 'n/a';
}

/** Per rep of Sarah Smith, her 'Pricing Discovery' scorecards in the latest Q3, and her listens. */
export function sarahQ3(sb: Sandbox): { year: number; reps: ScorecardTrend[]; listened: number } {
  const account = sb.world.account(sb.world.accountIdOf('coaching'))!;
  const sarah = account.users.find((u) => u.firstName === 'Sarah' && u.lastName === 'Smith')!;
  const reps = account.users.filter((u) => u.managerId === sarah.id);
  const now = new Date(today());
  const year = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const from = Date.UTC(year, 6, 1);
  const to = Math.min(Date.UTC(year, 9, 1), today() + DAY);
  const started = new Map(account.calls.map((c) => [c.id, c.startedMs]));
  const inQ = (callId: string): boolean => started.get(callId)! >= from && started.get(callId)! < to;
  const mean = (scores: number[]): number => scores.reduce((a, b) => a + b, 0) / scores.length;
  return {
    year,
    reps: reps.map((r) => {
      const cards = account.scorecards
        .filter((s) => s.scorecardName === 'Pricing Discovery' && s.reviewedUserId === r.id && inQ(s.callId))
        .sort((a, b) => started.get(a.callId)! - started.get(b.callId)!);
      const first = cards[0] ? mean(cards[0].scores) : NaN;
      const last = cards.at(-1) ? mean(cards.at(-1)!.scores) : NaN;
      const trend = cards.length < 2 ? 'n/a' : last > first ? 'improving' : last < first ? 'declining' : 'flat';
      return { name: `${r.firstName} ${r.lastName}`, count: cards.length, first, last, trend };
    }),
    listened: reps.reduce((n, r) => n + new Set(account.coachingEvents.filter((e) => e.kind === 'listen' && e.reviewerUserId === sarah.id && e.reviewedUserId === r.id && inQ(e.callId)).map((e) => e.callId)).size, 0),
  };
}

export function trendRow(e: ScorecardTrend): string {
  const fmt = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(2));
  return `| ${e.name} | ${e.count} | ${fmt(e.first)} | ${fmt(e.last)} | ${e.trend} |`;
}

export function trendVerdict(reps: readonly ScorecardTrend[]): string {
  const scored = reps.filter((e) => e.count >= 2);
  return `**${scored.filter((e) => e.trend === 'improving').length} of ${scored.length} reps improved**`;
}

export interface MikeRep {
  name: string;
  isNew: boolean;
  hosted: number;
  listened: number;
  cards: number;
}

/** Mike Brennan's reps over the 30 whole days before today. */
export function mikeTeam(sb: Sandbox): MikeRep[] {
  const account = sb.world.account(sb.world.accountIdOf('coaching'))!;
  const mike = account.users.find((u) => u.firstName === 'Mike' && u.lastName === 'Brennan')!;
  const from = today() - 30 * DAY;
  const inWindow = (ms: number): boolean => ms >= from && ms < today();
  return account.users.filter((u) => u.managerId === mike.id).map((u) => {
    const ids = new Set(account.calls.filter((c) => c.primaryUserId === u.id && inWindow(c.startedMs)).map((c) => c.id));
    return {
      name: `${u.firstName} ${u.lastName}`,
      isNew: u.createdMs >= from,
      hosted: ids.size,
      listened: new Set(account.coachingEvents.filter((e) => e.kind === 'listen' && e.reviewerUserId === mike.id && ids.has(e.callId)).map((e) => e.callId)).size,
      // Gong's activity counters count a scorecard when it was filled in, not when the call was.
      cards: account.coachingEvents.filter((e) => e.kind === 'scorecard' && e.reviewedUserId === u.id && inWindow(e.atMs)).length,
    };
  });
}

export function mikeVerdict(reps: readonly MikeRep[]): { line: string; flagged: MikeRep[] } {
  const newReps = reps.filter((r) => r.isNew);
  const flagged = newReps.filter((r) => r.listened < 5);
  return { line: `**Yes: ${flagged.length} of ${newReps.length} new reps had fewer than 5 calls listened to by Mike:**`, flagged };
}

export function mikeRow(r: MikeRep): RegExp {
  return new RegExp(`\\| ${esc(r.name)} \\| ${r.isNew ? 'yes' : 'no'} \\| [\\d-]+ \\| ${r.hosted} \\| ${r.listened} \\| ${r.cards} \\|`);
}

/** The Globex deal's tasks by status and its calls of the last 30 days. */
export function globexFacts(sb: Sandbox): { counts: string; calls: number; security: Array<{ callId: string; text: string; startMs: number }> } {
  const dealsId = sb.world.accountIdOf('deals');
  const account = sb.world.account(dealsId)!;
  const globex = sb.world.findDeal(dealsId, GLOBEX)!;
  const tasks = account.tasks.filter((t) => t.dealCrmId === globex.crmId);
  const count = (s: string): number => tasks.filter((t) => t.status === s).length;
  const calls = account.calls.filter((c) => c.dealCrmId === globex.crmId && c.startedMs >= sb.world.now.getTime() - 30 * DAY);
  return {
    counts: `${count('OPEN')} OPEN, ${count('DONE')} DONE, ${count('DISMISSED')} DISMISSED`,
    calls: calls.length,
    security: calls.flatMap((c) => sb.world.plantedFacts(c.id).filter((f) => f.category === 'security').map((f) => ({ callId: c.id, text: f.text, startMs: f.startMs }))),
  };
}
