/**
 * Transcript generation. A transcript is a pure function of (account key, call, parties, deal):
 * speech runs at ~160 words per minute across the call's duration, monologues alternate between
 * internal and external speakers, and planted facts (the things a deal report should find) are
 * placed in the phase of the call where they would naturally come up.
 */
import type { FindingCategory } from '../../shared/domain/index.ts';
import { CITIES, slug } from './names.ts';
import { rngFor, type Rng } from './prng.ts';
import {
  ACKS, CATEGORY_SPEAKER, CATEGORY_TOPICS, DEMO_PROSPECT, DEMO_REP, DISCOVERY_PROSPECT, DISCOVERY_REP,
  OPENERS_PROSPECT, OPENERS_REP, PHASE_TOPICS, PLANTED, PREFIXES, TOOLS, WEEKDAYS, WRAPUP,
} from './transcript-bank.ts';
import type { CallParty, Deal, DealThemes, Monologue, PlantedFact, WorldCall } from './types.ts';

/** ~160 wpm: an hour call yields 8-10k words, like real Gong transcripts. */
const MS_PER_WORD = 375;

interface SlotValues {
  them: string;
  us: string;
  amount: string;
}

export interface GeneratedTranscript {
  monologues: Monologue[];
  facts: PlantedFact[];
  wordCount: number;
}

interface PlannedFact {
  category: FindingCategory;
  text: string;
  atMs: number;
}

/** Where in the call (fraction of duration) each category tends to come up. */
const CATEGORY_WINDOW: Record<FindingCategory, [number, number]> = {
  objection: [0.3, 0.8],
  competitor: [0.15, 0.6],
  pricing: [0.6, 0.85],
  security: [0.35, 0.8],
  technical_risk: [0.4, 0.8],
  next_step: [0.88, 0.95],
};

function fill(template: string, rng: Rng, slots: SlotValues, otherName: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'them': return slots.them;
      case 'us': return slots.us;
      case 'amount': return slots.amount;
      case 'name': return otherName;
      case 'n': return String(rng.int(3, 60));
      case 'tool': return rng.pick(TOOLS);
      case 'city': return rng.pick(CITIES);
      case 'weekday': return rng.pick(WEEKDAYS);
      default: return key;
    }
  });
}

function planFacts(rng: Rng, call: WorldCall, deal: Deal | undefined, durationMs: number, slots: SlotValues): PlannedFact[] {
  const themes: DealThemes = deal?.themes ?? {};
  const categories = (Object.keys(themes) as FindingCategory[]).filter((c) => c !== 'next_step');
  const chosen = new Map<FindingCategory, string>();
  for (const c of rng.sample(categories, rng.int(1, Math.min(3, categories.length)))) {
    chosen.set(c, rng.pick(themes[c] ?? []));
  }
  if (themes.next_step?.length && rng.chance(0.75)) chosen.set('next_step', rng.pick(themes.next_step));
  for (const [c, ids] of Object.entries(call.forcedThemes ?? {}) as Array<[FindingCategory, string[]]>) {
    const id = ids[0];
    if (id) chosen.set(c, id);
  }
  const planned: PlannedFact[] = [];
  for (const [category, themeId] of chosen) {
    const bank = PLANTED[category][themeId];
    if (!bank) continue;
    const [lo, hi] = CATEGORY_WINDOW[category];
    planned.push({
      category,
      text: fill(rng.pick(bank), rng, slots, ''),
      atMs: Math.floor(durationMs * (lo + rng.next() * (hi - lo))),
    });
  }
  return planned.sort((a, b) => a.atMs - b.atMs);
}

function phaseOf(fraction: number): keyof typeof PHASE_TOPICS {
  if (fraction < 0.03) return 'opening';
  if (fraction < 0.4) return 'discovery';
  if (fraction < 0.9) return 'demo';
  return 'wrapup';
}

function fillerFor(phase: keyof typeof PHASE_TOPICS, internal: boolean): readonly string[] {
  switch (phase) {
    case 'opening': return internal ? OPENERS_REP : OPENERS_PROSPECT;
    case 'discovery': return internal ? DISCOVERY_REP : DISCOVERY_PROSPECT;
    case 'demo': return internal ? DEMO_REP : DEMO_PROSPECT;
    case 'wrapup': return WRAPUP;
  }
}

export function generateTranscript(
  accountKey: string,
  call: WorldCall,
  parties: CallParty[],
  deal: Deal | undefined,
  ourCompany: string,
  theirCompany: string,
): GeneratedTranscript {
  const rng = rngFor(accountKey, 'transcript', call.id);
  const durationMs = call.durationSec * 1000;
  const slots: SlotValues = {
    them: theirCompany,
    us: ourCompany,
    amount: `$${Math.round((deal?.amount ?? 100_000) * 0.8 / 1000)}k`,
  };
  const internal = parties.filter((p) => p.affiliation === 'Internal');
  const external = parties.filter((p) => p.affiliation === 'External');
  const planned = planFacts(rng, call, deal, durationMs, slots);
  const monologues: Monologue[] = [];
  const facts: PlantedFact[] = [];
  let wordCount = 0;
  let t = rng.int(2_000, 8_000);
  let speakerInternal = true;
  let current: CallParty | undefined;

  const say = (m: Monologue, text: string): void => {
    const words = text.split(' ').length;
    const lenMs = Math.round(words * MS_PER_WORD * (0.85 + rng.next() * 0.3));
    m.sentences.push({ start: t, end: t + lenMs, text });
    wordCount += words;
    t += lenMs + rng.int(80, 450);
  };
  const speakerFrom = (wantInternal: boolean): CallParty | undefined => {
    const pool = wantInternal ? internal : external;
    // The host carries most of the internal talk; a second rep chimes in now and then.
    if (wantInternal) return pool.length > 1 && rng.chance(0.25) ? pool[1] : pool[0];
    return pool.length > 0 ? rng.pick(pool) : internal[0];
  };
  const otherName = (self: CallParty | undefined): string => {
    const other = parties.find((p) => p !== self && p.affiliation !== self?.affiliation) ?? parties[0];
    return other?.name.split(' ')[0] ?? 'there';
  };

  while (t < durationMs - 4_000) {
    const nextFact = planned[0];
    if (nextFact && t >= nextFact.atMs) {
      planned.shift();
      const wantInternal = CATEGORY_SPEAKER[nextFact.category] === 'internal';
      const speaker = speakerFrom(wantInternal) ?? current;
      if (!speaker) break;
      const m: Monologue = { speakerId: speaker.speakerId, topic: CATEGORY_TOPICS[nextFact.category], sentences: [] };
      facts.push({ category: nextFact.category, text: nextFact.text, speakerId: speaker.speakerId, startMs: t });
      say(m, nextFact.text);
      if (rng.chance(0.6)) say(m, fill(rng.pick(ACKS), rng, slots, otherName(speaker)));
      monologues.push(m);
      current = speaker;
      speakerInternal = !wantInternal;
      t += rng.int(200, 900);
      continue;
    }
    const speaker = speakerFrom(speakerInternal);
    if (!speaker) break;
    const phase = phaseOf(t / durationMs);
    const isInternal = speaker.affiliation === 'Internal';
    const topic = rng.chance(0.2) ? null : PHASE_TOPICS[phase];
    const m: Monologue = { speakerId: speaker.speakerId, topic, sentences: [] };
    // Reps run longer monologues in the demo; prospects answer in shorter bursts.
    const maxSentences = isInternal ? (phase === 'demo' ? 7 : 4) : 4;
    const count = rng.int(1, maxSentences);
    for (let i = 0; i < count && t < durationMs - 4_000; i++) {
      if (planned[0] && t >= planned[0].atMs) break;
      const bank = i > 0 && rng.chance(0.15) ? ACKS : fillerFor(phase, isInternal);
      say(m, withPrefix(rng.pick(PREFIXES), fill(rng.pick(bank), rng, slots, otherName(speaker))));
    }
    if (m.sentences.length > 0) monologues.push(m);
    current = speaker;
    speakerInternal = !speakerInternal;
    t += rng.int(200, 900);
  }
  return { monologues, facts, wordCount };
}

function withPrefix(prefix: string, sentence: string): string {
  if (!prefix || sentence.startsWith(prefix.split(',')[0] ?? prefix)) return sentence;
  // Keep "I" and "I'm" capitalised; everything else reads naturally in lower case after "So, ".
  const head = /^I\b/.test(sentence) ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
  return prefix + head;
}

/** Company-ish name from an email domain ("northwind.com" → "Northwind"). */
export function companyFromDomain(domain: string): string {
  const base = slug(domain.split('.')[0] ?? domain);
  return base.charAt(0).toUpperCase() + base.slice(1);
}
