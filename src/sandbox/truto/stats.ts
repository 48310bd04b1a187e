/**
 * What the sandbox saw, for tests and benchmarks: per integrated account, when each proxy request
 * arrived and when it was let through to Gong (so a benchmark can prove a limit held with
 * `maxInAnyWindow`), how many were refused, and counts by route and status. Per tool: how often it
 * was called and which argument keys arrived that its schema does not declare (the sandbox's Truto
 * drops those, so a test can prove the fleet never lost an argument).
 */

export interface AccountStats {
  /** Proxy requests received. */
  requests: number;
  /** Arrival time of every proxy request, epoch ms, in order. */
  arrivalsMs: number[];
  /** When each request was passed on to Gong (not refused or faulted), epoch ms. */
  forwardedMs: number[];
  /** 429s sent for this account, whatever their cause. */
  rateLimited: number;
  /** 429s by cause: gong-second, gong-day, truto-account, truto-token, fault. */
  rateLimitedBy: Record<string, number>;
  /** Requests by route, e.g. `POST /proxy/calls_transcript`, `GET /proxy/calls/:id`. */
  byPath: Record<string, number>;
  /** Responses by status code. */
  byStatus: Record<string, number>;
}

export interface FaultStats {
  errors5xx: number;
  timeouts: number;
  bursts429: number;
}

export interface TrutoStats {
  /** Epoch ms when counting started (start or last reset). */
  sinceMs: number;
  proxyRequests: number;
  /** Proxy requests of every account by path, ids folded: `/proxy/calls_transcript`, `/proxy/calls/:id`. */
  requestsByPath: Record<string, number>;
  accounts: Record<string, AccountStats>;
  faults: { truto: FaultStats; llm: FaultStats };
  /** Proxy requests by tool name (every account). */
  requestsByTool: Record<string, number>;
  /**
   * Tool name → undeclared argument key → requests that carried it (nested keys dotted, e.g.
   * `filter.foo`). Such arguments were dropped, never forwarded to Gong. Empty when none arrived.
   */
  unknownArgs: Record<string, Record<string, number>>;
}

const emptyFaults = (): FaultStats => ({ errors5xx: 0, timeouts: 0, bursts429: 0 });

function emptyAccount(): AccountStats {
  return { requests: 0, arrivalsMs: [], forwardedMs: [], rateLimited: 0, rateLimitedBy: {}, byPath: {}, byStatus: {} };
}

const bump = (map: Record<string, number>, key: string): void => {
  map[key] = (map[key] ?? 0) + 1;
};

export class StatsRecorder {
  private data: TrutoStats;

  constructor(private readonly clock: () => number) {
    this.data = this.fresh();
  }

  private fresh(): TrutoStats {
    return {
      sinceMs: this.clock(), proxyRequests: 0, requestsByPath: {}, accounts: {},
      faults: { truto: emptyFaults(), llm: emptyFaults() }, requestsByTool: {}, unknownArgs: {},
    };
  }

  private account(accountId: string): AccountStats {
    let a = this.data.accounts[accountId];
    if (!a) {
      a = emptyAccount();
      this.data.accounts[accountId] = a;
    }
    return a;
  }

  arrived(accountId: string, route: string, atMs: number): void {
    const a = this.account(accountId);
    this.data.proxyRequests += 1;
    a.requests += 1;
    a.arrivalsMs.push(atMs);
    bump(a.byPath, route);
    bump(this.data.requestsByPath, route.slice(route.indexOf(' ') + 1));
  }

  /** A proxy request resolved to `tool`, with the argument keys its schema does not declare. */
  toolCalled(tool: string, unknownArgs: readonly string[]): void {
    bump(this.data.requestsByTool, tool);
    if (unknownArgs.length === 0) return;
    const perTool = (this.data.unknownArgs[tool] ??= {});
    for (const key of new Set(unknownArgs)) bump(perTool, key);
  }

  forwarded(accountId: string, atMs: number): void {
    this.account(accountId).forwardedMs.push(atMs);
  }

  answered(accountId: string, status: number, rateLimitCause?: string): void {
    const a = this.account(accountId);
    bump(a.byStatus, String(status));
    if (status === 429) {
      a.rateLimited += 1;
      bump(a.rateLimitedBy, rateLimitCause ?? 'unknown');
    }
  }

  fault(side: 'truto' | 'llm', kind: keyof FaultStats): void {
    this.data.faults[side][kind] += 1;
  }

  /** A deep copy, safe to hand out. */
  snapshot(): TrutoStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = this.fresh();
  }
}
