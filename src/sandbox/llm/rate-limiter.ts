/**
 * The sandbox model's requests-per-minute and tokens-per-minute limits: a sliding 60 s window, plus
 * the `x-ratelimit-*` headers OpenAI sends on every response. Either limit can be absent (a
 * self-hosted server refuses nothing) and the headers can be withheld (a provider that only
 * answers 429, or a server that has no limits to announce).
 */

const WINDOW_MS = 60_000;

interface WindowEntry {
  atMs: number;
  tokens: number;
}

export interface RateLimiterOptions {
  /** Requests admitted per sliding minute; null = no limit. */
  requestsPerMinute: number | null;
  /** Tokens (prompt + completion) admitted per sliding minute; null = no limit. */
  tokensPerMinute: number | null;
  /** Whether `headers()` announces the limits (only those that exist). Default true. */
  sendHeaders?: boolean;
  clock: () => number;
}

export type Admission =
  | { ok: true; entry: { setTokens(tokens: number): void } }
  | { ok: false; type: 'requests' | 'tokens'; retryAfterMs: number; message: string };

export interface RateLimiter {
  /** Admits a request that may use up to `estimatedTokens`, or says which limit it hit. */
  admit(estimatedTokens: number): Admission;
  /** The `x-ratelimit-*` headers as of now: three per limit that exists, none when withheld. */
  headers(): Record<string, string>;
  /** Forgets the window (between benchmark runs). */
  reset(): void;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const entries: WindowEntry[] = [];
  const rpm = opts.requestsPerMinute;
  const tpm = opts.tokensPerMinute;
  const sendHeaders = opts.sendHeaders ?? true;

  function prune(nowMs: number): void {
    while (entries.length > 0 && entries[0]!.atMs <= nowMs - WINDOW_MS) entries.shift();
  }

  function usedTokens(): number {
    let sum = 0;
    for (const e of entries) sum += e.tokens;
    return sum;
  }

  /** Time until enough of the window expires that `needed` more tokens fit. */
  function msUntilTokensFit(nowMs: number, needed: number, limit: number): number {
    let used = usedTokens();
    for (const e of entries) {
      if (used + needed <= limit) break;
      used -= e.tokens;
      if (used + needed <= limit) return e.atMs + WINDOW_MS - nowMs;
    }
    return used + needed <= limit ? 0 : WINDOW_MS;
  }

  function msUntilOldestExpires(nowMs: number): number {
    const oldest = entries[0];
    return oldest ? Math.max(0, oldest.atMs + WINDOW_MS - nowMs) : 0;
  }

  return {
    admit(estimatedTokens) {
      const nowMs = opts.clock();
      prune(nowMs);
      if (rpm !== null && entries.length >= rpm) {
        return {
          ok: false,
          type: 'requests',
          retryAfterMs: Math.max(1, msUntilOldestExpires(nowMs)),
          message:
            `Rate limit reached for requests per min (RPM): Limit ${rpm}, ` +
            `Used ${entries.length}, Requested 1. Please try again in ${formatDuration(msUntilOldestExpires(nowMs))}.`,
        };
      }
      const used = usedTokens();
      if (tpm !== null && used + estimatedTokens > tpm) {
        // Like OpenAI, a request larger than the whole budget is still a 429 (it can never fit).
        const waitMs = msUntilTokensFit(nowMs, estimatedTokens, tpm);
        return {
          ok: false,
          type: 'tokens',
          retryAfterMs: Math.max(1, waitMs),
          message:
            `Rate limit reached for tokens per min (TPM): Limit ${tpm}, ` +
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
      if (!sendHeaders) return {};
      const nowMs = opts.clock();
      prune(nowMs);
      // "reset" is when the next slot frees up (the oldest entry leaves the window): that is the
      // wait that matters to a client at zero remaining, and equals retry-after on a 429.
      const resetMs = formatDuration(msUntilOldestExpires(nowMs));
      const out: Record<string, string> = {};
      if (rpm !== null) {
        out['x-ratelimit-limit-requests'] = String(rpm);
        out['x-ratelimit-remaining-requests'] = String(Math.max(0, rpm - entries.length));
        out['x-ratelimit-reset-requests'] = resetMs;
      }
      if (tpm !== null) {
        out['x-ratelimit-limit-tokens'] = String(tpm);
        out['x-ratelimit-remaining-tokens'] = String(Math.max(0, tpm - usedTokens()));
        out['x-ratelimit-reset-tokens'] = resetMs;
      }
      return out;
    },

    reset() {
      entries.length = 0;
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
