/**
 * Contracts between the sandbox's layers. The HTTP server (Truto layer) turns a proxy call into a
 * GongRequest, hands it to the Gong API simulation, and wraps the GongResponse the way Truto does.
 * The world (generated data) is shared by both.
 */

/** A request as Gong's v2 REST API would receive it (after Truto's proxy mapping). */
export interface GongRequest {
  /** Integrated account id: which simulated Gong company this is. */
  accountId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Gong path, e.g. `/v2/calls`, `/v2/calls/123`, `/v2/tasks/77`. */
  path: string;
  /** Query parameters (already URL-decoded; repeated keys become arrays). */
  query: Record<string, string | string[]>;
  /** Parsed JSON body, or undefined. */
  body?: unknown;
  /** Multipart file parts by field name (e.g. `dataFile` for CRM uploads). */
  files?: Record<string, Buffer>;
}

/** Gong's raw response: the body exactly as Gong would send it (errors: `{requestId, errors}`). */
export interface GongResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface GongApi {
  handle(req: GongRequest): GongResponse | Promise<GongResponse>;
}

/** An integrated account as the sandbox's Truto layer sees it. */
export interface SandboxAccountInfo {
  /** Truto integrated account id (UUID). */
  id: string;
  /** The Gong customer company, e.g. "Northwind Software". */
  companyName: string;
  /**
   * Gong OAuth scopes the account's live token holds, e.g. `api:calls:read:transcript`: what Gong
   * checks. Truto's `/tools` filters by the scopes recorded at connect time, which `revokeScope`
   * leaves alone.
   */
  scopes: string[];
  /** Optional per-account Gong limits (some companies have raised limits). */
  gongLimits?: { perSecond?: number; perDay?: number };
}
