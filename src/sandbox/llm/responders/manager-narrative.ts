/**
 * `manager_narrative`: the coaching sweep. The numbers are computed by the fleet and arrive in a
 * ```json block `{manager:{name}, period:{from,to}, reps:[…]}`; the narrative only restates them, so
 * a test can check every figure in the text against the input.
 */
import type { ManagerNarrative } from '../../../shared/domain/index.ts';
import { isRecord } from './cues.ts';

interface Rep {
  name: string;
  callsHosted: number;
  callsListenedByManager: number;
  scorecardsReceived: number;
  isNewHire: boolean;
  flags: string[];
}

export function respondManagerNarrative(input: unknown): ManagerNarrative {
  const data = isRecord(input) ? input : {};
  const manager = (isRecord(data['manager']) && str(data['manager']['name'])) || 'The manager';
  const period = isRecord(data['period']) ? data['period'] : {};
  const from = str(period['from']);
  const to = str(period['to']);
  const reps = (Array.isArray(data['reps']) ? data['reps'] : []).filter(isRecord).map(toRep);

  const hosted = sum(reps, (r) => r.callsHosted);
  const listened = sum(reps, (r) => r.callsListenedByManager);
  const scorecards = sum(reps, (r) => r.scorecardsReceived);
  const newHires = reps.filter((r) => r.isNewHire);
  const when = from && to ? ` between ${from} and ${to}` : '';

  const summary = [
    `${manager} oversaw ${plural(reps.length, 'rep')}${when}, who hosted ${plural(hosted, 'call')} in total.`,
    `${manager} listened to ${plural(listened, 'call')} (${percent(listened, hosted)} of hosted calls) and the team received ${plural(scorecards, 'scorecard')}.`,
    newHires.length > 0
      ? `New hires: ${newHires.map((r) => r.name).join(', ')}.`
      : 'There are no new hires on the team.',
  ].join(' ');

  const concerns = reps.flatMap((r) =>
    r.flags.map(
      (flag) =>
        `${r.name}: ${humanize(flag)} (${plural(r.callsHosted, 'call')} hosted, ` +
        `${r.callsListenedByManager} listened to by ${manager}, ${plural(r.scorecardsReceived, 'scorecard')}).`,
    ),
  );

  const recommendations: string[] = [];
  for (const r of reps) {
    if (r.isNewHire && r.callsListenedByManager < Math.min(3, r.callsHosted)) {
      recommendations.push(`Listen to at least ${Math.min(3, r.callsHosted)} of ${r.name}'s calls while they ramp up.`);
    }
    if (r.scorecardsReceived === 0 && r.callsHosted > 0) {
      recommendations.push(`Complete a scorecard for one of ${r.name}'s recent calls.`);
    } else if (r.flags.length > 0 && !r.isNewHire) {
      recommendations.push(`Review ${r.name}'s flagged calls in the next one-on-one.`);
    }
  }
  if (recommendations.length === 0) {
    recommendations.push(`Keep the current coaching cadence; no rep needs extra attention this period.`);
  }
  return { summary, concerns, recommendations };
}

function toRep(raw: Record<string, unknown>): Rep {
  return {
    name: str(raw['name']) || 'Unnamed rep',
    callsHosted: num(raw['callsHosted']),
    callsListenedByManager: num(raw['callsListenedByManager']),
    scorecardsReceived: num(raw['scorecardsReceived']),
    isNewHire: raw['isNewHire'] === true,
    flags: Array.isArray(raw['flags']) ? raw['flags'].filter((f): f is string => typeof f === 'string' && f !== '') : [],
  };
}

/** `no_scorecards` → "no scorecards"; free-text flags pass through. */
function humanize(flag: string): string {
  return flag.replace(/[_-]+/g, ' ').trim();
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '0%';
}

function sum(reps: Rep[], pick: (r: Rep) => number): number {
  return reps.reduce((n, r) => n + pick(r), 0);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
