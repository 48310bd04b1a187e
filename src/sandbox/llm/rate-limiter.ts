/**
 * The sandbox model's requests-per-minute and tokens-per-minute limits: a sliding 60 s window, plus
 * the `x-ratelimit-*` headers OpenAI sends on every response.
 */

const WINDOW_MS = 60_000;

interface WindowEntry {
  atMs: number;
  tokens: number;
}

export interface RateLimiterOptions {
  /** Requests admitted per sliding minute. */
  requestsPerMinute: number;
  /** Tokens (prompt + completion) admitted per sliding minute. */
  tokensPerMinute: number;
  clock: () => number;
}

export type Admission =
  | { ok: true; entry: { setTokens(tokens: number): void } }
  | { ok: false; type: 'requests' | 'tokens'; retryAfterMs: number; message: string };

export interface RateLimiter {
  /** Admits a request that may use up to `estimatedTokens`, or says which limit it hit. */
  admit(estimatedTokens: number): Admission;
  /** The six `x-ratelimit-*` headers as of now. */
  headers(): Record<string, string>;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const entries: WindowEntry[] = [];

  function prune(nowMs: number): void {
    while (entries.length > 0 && entries[0]!.atMs <= nowMs - WINDOW_MS) entries.shift();
  }

  function usedTokens(): number {
    let sum = 0;
    for (const e of entries) sum += e.tokens;
    return sum;
  }

  /** Time until enough of the window expires that `needed` more tokens fit. */
  function msUntilTokensFit(nowMs: number, needed: number): number {
    let used = usedTokens();
    for (const e of entries) {
      if (used + needed <= opts.tokensPerMinute) break;
      used -= e.tokens;
      if (used + needed <= opts.tokensPerMinute) return e.atMs + WINDOW_MS - nowMs;
    }
    return used + needed <= opts.tokensPerMinute ? 0 : WINDOW_MS;
  }

  function msUntilOldestExpires(nowMs: number): number {
    const oldest = entries[0];
    return oldest ? Math.max(0, oldest.atMs + WINDOW_MS - nowMs) : 0;
  }

  return {
    admit(estimatedTokens) {
      const nowMs = opts.clock();
      prune(nowMs);
      if (entries.length >= opts.requestsPerMinute) {
        return {
          ok: false,
          type: 'requests',
          retryAfterMs: Math.max(1, msUntilOldestExpires(nowMs)),
          message:
            `Rate limit reached for requests per min (RPM): Limit ${opts.requestsPerMinute}, ` +
            `Used ${entries.length}, Requested 1. Please try again in ${formatDuration(msUntilOldestExpires(nowMs))}.`,
        };
      }
      const used = usedTokens();
      if (used + estimatedTokens > opts.tokensPerMinute) {
        // Like OpenAI, a request larger than the whole budget is still a 429 (it can never fit).
        const waitMs = msUntilTokensFit(nowMs, estimatedTokens);
        return {
          ok: false,
          type: 'tokens',
          retryAfterMs: Math.max(1, waitMs),
          message:
            `Rate limit reached for tokens per min (TPM): Limit ${opts.tokensPerMinute}, ` +
            `Used ${used}, Requested ${estimatedTokens}. Please try again in ${formatDuration(waitMs)}.`,
        };
      }
      const entry: WindowEntry = { atMs: nowMs, tokens: estimatedTokens };
      entries.push(entry);
      return {
        ok: true,
        // Admission reserves prompt + max output (as OpenAI estimates); billing corrects it after.
        entry: { setTokens: (tokens) => void (entry.tokens = tokens) },
      };
    },

    headers() {
      const nowMs = opts.clock();
      prune(nowMs);
      // "reset" is when the next slot frees up (the oldest entry leaves the window): that is the
      // wait that matters to a client at zero remaining, and equals retry-after on a 429.
      const resetMs = msUntilOldestExpires(nowMs);
      return {
        'x-ratelimit-limit-requests': String(opts.requestsPerMinute),
        'x-ratelimit-remaining-requests': String(Math.max(0, opts.requestsPerMinute - entries.length)),
        'x-ratelimit-reset-requests': formatDuration(resetMs),
        'x-ratelimit-limit-tokens': String(opts.tokensPerMinute),
        'x-ratelimit-remaining-tokens': String(Math.max(0, opts.tokensPerMinute - usedTokens())),
        'x-ratelimit-reset-tokens': formatDuration(resetMs),
      };
    },
  };
}

/**
 * OpenAI's duration format (Go's `time.Duration.String` at millisecond precision):
 * `0s`, `120ms`, `1s`, `8.64s`, `6m0s`, `1m26.4s`, `1h0m0s`.
 */
export function formatDuration(ms: number): string {
  const totalMs = Math.max(0, Math.round(ms));
  if (totalMs === 0) return '0s';
  if (totalMs < 1000) return `${totalMs}ms`;
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const secondsMs = totalMs % 60_000;
  const seconds = `${trimDecimals(secondsMs / 1000)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

function trimDecimals(value: number): string {
  return value.toFixed(3).replace(/\.?0+$/, '');
}
