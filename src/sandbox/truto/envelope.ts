/**
 * Truto's error envelope (truto-api.md §4): `{statusCode, error, message}` for Truto's own errors;
 * provider errors add `truto_is_remote_error: true` and `raw_response` (the provider's body), and a
 * 403 adds `truto_error_insight.forbidden_error` naming the missing scopes (the corrections in
 * truto-api.md: the insight sits under `truto_error_insight`, not at the top level).
 */
import { STATUS_CODES } from 'node:http';

export interface TrutoErrorBody {
  statusCode: number;
  error: string;
  message: string;
  truto_is_remote_error?: true;
  raw_response?: unknown;
  truto_error_insight?: { forbidden_error: { description: string; value: { missing_scopes: string[] } } };
  details?: unknown;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** An error Truto raises itself (auth, validation, its own rate limits, routing). */
export function trutoError(status: number, message: string, headers: Record<string, string> = {}, details?: unknown): HttpReply {
  const body: TrutoErrorBody = { statusCode: status, error: statusText(status), message };
  if (details !== undefined) body.details = details;
  return { status, headers, body };
}

const SCOPE_PATTERN = /api:[a-z0-9-]+(?::[a-z0-9-]+)+/i;

/** Gong's first error string, if its body has the usual `{requestId, errors: [string]}` shape. */
export function gongMessage(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) {
    const first: unknown = errors[0];
    if (typeof first === 'string') return first;
    if (first !== undefined) return JSON.stringify(first);
  }
  return '';
}

/**
 * Gong's error, forwarded with the same status. On a 403 the missing scope is taken from Gong's
 * message, falling back to the scope the tool is known to need.
 */
export function remoteError(
  status: number,
  gongBody: unknown,
  headers: Record<string, string> = {},
  neededScope?: string,
): HttpReply {
  const message = gongMessage(gongBody) || statusText(status);
  const body: TrutoErrorBody = {
    statusCode: status,
    error: statusText(status),
    message,
    truto_is_remote_error: true,
    raw_response: gongBody,
  };
  if (status === 403) {
    const scope = SCOPE_PATTERN.exec(message)?.[0] ?? neededScope;
    body.truto_error_insight = {
      forbidden_error: {
        description: scope
          ? `The integrated account is missing the scope ${scope} required for this call.`
          : 'The integrated account is not allowed to make this call.',
        value: { missing_scopes: scope ? [scope] : [] },
      },
    };
  }
  return { status, headers, body };
}
