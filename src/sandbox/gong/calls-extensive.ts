/** POST /v2/calls/extensive: metadata plus the optional context/parties/content/interaction parts. */
import type { FindingCategory } from '../../shared/domain/index.ts';
import { numericId } from '../world/prng.ts';
import type { AccountData, WorldCall } from '../world/types.ts';
import { callBasic, factsOf, monologuesOf, readCallFilter, selectCalls, CALLS_PAGE_SIZE, NO_CALLS } from './calls.ts';
import { inputsHash, paginate } from './cursor.ts';
import { badRequest, bodyObject, GongHttpError, notFound, ok, requireFilter, type Handler, type HandlerContext } from './http.ts';

type Selector = Record<string, unknown>;
const asObj = (v: unknown): Selector => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Selector) : {});

const TRACKER_NAMES: Record<FindingCategory, string> = {
  objection: 'Objections', competitor: 'Competitors', pricing: 'Pricing', security: 'Security',
  technical_risk: 'Technical Requirements', next_step: 'Next Steps',
};

function crmContext(account: AccountData, call: WorldCall, level: string, timings: string[]): unknown[] {
  if (level === 'None' || !call.dealCrmId) return [];
  const deal = account.deals.find((d) => d.crmId === call.dealCrmId);
  const crmAccount = account.crmAccounts.find((a) => a.crmId === call.accountCrmId);
  if (!deal || !crmAccount) return [];
  const objects: unknown[] = [];
  for (const timing of timings) {
    const acctObj: Record<string, unknown> = { objectType: 'Account', objectId: crmAccount.crmId, timing };
    const oppObj: Record<string, unknown> = { objectType: 'Opportunity', objectId: deal.crmId, timing };
    if (level === 'Extended') {
      acctObj['fields'] = [
        { name: 'Name', value: crmAccount.name },
        { name: 'Website', value: `https://www.${crmAccount.domain}` },
        { name: 'Industry', value: crmAccount.industry },
      ];
      oppObj['fields'] = [
        { name: 'Name', value: deal.name },
        { name: 'LeadSource', value: deal.leadSource },
        { name: 'Type', value: deal.type },
        { name: 'StageName', value: deal.stage },
        { name: 'Probability', value: deal.probability },
        { name: 'Amount', value: deal.amount },
        { name: 'CloseDate', value: deal.closeDate },
      ];
    }
    objects.push(acctObj, oppObj);
  }
  return [{ system: account.crmSystem, objects }];
}

function content(ctx: HandlerContext, call: WorldCall, sel: Selector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const monologues = monologuesOf(ctx, call);
  const facts = factsOf(ctx, call);
  if (sel['topics'] || sel['structure']) {
    const byTopic = new Map<string, number>();
    for (const m of monologues) {
      const first = m.sentences[0];
      const last = m.sentences[m.sentences.length - 1];
      if (!m.topic || !first || !last) continue;
      byTopic.set(m.topic, (byTopic.get(m.topic) ?? 0) + Math.round((last.end - first.start) / 1000));
    }
    const list = [...byTopic].map(([name, duration]) => ({ name, duration }));
    if (sel['topics']) out['topics'] = list;
    if (sel['structure']) out['structure'] = list;
  }
  if (sel['trackers']) {
    const byCat = new Map<FindingCategory, typeof facts>();
    for (const f of facts) byCat.set(f.category, [...(byCat.get(f.category) ?? []), f]);
    out['trackers'] = [...byCat].map(([cat, fs]) => ({
      id: numericId(ctx.account.key, 'tracker', cat),
      name: TRACKER_NAMES[cat],
      count: fs.length,
      type: 'KEYWORD',
      occurrences: fs.map((f) => ({ startTime: f.startMs / 1000, speakerId: f.speakerId })),
      phrases: [],
    }));
  }
  if (sel['brief']) {
    const cats = [...new Set(facts.map((f) => TRACKER_NAMES[f.category].toLowerCase()))];
    out['brief'] = `${call.title}. The conversation covered ${cats.length ? cats.join(', ') : 'discovery and a product walkthrough'}.`;
  }
  if (sel['keyPoints']) out['keyPoints'] = facts.map((f) => ({ text: f.text }));
  if (sel['callOutcome']) out['callOutcome'] = { id: '1', category: 'Answered', name: 'Meeting held' };
  return out;
}

function interaction(ctx: HandlerContext, call: WorldCall, sel: Selector, parties: ReturnType<HandlerContext['world']['callParties']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const monologues = monologuesOf(ctx, call);
  const talkMs = new Map<string, number>();
  let questionsUs = 0;
  let questionsThem = 0;
  for (const m of monologues) {
    const party = parties.find((p) => p.speakerId === m.speakerId);
    for (const s of m.sentences) {
      talkMs.set(m.speakerId, (talkMs.get(m.speakerId) ?? 0) + (s.end - s.start));
      if (s.text.endsWith('?')) party?.affiliation === 'Internal' ? questionsUs++ : questionsThem++;
    }
  }
  if (sel['speakers']) {
    out['speakers'] = parties.map((p) => ({
      id: p.speakerId, ...(p.userId ? { userId: p.userId } : {}), talkTime: (talkMs.get(p.speakerId) ?? 0) / 1000,
    }));
  }
  if (sel['personInteractionStats']) {
    const total = [...talkMs.values()].reduce((a, b) => a + b, 0) || 1;
    const ours = parties.filter((p) => p.affiliation === 'Internal').reduce((a, p) => a + (talkMs.get(p.speakerId) ?? 0), 0);
    out['interactionStats'] = [
      { name: 'Talk Ratio', value: Math.round((ours / total) * 100) / 100 },
      { name: 'Longest Monologue', value: Math.max(0, ...monologues.map((m) => ((m.sentences.at(-1)?.end ?? 0) - (m.sentences[0]?.start ?? 0)) / 1000)) },
      { name: 'Interactivity', value: Math.round((monologues.length / Math.max(1, call.durationSec / 60)) * 10) / 10 },
      { name: 'Patience', value: 0.8 },
    ];
  }
  if (sel['questions']) out['questions'] = { companyCount: questionsUs, nonCompanyCount: questionsThem };
  return out;
}

export const callsExtensive: Handler = (ctx) => {
  const filter = requireFilter(ctx.req);
  const body = bodyObject(ctx.req);
  const selector = asObj(body['contentSelector']);
  const level = (selector['context'] ?? 'None') as string;
  if (!['None', 'Basic', 'Extended'].includes(level)) throw badRequest('contentSelector.context: must be one of None, Basic, Extended');
  const timings = Array.isArray(selector['contextTiming']) && selector['contextTiming'].length > 0 ? (selector['contextTiming'] as string[]) : ['Now'];
  const exposed = asObj(selector['exposedFields']);
  if (exposed['media'] && !ctx.account.info.scopes.includes('api:calls:read:media-url')) {
    throw new GongHttpError(403, 'Access denied: missing scope api:calls:read:media-url');
  }
  const calls = selectCalls(ctx.account, readCallFilter(filter, true));
  if (calls.length === 0) throw notFound(NO_CALLS);
  const hash = inputsHash(`${ctx.account.key} POST /v2/calls/extensive`, { filter, contentSelector: selector });
  const page = paginate(calls, body['cursor'], hash, CALLS_PAGE_SIZE);
  const contentSel = asObj(exposed['content']);
  const interactionSel = asObj(exposed['interaction']);
  const out = page.items.map((call) => {
    const item: Record<string, unknown> = { metaData: callBasic(ctx.account, call) };
    if (level !== 'None') item['context'] = crmContext(ctx.account, call, level, timings);
    const parties = ctx.world.callParties(call.id);
    if (exposed['parties']) {
      item['parties'] = parties.map((p) => ({
        id: p.id, emailAddress: p.emailAddress, name: p.name, title: p.title,
        ...(p.userId ? { userId: p.userId } : {}),
        speakerId: p.speakerId, affiliation: p.affiliation, methods: ['Invitee', 'Attendee'],
        ...(p.contactCrmId ? { context: [{ system: ctx.account.crmSystem, objects: [{ objectType: 'Contact', objectId: p.contactCrmId, fields: [], timing: 'Now' }] }] } : {}),
      }));
    }
    if (Object.values(contentSel).some(Boolean)) item['content'] = content(ctx, call, contentSel);
    if (Object.values(interactionSel).some(Boolean)) item['interaction'] = interaction(ctx, call, interactionSel, parties);
    if (asObj(exposed['collaboration'])['publicComments']) item['collaboration'] = { publicComments: [] };
    if (exposed['media']) {
      item['media'] = {
        audioUrl: `https://media.sandbox.gong.invalid/${call.id}/audio.mp3`,
        ...(call.media === 'Video' ? { videoUrl: `https://media.sandbox.gong.invalid/${call.id}/video.mp4` } : {}),
      };
    }
    return item;
  });
  return ok(ctx, { records: page.records, calls: out });
};
