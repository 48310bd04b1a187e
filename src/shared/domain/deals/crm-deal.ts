/**
 * A deal read from Gong's CRM by its CRM id (the seed's first step: CRM entities, then calls):
 * its name, stage, amount and account. Gong's CRM API reads by id only (no search), so this serves
 * `--deal <crm id>`; a name goes through the calls instead.
 */
import { BadInputError } from '../../platform/index.ts';
import { retryRead, ToolAbsentError, type AccountCapabilities, type CrmEntity } from '../../upstream/index.ts';
import { resolveIntegration } from '../crm/integration.ts';

export interface CrmDeal {
  /** The deal's CRM id; undefined when the id given was its account's. */
  crmId?: string;
  name: string;
  stage?: string;
  amount?: string;
  accountCrmId?: string;
  accountName?: string;
  requests: number;
}

/** A CRM id as Gong's generic CRM and Salesforce write them: no spaces, some digits. */
export function looksLikeCrmId(value: string): boolean {
  return /^[A-Za-z0-9_-]{5,64}$/.test(value) && /\d/.test(value);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

export async function readCrmDeal(caps: AccountCapabilities, crmId: string, integrationId: string | undefined): Promise<CrmDeal> {
  const accountId = caps.accountId;
  if (!caps.has('crm-entities')) {
    const problem = caps.problem('crm-entities');
    throw new BadInputError(
      `--deal ${crmId} looks like a CRM id, but account ${accountId} ${problem instanceof ToolAbsentError ? 'lists no CRM-entities tool to read it' : `cannot use its CRM-entities tool (${problem?.message ?? 'unusable'})`}; give the deal's account name as it appears in call titles, or summarize known calls with: gong-fleet summarize --account ${accountId} --call-ids <ids>`,
    );
  }
  const integration = await resolveIntegration(caps, integrationId);
  let requests = integration.requests;
  const read = async (objectType: 'DEAL' | 'ACCOUNT', id: string): Promise<CrmEntity | undefined> => {
    requests += 1;
    const found = await retryRead(`CRM ${objectType} read`, () => caps.collect('crm-entities', { integrationId: integration.integrationId, objectType, objectsCrmIds: [id] }));
    return found.find((e) => e.objectId === id);
  };
  const deal = await read('DEAL', crmId);
  if (deal) {
    const accountCrmId = str(deal.accountId);
    const account = accountCrmId ? await read('ACCOUNT', accountCrmId) : undefined;
    const stage = str(deal.stage);
    const amount = str(deal.amount);
    const accountName = str(account?.name);
    return {
      crmId,
      name: str(deal.name) ?? crmId,
      ...(stage ? { stage } : {}),
      ...(amount ? { amount } : {}),
      ...(accountCrmId ? { accountCrmId } : {}),
      ...(accountName ? { accountName } : {}),
      requests,
    };
  }
  // The id may be the account's: its calls define the deal then, as with a name.
  const account = await read('ACCOUNT', crmId);
  const accountName = str(account?.name);
  if (account && accountName) return { name: accountName, accountCrmId: crmId, accountName, requests };
  throw new BadInputError(`no DEAL or ACCOUNT with CRM id ${crmId} in CRM integration ${integration.integrationId} of account ${accountId}`);
}
