/**
 * The sandbox's rate limits for proxy calls, in the order a request meets them: Truto's per-token
 * and per-account tiers (truto-api.md §4, "Truto's own rate limits"), then Gong's per-company limits
 * (3/s, 10,000/day; gong-api.md §0). A request refused anywhere consumes nothing; one refused by
 * Gong has still passed through Truto and so counts against Truto's tiers, as it would for real.
 */
import { DailyCounter, SlidingWindow } from './sliding-window.ts';

export interface RateLimitOptions {
  /** Gong requests per sliding second per company. Default 3 (Gong's default company limit). */
  gongPerSecond?: number;
  /** Gong requests per UTC day per company. Default 10_000 (Gong's default company limit). */
  gongPerDay?: number;
  /** Truto requests per 10 s per integrated account. Default 50 (Truto's documented tier). */
  trutoPerAccountPer10s?: number;
  /** Truto requests per 10 s per API token. Default 500 (Truto's documented tier). */
  trutoPerTokenPer10s?: number;
}

/** Per-account overrides (some Gong companies have raised limits). */
export interface GongLimitOverride {
  perSecond?: number;
  perDay?: number;
}

export type LimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      /** `gong` refusals are remote errors (Truto forwards Gong's 429); `truto` ones are Truto's own. */
      tier: 'gong-second' | 'gong-day' | 'truto-account' | 'truto-token' | 'forced';
      retryAfterSeconds: number;
      headers: Record<string, string>;
      message: string;
    };

const TRUTO_WINDOW_MS = 10_000;
// Truto documents `Retry-After: 10` for both of its own tiers, whatever the window's state.
const TRUTO_RETRY_AFTER_SECONDS = 10;

interface AccountLimits {
  gongSecond: SlidingWindow;
  gongDay: DailyCounter;
  truto: SlidingWindow;
}

const toSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** A forced 429 period on one account (tests and benchmarks of how the fleet reacts to 429s). */
interface Forced429 {
  untilMs: number;
  /** 429s still to send in the period; Infinity = every request until `untilMs`. */
  left: number;
}

export class RateLimits {
  private readonly settings: Required<RateLimitOptions>;
  private readonly accounts = new Map<string, AccountLimits>();
  private readonly tokens = new Map<string, SlidingWindow>();
  private readonly forced = new Map<string, Forced429>();

  constructor(
    opts: RateLimitOptions = {},
    private readonly overrides: (accountId: string) => GongLimitOverride | undefined = () => undefined,
  ) {
    this.settings = {
      gongPerSecond: opts.gongPerSecond ?? 3,
      gongPerDay: opts.gongPerDay ?? 10_000,
      trutoPerAccountPer10s: opts.trutoPerAccountPer10s ?? 50,
      trutoPerTokenPer10s: opts.trutoPerTokenPer10s ?? 500,
    };
  }

  private account(accountId: string): AccountLimits {
    let limits = this.accounts.get(accountId);
    if (!limits) {
      const o = this.overrides(accountId);
      limits = {
        gongSecond: new SlidingWindow(o?.perSecond ?? this.settings.gongPerSecond, 1000),
        gongDay: new DailyCounter(o?.perDay ?? this.settings.gongPerDay),
        truto: new SlidingWindow(this.settings.trutoPerAccountPer10s, TRUTO_WINDOW_MS),
      };
      this.accounts.set(accountId, limits);
    }
    return limits;
  }

  private token(token: string): SlidingWindow {
    let w = this.tokens.get(token);
    if (!w) {
      w = new SlidingWindow(this.settings.trutoPerTokenPer10s, TRUTO_WINDOW_MS);
      this.tokens.set(token, w);
    }
    return w;
  }

  /** Decides one proxy request and, when it is allowed, records it against every tier. */
  check(accountId: string, token: string, nowMs: number): LimitDecision {
    const acct = this.account(accountId);
    const tok = this.token(token);

    const tokenVerdict = tok.peek(nowMs);
    if (!tokenVerdict.allowed) return this.trutoRefusal('truto-token', tok, nowMs, 'API token');
    const trutoVerdict = acct.truto.peek(nowMs);
    if (!trutoVerdict.allowed) return this.trutoRefusal('truto-account', acct.truto, nowMs, 'integrated account');

    // From here the request has passed Truto, so it counts there whatever Gong says.
    tok.admit(nowMs);
    acct.truto.admit(nowMs);

    const forced = this.takeForced(accountId, nowMs);
    if (forced) return forced;

    const second = acct.gongSecond.peek(nowMs);
    if (!second.allowed) {
      const retryAfterSeconds = toSeconds(second.retryAfterMs);
      return {
        allowed: false,
        tier: 'gong-second',
        retryAfterSeconds,
        message: 'API request limit exceeded',
        headers: {
          'retry-after': String(retryAfterSeconds),
          'ratelimit-limit': `${acct.gongSecond.limit};w=1`,
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(retryAfterSeconds),
        },
      };
    }
    if (!acct.gongDay.hasRoom(nowMs)) {
      const retryAfterSeconds = toSeconds(DailyCounter.msUntilNextUtcDay(nowMs));
      return {
        allowed: false,
        tier: 'gong-day',
        retryAfterSeconds,
        message: 'API request limit exceeded (daily quota)',
        headers: {
          'retry-after': String(retryAfterSeconds),
          'ratelimit-limit': `${acct.gongDay.limit};w=86400`,
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(retryAfterSeconds),
        },
      };
    }
    acct.gongSecond.admit(nowMs);
    acct.gongDay.consume(nowMs);
    return { allowed: true, headers: this.trutoHeaders(accountId, nowMs) };
  }

  /** Truto's per-account window as `ratelimit-*` headers, sent on every non-429 proxy response. */
  trutoHeaders(accountId: string, nowMs: number): Record<string, string> {
    const w = this.account(accountId).truto;
    return {
      'ratelimit-limit': `${w.limit};w=${TRUTO_WINDOW_MS / 1000}`,
      'ratelimit-remaining': String(w.remaining(nowMs)),
      'ratelimit-reset': String(toSeconds(w.resetMs(nowMs) || TRUTO_WINDOW_MS)),
    };
  }

  private trutoRefusal(
    tier: 'truto-account' | 'truto-token',
    w: SlidingWindow,
    nowMs: number,
    what: string,
  ): LimitDecision {
    return {
      allowed: false,
      tier,
      retryAfterSeconds: TRUTO_RETRY_AFTER_SECONDS,
      message: `Rate limit exceeded for this ${what}: ${w.limit} requests per ${TRUTO_WINDOW_MS / 1000} seconds`,
      headers: {
        'retry-after': String(TRUTO_RETRY_AFTER_SECONDS),
        'ratelimit-limit': `${w.limit};w=${TRUTO_WINDOW_MS / 1000}`,
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(toSeconds(w.peek(nowMs).retryAfterMs)),
      },
    };
  }

  /**
   * Answers the account's next requests with 429 for `resetSeconds` from `nowMs` (or only the next
   * `count` of them), with `retry-after` and `ratelimit-reset` counting down to the end of the
   * period, the way Gong reports a company's exhausted limit. Other accounts are untouched.
   */
  force429(accountId: string, resetSeconds: number, nowMs: number, count?: number): void {
    this.forced.set(accountId, { untilMs: nowMs + resetSeconds * 1000, left: count ?? Infinity });
  }

  private takeForced(accountId: string, nowMs: number): LimitDecision | undefined {
    const f = this.forced.get(accountId);
    if (!f) return undefined;
    if (nowMs >= f.untilMs || f.left <= 0) {
      this.forced.delete(accountId);
      return undefined;
    }
    f.left -= 1;
    const retryAfterSeconds = toSeconds(f.untilMs - nowMs);
    return {
      allowed: false,
      tier: 'forced',
      retryAfterSeconds,
      message: 'API request limit exceeded',
      headers: {
        'retry-after': String(retryAfterSeconds),
        'ratelimit-limit': `${this.account(accountId).gongSecond.limit};w=1`,
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(retryAfterSeconds),
      },
    };
  }

  /** Forgets every window and forced 429 (between benchmark runs). */
  reset(): void {
    this.accounts.clear();
    this.tokens.clear();
    this.forced.clear();
  }
}
