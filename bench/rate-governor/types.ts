/** What the benchmark's parent hands each child process, and what a child reports back. */

/** governed: the fleet's trutoGate over one shared RateGovernor; naive: no gate, retry on 429. */
export type Mode = 'governed' | 'naive';

export interface ChildArgs {
  mode: Mode;
  /** Sandbox URL (TRUTO_BASE_URL) and its API token. */
  baseUrl: string;
  apiKey: string;
  redisUrl: string;
  /** Fresh hash-tagged governor prefix per run, e.g. `{gf-bench-…}:gov`. */
  prefix: string;
  accounts: string[];
  /** An account outside the measured ones, for warm-up calls before the start. */
  warmupAccount: string;
  /** Call ids per account, for `get_single_gong_call_by_id`. */
  callIds: Record<string, string[]>;
  /** Slots (concurrent calls) in this process. */
  concurrency: number;
  processIndex: number;
  /** Sent on stdin once every child is ready (0 until then). */
  startAtMs: number;
  endAtMs: number;
  gongPerSecond: number;
  trutoPerAccountPer10s: number;
  trutoPerTokenPer10s: number;
}

export interface ChildReport {
  pid: number;
  /** Successful calls per account. */
  ok: Record<string, number>;
  /** 429 responses this process received, per account. */
  seen429: Record<string, number>;
  /** Times a governed slot parked an account instead of waiting inline. */
  parked: number;
  /** Other failures (should stay 0). */
  errors: number;
  /** Governor round trips (governed only), ms. */
  reserveMs: number[];
  observeMs: number[];
}
