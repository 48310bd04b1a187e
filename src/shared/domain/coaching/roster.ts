/**
 * The account's roster from Gong's users list: who manages whom (`managerId`) and when each user
 * was created (for new hires). One paged list (100 users a page) covers the whole company.
 */
import { distance } from 'fastest-levenshtein';
import { BadInputError } from '../../platform/index.ts';
import { type AccountCapabilities, type UserMetadata } from '../../upstream/index.ts';

export interface Person {
  id: string;
  name: string;
  email: string;
  title: string;
  createdMs: number;
  managerId?: string;
}

export interface Team {
  manager: Person;
  reps: Person[];
}

export interface Roster {
  people: Person[];
  /** Front-line managers: users with at least one direct report who manages nobody. */
  teams: Team[];
  /** Upstream requests spent reading the roster. */
  requests: number;
}

export async function fetchRoster(caps: AccountCapabilities, signal?: AbortSignal): Promise<Roster & { users: UserMetadata[] }> {
  const people: Person[] = [];
  const users: UserMetadata[] = [];
  let requests = 0;
  for await (const page of caps.pages('users', {}, signal ? { signal } : {})) {
    requests += 1;
    users.push(...page.records);
    for (const u of page.records) people.push(toPerson(u));
  }
  return { people, teams: buildTeams(people), requests, users };
}

function toPerson(u: UserMetadata): Person {
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ') || u.emailAddress || u.id;
  return {
    id: u.id,
    name,
    email: u.emailAddress ?? '',
    title: u.title ?? '',
    createdMs: u.created ? Date.parse(u.created) : 0,
    ...(u.managerId ? { managerId: u.managerId } : {}),
  };
}

export function buildTeams(people: Person[]): Team[] {
  const reportsOf = new Map<string, Person[]>();
  for (const p of people) if (p.managerId) reportsOf.set(p.managerId, [...(reportsOf.get(p.managerId) ?? []), p]);
  return people
    .filter((p) => (reportsOf.get(p.id) ?? []).some((r) => !reportsOf.has(r.id)))
    .map((manager) => ({ manager, reps: reportsOf.get(manager.id) ?? [] }));
}

/**
 * Finds a manager by Gong user id, email or full name (case-insensitive). Unknown → BadInputError
 * with the closest names; a user with no direct reports → BadInputError saying so.
 */
export function findTeam(roster: Pick<Roster, 'people' | 'teams'>, query: string): Team {
  const q = query.trim().toLowerCase();
  const person = roster.people.find((p) => p.id === query.trim() || p.email.toLowerCase() === q || p.name.toLowerCase() === q);
  if (!person) {
    const close = roster.teams
      .map((t) => t.manager)
      .map((m) => ({ m, d: Math.min(distance(m.name.toLowerCase(), q), distance(m.email.toLowerCase(), q)) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map(({ m }) => `${m.name} <${m.email}>`);
    throw new BadInputError(`--manager: no user "${query}"${close.length ? `; did you mean ${close.join(', ')}?` : ''}`);
  }
  const reps = roster.people.filter((p) => p.managerId === person.id);
  if (reps.length === 0) throw new BadInputError(`--manager: ${person.name} <${person.email}> has no direct reports`);
  return { manager: person, reps };
}
