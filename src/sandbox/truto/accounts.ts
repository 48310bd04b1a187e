/**
 * Truto's platform routes over the sandbox's integrated accounts: the admin list
 * (`GET /integrated-account`, shape `{result, next_cursor, limit}`), one account, and its tools.
 */
import type { SandboxAccountInfo } from '../types.ts';
import { trutoError, type HttpReply } from './envelope.ts';
import { asList, asString, type ParsedQuery } from './query.ts';
import { publicTool, toolsFor, type ProfileTool } from './tool-view.ts';

// A fixed date keeps the listing byte-identical across runs with the same seed.
const CONNECTED_AT = '2025-01-06T09:30:00.000Z';
const ENVIRONMENT_ID = '7d1f8b8e-2c36-4a55-9a43-5e2f6c0b9a10';

function tenantId(companyName: string): string {
  return companyName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'tenant';
}

/**
 * An integrated account as Truto's admin API shows it. `connectedScopes` are the scopes granted at
 * connect time (Truto's copy); the live token may have lost some since. Default: the account's.
 */
export function integratedAccount(a: SandboxAccountInfo, connectedScopes: readonly string[] = a.scopes): Record<string, unknown> {
  return {
    id: a.id,
    tenant_id: tenantId(a.companyName),
    environment_id: ENVIRONMENT_ID,
    integration: { name: 'gong', label: 'Gong', category: 'sales_enablement' },
    status: 'active',
    is_sandbox: false,
    authentication_method: 'oauth2',
    context: {
      company_name: a.companyName,
      // OAuth scopes granted at connect time; Truto keeps them in the account's context.
      scope: connectedScopes.join(' '),
    },
    created_at: CONNECTED_AT,
    updated_at: CONNECTED_AT,
  };
}

export function listIntegratedAccounts(
  accounts: readonly SandboxAccountInfo[],
  query: ParsedQuery,
  connectedScopes: (a: SandboxAccountInfo) => readonly string[] = (a) => a.scopes,
): HttpReply {
  const limitText = asString(query.limit);
  const limit = limitText ? Number(limitText) : 100;
  if (!Number.isSafeInteger(limit) || limit <= 0) return trutoError(400, 'limit must be a positive integer');
  const tenant = asString(query.tenant_id);
  const all = accounts.map((a) => integratedAccount(a, connectedScopes(a))).filter((a) => !tenant || a.tenant_id === tenant);
  const offsetText = asString(query.next_cursor);
  const offset = offsetText ? Number(Buffer.from(offsetText, 'base64url').toString('utf8')) : 0;
  if (!Number.isSafeInteger(offset) || offset < 0) return trutoError(400, 'next_cursor is invalid');
  const page = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
  return { status: 200, headers: {}, body: { result: page, next_cursor: next, limit } };
}

/**
 * `GET /integrated-account/:id/tools`: the profile's tools that `listedScopes` allow (all of them
 * when undefined: the profile lists unscoped tools), after Truto's filters. Tools without a
 * description only with `has_description=false`.
 */
export function listTools(tools: readonly ProfileTool[], listedScopes: readonly string[] | undefined, query: ParsedQuery): HttpReply {
  const methods = asList(query.methods);
  const tags = asList(query.tags);
  const hasDescription = asString(query.has_description)?.toLowerCase() !== 'false';
  const result = toolsFor(tools, listedScopes, { methods, tags, hasDescription }).map(publicTool);
  return { status: 200, headers: {}, body: { result, next_cursor: null } };
}
