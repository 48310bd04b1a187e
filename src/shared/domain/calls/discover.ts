/**
 * Discovery reads a producer makes before it enqueues anything (so bad input is caught while
 * nothing is queued): the account exists, the calls of a window or of given ids, with parties and
 * CRM context, in as few requests as Gong allows (extensive data, 100 calls a page).
 */
import { distance } from 'fastest-levenshtein';
import { BadInputError } from '../../platform/index.ts';
import { CallData, TrutoNotFoundError, retryRead, type TrutoClient } from '../../upstream/index.ts';

/** What discovery needs: a Truto client (the producer's, paced by the governor). */
export interface DiscoverDeps {
  truto: Pick<TrutoClient, 'listTools' | 'listIntegratedAccounts' | 'iterateTool'>;
}

export async function assertAccount(services: { truto: Pick<TrutoClient, 'listTools' | 'listIntegratedAccounts'> }, accountId: string): Promise<void> {
  try {
    await retryRead(`tool list of ${accountId}`, () => services.truto.listTools(accountId));
  } catch (err) {
    if (!(err instanceof TrutoNotFoundError)) throw err;
    const known = await services.truto.listIntegratedAccounts().catch(() => []);
    const close = known
      .map((a) => a.id)
      .sort((a, b) => distance(a, accountId) - distance(b, accountId))
      .slice(0, 3);
    throw new BadInputError(`unknown integrated account "${accountId}"${close.length ? `; known accounts include ${close.join(', ')}` : ''}`);
  }
}

export interface CallQuery {
  accountId: string;
  from?: Date;
  to?: Date;
  callIds?: string[];
  /** Include CRM context (Extended: object names and fields). */
  crmContext?: boolean;
}

export interface DiscoveredCalls {
  calls: CallData[];
  requests: number;
}

export async function discoverCalls(services: DiscoverDeps, q: CallQuery): Promise<DiscoveredCalls> {
  const filter: Record<string, unknown> = {};
  if (q.from) filter.fromDateTime = q.from.toISOString();
  if (q.to) filter.toDateTime = q.to.toISOString();
  if (q.callIds) filter.callIds = q.callIds;
  let requests = 0;
  const calls = await retryRead('calls discovery', async () => {
    const out: CallData[] = [];
    for await (const page of services.truto.iterateTool(q.accountId, 'create_a_gong_calls_extensive', {
      filter,
      contentSelector: {
        context: q.crmContext ? 'Extended' : 'None',
        exposedFields: { parties: true },
      },
    }, { itemsKey: 'calls', notFoundAsEmpty: true })) {
      requests += 1;
      for (const item of page.items) out.push(CallData.parse(item));
    }
    return out;
  });
  return { calls, requests: Math.max(requests, 1) };
}
