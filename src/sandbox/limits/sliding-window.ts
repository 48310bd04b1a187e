/**
 * A strict sliding-window counter: never more than `limit` admissions in any `windowMs` span.
 * Gong documents "3 calls per second" without saying how the second is measured; a strict sliding
 * window is the harshest reading, so a client that survives it survives any real bucketing.
 */

export interface WindowVerdict {
  allowed: boolean;
  /** Admissions still available in the window after this one (0 when refused). */
  remaining: number;
  /** Until the oldest admission leaves the window (when one more would fit), in ms; 0 if room now. */
  retryAfterMs: number;
  /** Until the window is completely empty again, in ms. */
  resetMs: number;
}

export class SlidingWindow {
  /** Admission times, oldest first. */
  private readonly admitted: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private prune(nowMs: number): void {
    // An admission at t counts for the half-open span [t, t + windowMs).
    while (this.admitted.length > 0 && (this.admitted[0] ?? 0) <= nowMs - this.windowMs) this.admitted.shift();
  }

  /** What admitting one more request now would mean, without admitting it. */
  peek(nowMs: number): WindowVerdict {
    this.prune(nowMs);
    const count = this.admitted.length;
    const newest = this.admitted[count - 1];
    const resetMs = newest === undefined ? 0 : newest + this.windowMs - nowMs;
    if (count < this.limit) {
      return { allowed: true, remaining: this.limit - count - 1, retryAfterMs: 0, resetMs: Math.max(resetMs, this.windowMs) };
    }
    // The admission that must expire before one more fits is the (count - limit + 1)-th oldest.
    const blocking = this.admitted[count - this.limit] ?? nowMs;
    return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, blocking + this.windowMs - nowMs), resetMs };
  }

  admit(nowMs: number): void {
    this.prune(nowMs);
    this.admitted.push(nowMs);
  }

  /** Admissions left right now, for the `ratelimit-remaining` header on ordinary responses. */
  remaining(nowMs: number): number {
    this.prune(nowMs);
    return Math.max(0, this.limit - this.admitted.length);
  }

  /** Until the window is empty, in ms (the `ratelimit-reset` of a fixed-window reading). */
  resetMs(nowMs: number): number {
    this.prune(nowMs);
    const newest = this.admitted[this.admitted.length - 1];
    return newest === undefined ? 0 : newest + this.windowMs - nowMs;
  }

  clear(): void {
    this.admitted.length = 0;
  }
}

/** A per-UTC-day counter (Gong's daily company quota resets at midnight UTC in the sandbox). */
export class DailyCounter {
  private day = '';
  private used = 0;

  constructor(readonly limit: number) {}

  private roll(nowMs: number): void {
    const day = new Date(nowMs).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
  }

  /** True when one more request fits today. */
  hasRoom(nowMs: number): boolean {
    this.roll(nowMs);
    return this.used < this.limit;
  }

  consume(nowMs: number): void {
    this.roll(nowMs);
    this.used += 1;
  }

  remaining(nowMs: number): number {
    this.roll(nowMs);
    return Math.max(0, this.limit - this.used);
  }

  /** Until the next UTC midnight, in ms. */
  static msUntilNextUtcDay(nowMs: number): number {
    const d = new Date(nowMs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - nowMs;
  }
}

/** Most timestamps that fall in any half-open span of `windowMs` (for asserting a limit held). */
export function maxInAnyWindow(timestampsMs: readonly number[], windowMs: number): number {
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
