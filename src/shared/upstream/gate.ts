/**
 * The seam between upstream clients (Truto, the LLM provider) and the fleet-wide rate governor.
 * A client calls `acquire` before every upstream request and `observe` after every response, so
 * every process in the fleet acts as one well-behaved client per account. Clients know nothing
 * about Redis; the governor knows nothing about HTTP bodies.
 */
export interface GateKey {
  /** What is being limited, e.g. a Truto integrated account id or `llm:<model>`. */
  bucket: string;
  /** Cost of this request in the bucket's units (1 request, or estimated tokens). Default 1. */
  cost?: number;
}

export interface ObservedResponse {
  status: number;
  /** Response headers, lower-cased names. */
  headers: Record<string, string>;
  /** Actual cost once known (e.g. tokens used), to correct an estimate. Optional. */
  actualCost?: number;
  /** The ticket `acquire` returned for this request, so an estimate can be corrected where it was counted. */
  ticket?: GateTicket;
  /** A refused response's error message, for limits only the text names (OpenAI's 429 "Limit N"). Optional. */
  message?: string;
}

/** What a gate booked for one request: the slot and the cost counted, so `observe` can refund the difference. */
export interface GateTicket {
  /** The booked slot, epoch ms (Redis time). */
  slotAtMs: number;
  /** The cost counted against the bucket's limits. */
  cost: number;
}

export interface RequestGate {
  /**
   * Resolves when the request may go out (after sleeping for short waits). Throws a
   * `RetryAfterError` (see errors.ts) when the wait is too long to hold a worker slot, so the
   * caller can delay the job instead, and a `NonRetryableError` when the wait is unbounded.
   * A gate that can correct estimates (the LLM's) returns a ticket to pass back to `observe`.
   */
  acquire(key: GateKey): Promise<GateTicket | void>;
  /** Learns from a response: rate-limit headers, 429s, `retry-after`. Never throws. */
  observe(key: GateKey, response: ObservedResponse): Promise<void>;
}

/** A gate that never waits: for tests and one-off CLI reads that must not be throttled. */
export const openGate: RequestGate = {
  async acquire() {},
  async observe() {},
};
