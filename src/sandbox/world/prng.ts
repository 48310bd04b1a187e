/**
 * Seeded randomness for the simulated world. Every generator is keyed by a string path
 * (seed, account, kind, index) rather than drawn from one shared stream, so the order in which
 * things are generated (or lazily materialised) never changes what they look like.
 */

/** FNV-1a over the key, then a murmur-style finaliser: a 32-bit seed for mulberry32. */
export function hash32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  shuffle<T>(items: readonly T[]): T[];
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(...keyParts: Array<string | number>): Rng {
  const next = mulberry32(hash32(keyParts.join('|')));
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (p) => next() < p,
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as (typeof out)[number];
        out[i] = out[j] as (typeof out)[number];
        out[j] = tmp;
      }
      return out;
    },
    sample: (items, count) => rng.shuffle(items).slice(0, Math.max(0, count)),
  };
  return rng;
}

/**
 * A 16-digit numeric id. Gong's ids are up to 19-20 digits, but several endpoints (answered
 * scorecards, tasks, CRM integrationId) return them as JSON numbers; keeping every sandbox id below
 * 2^53 (9007199254740992) means those numbers survive JSON.parse exactly and match the string form.
 */
export function numericId(...keyParts: Array<string | number>): string {
  const rng = rngFor('id', ...keyParts);
  const high = rng.int(1_000_000, 8_999_999); // 7 digits, leading digit 1-8 keeps us < 2^53
  const low = rng.int(0, 999_999_999); // 9 digits
  return `${high}${String(low).padStart(9, '0')}`;
}

/** A v4-shaped UUID derived from the key (Truto integrated-account ids are UUIDs). */
export function uuidFor(...keyParts: Array<string | number>): string {
  const rng = rngFor('uuid', ...keyParts);
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((rng.int(0, 3) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
