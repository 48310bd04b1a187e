/**
 * Fault injection for the sandbox's proxy and LLM routes, so the fleet's retry, timeout and
 * backoff paths run on purpose. Random choices come from a seeded PRNG: the same seed and the same
 * request order give the same faults.
 */
import { z } from 'zod';
import { mulberry32 } from './world/prng.ts';

export type FaultScope = 'truto' | 'llm' | 'both';

/** Periodic 429 storms: every `everySeconds`-th second, everything in scope is refused. */
export interface Burst429Options {
  /** Period of the storms in seconds, counted from the sandbox's start. Default 10. */
  everySeconds?: number;
  /** How long each storm lasts, in ms (from the start of its period). Default 1000. */
  durationMs?: number;
}

export interface FaultOptions {
  /** Probability (0..1) a request gets a random 500/502/503. Default 0. */
  errorRate5xx?: number;
  /** Probability (0..1) a request is held for `timeoutMs` (or until the client gives up). Default 0. */
  timeoutRate?: number;
  /** How long a timed-out request is held before a 504, in ms. Default 35_000 (beyond Truto's SDK 30 s timeout). */
  timeoutMs?: number;
  /** Extra latency added to every request in scope, in ms. Default 0. */
  latencyMs?: number;
  /** Periodic 429 storms; `true` uses the defaults. Default off. */
  burst429?: boolean | Burst429Options;
  /** Which routes the faults hit. Default 'both'. */
  scope?: FaultScope;
  /** Seed of the fault PRNG. Default: the sandbox seed. */
  seed?: number;
}

export type FaultVerdict =
  | { kind: 'none' }
  | { kind: 'timeout'; holdMs: number }
  | { kind: '5xx'; status: 500 | 502 | 503 }
  | { kind: '429'; retryAfterMs: number };

const FIVE_XX = [500, 502, 503] as const;

const clamp01 = (x: number | undefined): number => Math.min(1, Math.max(0, x ?? 0));

export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number;

  constructor(
    private readonly defaultSeed: number,
    private readonly startedMs: number,
    initial: FaultOptions = {},
  ) {
    this.random = mulberry32(defaultSeed);
    this.set(initial);
  }

  /** Replaces the current faults (and restarts the PRNG, so a run is reproducible from here). */
  set(options: FaultOptions): void {
    this.options = { ...options };
    this.random = mulberry32(options.seed ?? this.defaultSeed);
  }

  get current(): FaultOptions {
    return { ...this.options };
  }

  latencyMs(side: 'truto' | 'llm'): number {
    return this.applies(side) ? Math.max(0, this.options.latencyMs ?? 0) : 0;
  }

  /** Decides the fate of one request on `side` at `nowMs`. */
  decide(side: 'truto' | 'llm', nowMs: number): FaultVerdict {
    if (!this.applies(side)) return { kind: 'none' };
    const o = this.options;
    const storm = this.stormLeftMs(nowMs);
    if (storm > 0) return { kind: '429', retryAfterMs: storm };
    // Always draw both numbers so one rate's setting doesn't shift the other's pattern.
    const timeoutRoll = this.random();
    const errorRoll = this.random();
    if (timeoutRoll < clamp01(o.timeoutRate)) return { kind: 'timeout', holdMs: o.timeoutMs ?? 35_000 };
    if (errorRoll < clamp01(o.errorRate5xx)) {
      return { kind: '5xx', status: FIVE_XX[Math.floor(this.random() * FIVE_XX.length)] ?? 500 };
    }
    return { kind: 'none' };
  }

  private applies(side: 'truto' | 'llm'): boolean {
    const scope = this.options.scope ?? 'both';
    return scope === 'both' || scope === side;
  }

  /** Time left in the current 429 storm, or 0 outside one. */
  private stormLeftMs(nowMs: number): number {
    const b = this.options.burst429;
    if (!b) return 0;
    const spec = b === true ? {} : b;
    const periodMs = Math.max(1, spec.everySeconds ?? 10) * 1000;
    const durationMs = Math.min(periodMs, Math.max(1, spec.durationMs ?? 1000));
    const intoPeriod = (nowMs - this.startedMs) % periodMs;
    // The first period starts the clock; storms begin at the end of each full period.
    const inStorm = nowMs - this.startedMs >= periodMs && intoPeriod < durationMs;
    return inStorm ? durationMs - intoPeriod : 0;
  }
}

const rate = z.number().min(0).max(1);

/** Validates a FaultOptions body from `POST /_sandbox/faults`; unknown keys are refused (likely typos). */
export const FaultOptionsSchema = z.strictObject({
  errorRate5xx: rate.optional(),
  timeoutRate: rate.optional(),
  timeoutMs: z.number().int().min(0).optional(),
  latencyMs: z.number().min(0).optional(),
  burst429: z
    .union([
      z.boolean(),
      z.strictObject({ everySeconds: z.number().positive().optional(), durationMs: z.number().positive().optional() }),
    ])
    .optional(),
  scope: z.enum(['truto', 'llm', 'both']).optional(),
  seed: z.number().int().optional(),
});
