/** Which generic-CRM integration an upload goes to: the one named, checked, or the company's only one. */
import { BadInputError } from '../../platform/index.ts';
import type { TrutoClient } from '../../upstream/index.ts';

export async function resolveIntegration(truto: Pick<TrutoClient, 'collectAll'>, accountId: string, requested?: string): Promise<string> {
  const items = await truto.collectAll<{ integrationId?: unknown; name?: unknown }>(accountId, 'list_all_gong_crm_integrations', {});
  const ids = items.map((i) => String(i.integrationId ?? '')).filter(Boolean);
  if (requested !== undefined) {
    if (!ids.includes(requested)) {
      throw new BadInputError(`unknown CRM integration "${requested}" on account ${accountId}${ids.length ? `; it has ${ids.join(', ')}` : '; it has none'}`);
    }
    return requested;
  }
  const [only] = ids;
  if (only === undefined) throw new BadInputError(`account ${accountId} has no generic CRM integration to upload to (register one in Gong first)`);
  // Gong allows one generic integration per company; more than one would be ambiguous.
  if (ids.length > 1) throw new BadInputError(`account ${accountId} has several CRM integrations (${ids.join(', ')}); pick one with --integration-id`);
  return only;
}
