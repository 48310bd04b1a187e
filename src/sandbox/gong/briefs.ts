/** GET /v2/entities/get-brief: an AI deal/account brief citing the real calls of the period. */
import type { FindingCategory } from '../../shared/domain/index.ts';
import { DAY_MS } from '../world/people.ts';
import { factsOf } from './calls.ts';
import { badRequest, GongHttpError, isoSeconds, notFound, ok, parseDateTime, queryOne, type Handler } from './http.ts';

const ENTITY_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD'] as const;
const PERIOD_DAYS: Record<string, number | undefined> = {
  LAST_7DAYS: 7, LAST_30DAYS: 30, LAST_90DAYS: 90, LAST_90_DAYS_SINCE_LAST_ACTIVITY: 90,
  LAST_YEAR_SINCE_LAST_ACTIVITY: 365, LAST_YEAR: 365, THIS_WEEK: 7, THIS_MONTH: 31, THIS_YEAR: 366,
  THIS_QUARTER: 92, ALL_CONVERSATIONS: 100_000, CUSTOM_RANGE: undefined,
};

const SECTIONS: Array<{ title: string; categories: FindingCategory[] }> = [
  { title: 'Objections and risks', categories: ['objection', 'security', 'technical_risk'] },
  { title: 'Competition and pricing', categories: ['competitor', 'pricing'] },
  { title: 'Next steps', categories: ['next_step'] },
];

export const getBrief: Handler = (ctx) => {
  const q = (name: string): string => {
    const v = queryOne(ctx.req, name);
    if (!v) throw badRequest(`Required request parameter '${name}' is not present`);
    return v;
  };
  const workspaceId = q('workspaceId');
  const briefName = q('briefName');
  const entityType = q('crmEntityType');
  const entityId = q('crmEntityId');
  const timePeriod = q('timePeriod');
  if (!(ENTITY_TYPES as readonly string[]).includes(entityType)) throw badRequest(`crmEntityType: must be one of ${ENTITY_TYPES.join(', ')}`);
  if (!(timePeriod in PERIOD_DAYS)) throw badRequest(`timePeriod: must be one of ${Object.keys(PERIOD_DAYS).join(', ')}`);
  if (workspaceId !== ctx.account.workspaceId) throw badRequest(`workspaceId: unknown workspace ${workspaceId}`);
  if (ctx.account.briefsPaymentRequired) throw new GongHttpError(402, 'Payment Required: not enough AI credits to generate a brief');

  const nowMs = ctx.world.now.getTime();
  let fromMs: number;
  let toMs = nowMs;
  if (timePeriod === 'CUSTOM_RANGE') {
    fromMs = parseDateTime(queryOne(ctx.req, 'fromDateTime'), 'fromDateTime') ?? 0;
    toMs = parseDateTime(queryOne(ctx.req, 'toDateTime'), 'toDateTime') ?? nowMs;
  } else {
    fromMs = nowMs - (PERIOD_DAYS[timePeriod] ?? 30) * DAY_MS;
  }
  const deal = ctx.account.deals.find((d) => (entityType === 'DEAL' && d.crmId === entityId) || (entityType === 'ACCOUNT' && d.accountCrmId === entityId));
  if (!deal || !deal.hasBrief) throw notFound(`No brief '${briefName}' is available for ${entityType} ${entityId}`);
  const calls = ctx.account.calls
    .filter((c) => c.dealCrmId === deal.crmId && c.startedMs >= fromMs && c.startedMs < toMs)
    .sort((a, b) => b.startedMs - a.startedMs);
  const callInfo = (id: string) => {
    const c = calls.find((x) => x.id === id)!;
    return { call: { id: c.id, title: c.title, started: isoSeconds(c.startedMs), url: `https://app.gong.io/call?id=${c.id}` } };
  };
  const briefSections = SECTIONS.map((section) => {
    const hits = calls.flatMap((c) => factsOf(ctx, c).filter((f) => section.categories.includes(f.category)).map((f) => ({ callId: c.id, text: f.text })));
    const uniqueTexts = [...new Set(hits.map((h) => h.text))].slice(0, 5);
    return {
      title: section.title,
      sectionSummary: uniqueTexts.length ? uniqueTexts.map((t) => `Raised on a call: "${t}"`) : ['Nothing notable in this period.'],
      briefSectionType: 'Conversations',
      conversationFindings: {
        callFindings: [...new Set(hits.map((h) => h.callId))].slice(0, 10).map(callInfo),
        emailFindings: [],
      },
    };
  });
  return ok(ctx, { numOfCallsSearched: calls.length, numOfEmailsSearched: 0, briefSections });
};
