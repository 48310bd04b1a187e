/**
 * Tokens and requests the sandbox model served over time, in one-second buckets, so a benchmark can
 * read the rate it achieved (last minute, busiest minute, average) without sampling it itself.
 */

const BUCKET_MS = 1_000;
const WINDOW_BUCKETS = 60;
/** Buckets kept: a day is longer than any benchmark and costs ~86k small entries at most. */
const RETAIN_BUCKETS = 86_400;

export interface ThroughputStats {
  /** Prompt + completion tokens answered in the last 60 s. */
  tokensLastMinute: number;
  /** Most prompt + completion tokens answered in any 60 s window (1 s resolution) since `sinceMs`. */
  peakTokensPerMinute: number;
  /** Most requests answered in any 60 s window since `sinceMs`. */
  peakRequestsPerMinute: number;
  /** Epoch ms of the first and last answer since `sinceMs` (1 s resolution at `sinceMs`); null before the first. */
  firstAnswerAtMs: number | null;
  lastAnswerAtMs: number | null;
  /**
   * Tokens answered per minute between the first and the last answer since `sinceMs` (the
   * achieved rate of a run); null until two answers are at least one second apart.
   */
  averageTokensPerMinute: number | null;
}

interface Bucket {
  tokens: number;
  requests: number;
}

export interface Throughput {
  /** One answered request of `tokens` (prompt + completion) at `atMs`. */
  record(atMs: number, tokens: number): void;
  summary(nowMs: number, sinceMs?: number): ThroughputStats;
}

export function createThroughput(): Throughput {
  const buckets = new Map<number, Bucket>();
  // Per-answer times are needed only for first/last since a moment: keep the ends per bucket.
  const ends = new Map<number, { firstMs: number; lastMs: number }>();

  return {
    record(atMs, tokens) {
      const key = Math.floor(atMs / BUCKET_MS);
      const b = buckets.get(key) ?? { tokens: 0, requests: 0 };
      b.tokens += tokens;
      b.requests += 1;
      buckets.set(key, b);
      const e = ends.get(key);
      if (e) {
        e.firstMs = Math.min(e.firstMs, atMs);
        e.lastMs = Math.max(e.lastMs, atMs);
      } else {
        ends.set(key, { firstMs: atMs, lastMs: atMs });
      }
      if (buckets.size > RETAIN_BUCKETS) {
        // Buckets are created in time order, so the Map's first key is the oldest.
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) {
          buckets.delete(oldest);
          ends.delete(oldest);
        }
      }
    },

    summary(nowMs, sinceMs = Number.NEGATIVE_INFINITY) {
      const nowKey = Math.floor(nowMs / BUCKET_MS);
      const keys = [...buckets.keys()].filter((k) => (k + 1) * BUCKET_MS > sinceMs).sort((a, b) => a - b);
      let tokensLastMinute = 0;
      for (const k of keys) if (k > nowKey - WINDOW_BUCKETS) tokensLastMinute += buckets.get(k)!.tokens;

      // Sliding 60-bucket sums over the recorded keys (gaps count as empty buckets).
      let peakTokens = 0;
      let peakRequests = 0;
      let windowTokens = 0;
      let windowRequests = 0;
      let tail = 0;
      for (let i = 0; i < keys.length; i += 1) {
        const k = keys[i]!;
        const b = buckets.get(k)!;
        windowTokens += b.tokens;
        windowRequests += b.requests;
        while (keys[tail]! <= k - WINDOW_BUCKETS) {
          const old = buckets.get(keys[tail]!)!;
          windowTokens -= old.tokens;
          windowRequests -= old.requests;
          tail += 1;
        }
        peakTokens = Math.max(peakTokens, windowTokens);
        peakRequests = Math.max(peakRequests, windowRequests);
      }

      const firstKey = keys[0];
      const lastKey = keys[keys.length - 1];
      const firstAnswerAtMs = firstKey === undefined ? null : Math.max(ends.get(firstKey)!.firstMs, sinceMs);
      const lastAnswerAtMs = lastKey === undefined ? null : ends.get(lastKey)!.lastMs;
      let total = 0;
      for (const k of keys) total += buckets.get(k)!.tokens;
      const spanMs = firstAnswerAtMs === null || lastAnswerAtMs === null ? 0 : lastAnswerAtMs - firstAnswerAtMs;
      return {
        tokensLastMinute,
        peakTokensPerMinute: peakTokens,
        peakRequestsPerMinute: peakRequests,
        firstAnswerAtMs,
        lastAnswerAtMs,
        averageTokensPerMinute: spanMs >= BUCKET_MS ? Math.round((total * 60_000) / spanMs) : null,
      };
    },
  };
}
