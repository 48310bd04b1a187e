/**
 * Which generic-CRM integration a CRM call goes to: the one named (checked against the account's
 * CRM-integrations tool when it has one), or the company's only one. No public source lists a
 * CRM-integrations tool among Truto's Gong tools, so without one the id must be given
 * (`--integration-id`) and is used as given: Gong itself refuses an unknown one.
 */
import { BadInputError } from '../../platform/index.ts';
import { retryRead, ToolAbsentError, type AccountCapabilities } from '../../upstream/index.ts';

export interface ResolvedIntegration {
  integrationId: string;
  /** False when no CRM-integrations tool could confirm it (taken as given). */
  verified: boolean;
  requests: number;
}

export async function resolveIntegration(caps: AccountCapabilities, requested: string | undefined, flag = '--integration-id'): Promise<ResolvedIntegration> {
  const accountId = caps.accountId;
  if (!caps.has('crm-integrations')) {
    if (requested !== undefined) return { integrationId: requested, verified: false, requests: 0 };
    const problem = caps.problem('crm-integrations');
    const why = problem instanceof ToolAbsentError ? `lists no CRM-integrations tool (looked for ${problem.candidates.join(', ')})` : `cannot use its CRM-integrations tool (${problem?.message ?? 'unusable'})`;
    throw new BadInputError(`account ${accountId} ${why} to look the integration up; pass ${flag} <id> (Gong: Admin → Company settings → CRM integration)`);
  }
  // Read while planning (crm-sync, an autopsy by CRM id): retried here, callers do not wrap it again.
  const items = await retryRead('CRM integration lookup', () => caps.collect('crm-integrations', {}));
  const ids = items.map((i) => i.integrationId).filter(Boolean);
  if (requested !== undefined) {
    if (!ids.includes(requested)) {
      throw new BadInputError(`unknown CRM integration "${requested}" on account ${accountId}${ids.length ? `; it has ${ids.join(', ')}` : '; it has none'}`);
    }
    return { integrationId: requested, verified: true, requests: 1 };
  }
  const [only] = ids;
  if (only === undefined) throw new BadInputError(`account ${accountId} has no generic CRM integration to upload to (register one in Gong first)`);
  // Gong allows one generic integration per company; more than one would be ambiguous.
  if (ids.length > 1) throw new BadInputError(`account ${accountId} has several CRM integrations (${ids.join(', ')}); pick one with ${flag}`);
  return { integrationId: only, verified: true, requests: 1 };
}
