/**
 * Pure pieces of the sweep: window splitting for Gong's day-only stats, a team's numbers and flags
 * (joined per rep from roster, activity, coaching and scorecards), the narrative's input and cache,
 * cron/tz checks.
 */
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_THRESHOLDS,
  ManagerNarrative,
  flagsFor,
  narrate,
  splitWindow,
  checkCron,
  dayIn,
  teamNumbers,
  type CoachingMetrics,
  type Person,
  type TeamInputs,
} from '../../src/shared/domain/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import type { ChatMessage, LlmClient } from '../../src/shared/upstream/index.ts';
import { memoryLlmCache } from '../helpers/fake-llm.ts';

describe('splitWindow', () => {
  it('sends whole days to the stats and partial days to the calls list', () => {
    const from = Date.parse('2026-03-01T15:00:00Z');
    const to = Date.parse('2026-03-31T09:30:00Z');
    expect(splitWindow({ fromMs: from, toMs: to })).toEqual({
      days: { fromDate: '2026-03-02', toDate: '2026-03-31' },
      partial: [
        { fromDateTime: '2026-03-01T15:00:00.000Z', toDateTime: '2026-03-02T00:00:00.000Z' },
        { fromDateTime: '2026-03-31T00:00:00.000Z', toDateTime: '2026-03-31T09:30:00.000Z' },
      ],
    });
    const m = Date.parse('2026-03-01T00:00:00Z');
    expect(splitWindow({ fromMs: m, toMs: m + 30 * DAY_MS })).toEqual({ days: { fromDate: '2026-03-01', toDate: '2026-03-31' }, partial: [] });
  });
});

describe('flagsFor', () => {
  it('flags at the thresholds, not before, with the numbers in the detail', () => {
    const rep = { isNewHire: true, callsHosted: 9, callsListenedByManager: 4, scorecardsReceived: 1 };
    expect(flagsFor(rep, DEFAULT_THRESHOLDS).map((f) => f.code)).toEqual(['neglected_new_hire']);
    expect(flagsFor(rep, DEFAULT_THRESHOLDS)[0]!.detail).toContain('4 of 9');
    expect(flagsFor({ ...rep, callsListenedByManager: 5 }, DEFAULT_THRESHOLDS)).toEqual([]);
    const host = { isNewHire: false, callsHosted: 20, callsListenedByManager: 0, scorecardsReceived: 0 };
    expect(flagsFor(host, DEFAULT_THRESHOLDS).map((f) => f.code)).toEqual(['no_scorecards']);
    expect(flagsFor({ ...host, callsHosted: 19 }, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(flagsFor({ ...host, scorecardsReceived: 1 }, DEFAULT_THRESHOLDS)).toEqual([]);
  });
});

describe('checkCron', () => {
  it('reads the pattern in its zone and rejects typos with one line', () => {
    const [next] = checkCron('0 6 * * 1-5', 'America/New_York', 1, Date.parse('2026-03-13T12:00:00Z')); // a Friday
    expect(new Date(next!).toISOString()).toBe('2026-03-16T10:00:00.000Z'); // Monday 06:00 EDT
    expect(() => checkCron('0 6 * *', 'UTC')).toThrow(BadInputError);
    expect(() => checkCron('61 6 * * *', 'UTC')).toThrow(/not a valid cron/);
    expect(() => checkCron('0 6 * * *', 'Not/AZone')).toThrow(/IANA/);
    expect(dayIn('America/New_York', Date.parse('2026-03-16T02:00:00Z'))).toBe('2026-03-15');
  });
});

describe('teamNumbers', () => {
  const END = Date.parse('2026-03-31T00:00:00Z');
  const person = (id: string, name: string, createdDaysBeforeEnd: number): Person => ({
    id, name, email: `${id}@pinnacle.example`, title: 'AE', createdMs: END - createdDaysBeforeEnd * DAY_MS, managerId: 'm1',
  });
  const coaching = (listened: number, attended = 0, feedback = 0): CoachingMetrics => ({
    callsListenedTo: listened, callsManagerAttended: attended, callsWithFeedback: feedback, callsWithScorecardFilled: 0,
  });
  const inputs = (): TeamInputs => ({
    manager: { id: 'm1', name: 'Mike Brennan', email: 'mike@pinnacle.example', title: 'Manager', createdMs: END - 900 * DAY_MS },
    reps: [
      person('r1', 'New And Neglected', 10), // new hire, 2 of 8 calls listened to
      person('r2', 'Exactly Thirty Days', 30), // created on the cut-off: still a new hire
      person('r3', 'Thirty One Days', 31), // just past it: not a new hire
      person('r4', 'Busy Without Scorecards', 400), // 25 calls, no scorecard
      person('r5', 'No Activity Rows', 5), // new hire Gong returned nothing for
      person('r6', 'Both Flags', 20), // new hire, 22 calls, 1 listen, no scorecard
    ],
    window: { fromMs: END - 30 * DAY_MS, toMs: END },
    activity: new Map([['r1', { callsAsHost: 8 }], ['r2', { callsAsHost: 6 }], ['r3', { callsAsHost: 3 }], ['r4', { callsAsHost: 25 }], ['r6', { callsAsHost: 22 }]]),
    coaching: new Map([['r1', coaching(2, 1, 1)], ['r2', coaching(5)], ['r3', coaching(0)], ['r4', coaching(7, 2, 3)], ['r6', coaching(1)]]),
    scorecards: new Map([['r1', 1], ['r2', 2], ['r3', 0]]),
    thresholds: DEFAULT_THRESHOLDS,
  });

  it('joins the numbers per rep, counting a rep Gong said nothing about as zero', () => {
    const t = teamNumbers(inputs());
    const row = (id: string) => t.reps.find((r) => r.userId === id)!;
    expect(t.reps.map((r) => r.userId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(row('r1')).toMatchObject({ name: 'New And Neglected', email: 'r1@pinnacle.example', isNewHire: true, callsHosted: 8, callsListenedByManager: 2, callsManagerAttended: 1, callsWithFeedback: 1, scorecardsReceived: 1 });
    expect(row('r1').createdAt).toBe('2026-03-21T00:00:00.000Z');
    expect(row('r4')).toMatchObject({ isNewHire: false, callsHosted: 25, callsListenedByManager: 7, callsManagerAttended: 2, callsWithFeedback: 3, scorecardsReceived: 0 });
    expect(row('r5')).toMatchObject({ isNewHire: true, callsHosted: 0, callsListenedByManager: 0, callsManagerAttended: 0, callsWithFeedback: 0, scorecardsReceived: 0 });
    expect(t.manager).toEqual({ userId: 'm1', name: 'Mike Brennan', email: 'mike@pinnacle.example' });
  });

  it('counts a rep as a new hire up to newHireDays before the window ends', () => {
    const t = teamNumbers(inputs());
    expect(t.reps.filter((r) => r.isNewHire).map((r) => r.userId)).toEqual(['r1', 'r2', 'r5', 'r6']);
    const longer = teamNumbers({ ...inputs(), thresholds: { ...DEFAULT_THRESHOLDS, newHireDays: 31 } });
    expect(longer.reps.filter((r) => r.isNewHire).map((r) => r.userId)).toEqual(['r1', 'r2', 'r3', 'r5', 'r6']);
  });

  it('flags with the thresholds it is given, and totals the team', () => {
    const t = teamNumbers(inputs());
    expect(Object.fromEntries(t.reps.map((r) => [r.userId, r.flags.map((f) => f.code)]))).toEqual({
      r1: ['neglected_new_hire'],
      r2: [], // 5 listens is enough
      r3: [],
      r4: ['no_scorecards'],
      r5: ['neglected_new_hire'],
      r6: ['neglected_new_hire', 'no_scorecards'],
    });
    expect(t.reps.find((r) => r.userId === 'r1')!.flags[0]!.detail).toBe('new hire with 2 of 8 calls listened to by the manager (fewer than 5)');
    // flaggedReps counts reps, not flags: r6 has two.
    expect(t.totals).toEqual({ callsHosted: 64, callsListenedByManager: 15, scorecardsReceived: 3, flaggedReps: 4, newHires: 4 });

    const strict = teamNumbers({ ...inputs(), thresholds: { newHireDays: 30, minManagerListens: 6, maxCallsWithoutScorecard: 3 } });
    expect(strict.reps.filter((r) => r.flags.length > 0).map((r) => r.userId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(strict.reps.find((r) => r.userId === 'r3')!.flags.map((f) => f.code)).toEqual(['no_scorecards']);
  });
});

describe('narrate', () => {
  const END = Date.parse('2026-03-31T00:00:00Z');
  const team = (listened: number) =>
    teamNumbers({
      manager: { id: 'm1', name: 'Mike Brennan', email: 'mike@pinnacle.example', title: 'Manager', createdMs: 0 },
      reps: [{ id: 'r1', name: 'Ann New', email: 'ann@pinnacle.example', title: 'AE', createdMs: END - 3 * DAY_MS }],
      window: { fromMs: END - 30 * DAY_MS, toMs: END },
      activity: new Map([['r1', { callsAsHost: 9 }]]),
      coaching: new Map([['r1', { callsListenedTo: listened, callsManagerAttended: 0, callsWithFeedback: 0, callsWithScorecardFilled: 0 }]]),
      scorecards: new Map(),
      thresholds: DEFAULT_THRESHOLDS,
    });
  const period = { from: '2026-03-01', to: '2026-03-31' };

  function fakeLlm() {
    const prompts: ChatMessage[][] = [];
    const llm = {
      model: 'fake-model',
      async parse(schema: unknown, name: string, messages: ChatMessage[]) {
        expect(schema).toBe(ManagerNarrative);
        expect(name).toBe('manager_narrative');
        prompts.push(messages);
        return { value: { summary: 'written by the fake', concerns: [], recommendations: [] }, promptTokens: 120, completionTokens: 30 };
      },
    };
    return { prompts, llm: llm as unknown as LlmClient };
  }

  it('hands the model the computed numbers and flag codes, nothing to compute', async () => {
    const { prompts, llm } = fakeLlm();
    const { cache } = memoryLlmCache();
    const res = await narrate({ llm, cache }, team(2), period);
    expect(res).toMatchObject({ cached: false, promptTokens: 120, completionTokens: 30 });
    const user = prompts[0]!.find((m) => m.role === 'user')!.content;
    const json = JSON.parse(/```json\n([\s\S]*)\n```/.exec(user)![1]!) as unknown;
    expect(json).toEqual({
      manager: { name: 'Mike Brennan' },
      period,
      reps: [{ name: 'Ann New', callsHosted: 9, callsListenedByManager: 2, scorecardsReceived: 0, isNewHire: true, flags: ['neglected_new_hire'] }],
    });
    expect(user).not.toContain('ann@pinnacle.example'); // the model gets names, not contact details
  });

  it('asks again only when the numbers change', async () => {
    const { prompts, llm } = fakeLlm();
    const { cache } = memoryLlmCache();
    await narrate({ llm, cache }, team(2), period);
    const again = await narrate({ llm, cache }, team(2), period);
    expect(again).toMatchObject({ cached: true, promptTokens: 0, completionTokens: 0, narrative: { summary: 'written by the fake' } });
    expect(prompts).toHaveLength(1);
    await narrate({ llm, cache }, team(3), period);
    expect(prompts).toHaveLength(2);
  });
});
