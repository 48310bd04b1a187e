/**
 * Sentence templates for simulated sales calls. Filler banks must never contain the cue words of
 * planted content (FILLER_FORBIDDEN_RE); a test enforces it, so a model (or the sandbox's fake
 * LLM) can tell planted facts from small talk by their cue words alone.
 *
 * Placeholders: {them} prospect company, {us} our company, {product}, {name} the other person's
 * first name, {n} a small number, {tool} an everyday business tool, {city}, {weekday}, {amount}.
 */
import type { FindingCategory } from '../../shared/domain/index.ts';

/** Anything matching this in a filler sentence would look like a planted fact. */
export const FILLER_FORBIDDEN_RE =
  /concern|worr|\brisk|chorus|clari|salesloft|outreach|\bprice|pricing|budget|discount|\bcost|security|secure|soc ?2|\bsso\b|saml|gdpr|residency|\bapi\b|rate limit|next step|follow up|follow-up|send over|deep dive|whitepaper|competit|objection/i;

export const OPENERS_REP = [
  'Hi {name}, thanks for making the time today.',
  'Good morning everyone, can you all hear me okay?',
  'Hey {name}, great to see you again.',
  'Thanks for jumping on, I know {weekday} afternoons get busy.',
  'Before we start, is anyone else joining from {them} today?',
  'I just got back from a trip to {city}, so apologies if I sound a little tired.',
  'Let me quickly go over the agenda so we make good use of the hour.',
  'How has your week been so far?',
] as const;

export const OPENERS_PROSPECT = [
  'Hi, yes, I can hear you fine.',
  'Doing well, thanks, it has been a hectic week on our side.',
  'Good to see you too, the weather here has been all over the place.',
  'We might have one more person joining in a few minutes.',
  'No problem at all, I had this blocked off anyway.',
  'Things are busy, we are right in the middle of planning for next year.',
  'The agenda sounds good to me.',
] as const;

export const DISCOVERY_REP = [
  'Can you walk me through how your team runs pipeline reviews today?',
  'How many reps are on the team right now, roughly?',
  'What does a typical week look like for your frontline managers?',
  'Where do deals tend to get stuck in your process?',
  'How are you using {tool} today for deal updates?',
  'Who else on your side would be involved in a decision like this?',
  'What made you start looking at this now rather than next year?',
  'How do new hires ramp today, and how long does that usually take?',
  'What would success look like for you six months from now?',
  'How do managers decide which calls to listen to each week?',
  'Is coaching mostly happening in one-on-ones or in team sessions?',
  'What reporting does leadership ask you for every {weekday}?',
  'How are the teams split between new business and expansion?',
  'Tell me a bit more about the regions you cover.',
] as const;

export const DISCOVERY_PROSPECT = [
  'We have about {n} reps across three regions at the moment.',
  'Most of our pipeline comes from inbound demand right now.',
  'Managers spend most of {weekday} preparing the forecast call.',
  'Honestly, a lot of it lives in spreadsheets and {tool} threads.',
  'Deals usually slow down once legal and procurement get involved.',
  'Our new hires take about {n} weeks before they run calls on their own.',
  'Leadership wants a clearer view of what is happening inside each deal.',
  'We grew the team quite a bit this year, so onboarding is a big focus.',
  'The team in {city} is the newest, they started in the spring.',
  'Right now managers pick calls almost at random, there is no real system.',
  'We run a weekly team meeting and a monthly business review.',
  'Most of the reps are pretty comfortable with {tool} already.',
  'Our reps log notes, but the quality varies a lot from person to person.',
  'We would love to see which talk tracks actually move deals forward.',
  'Our sales cycle is about {n} weeks for mid-market accounts.',
] as const;

export const DEMO_REP = [
  'Let me share my screen and show you the main dashboard.',
  'Here you can see every conversation tied to the opportunity.',
  'This view rolls up activity by team and by week.',
  'If I click into this deal, you get the full timeline of emails and calls.',
  'Managers can leave comments right on the moment in the call.',
  'This panel shows the topics that came up most often this month.',
  'You can filter by rep, by stage, or by region here.',
  'We also sync these notes back into {tool} automatically.',
  'The onboarding library lets new reps hear the best calls from the team.',
  'Here is where you would set up the scorecard for your managers.',
  'Everything you see here is configurable per team.',
  'Let me stop sharing for a second and hear your reaction.',
  'This is the view most of our customers start with on day one.',
  'You can export any of these charts for your monthly business review.',
] as const;

export const DEMO_PROSPECT = [
  'That looks pretty intuitive, honestly.',
  'Can you go back to the previous screen for a moment?',
  'How long does it take for a call to show up in that view?',
  'Our managers would probably live in that dashboard.',
  'Interesting, so the notes flow back automatically?',
  'Could we set up different views for the team in {city}?',
  'That timeline view is something we have been missing.',
  'I like that the comments are tied to the exact moment.',
  'Would the reps see the same thing, or only managers?',
  'That filter by stage would help a lot in our weekly meeting.',
] as const;

export const ACKS = [
  'That makes sense.',
  'Got it, that is helpful.',
  'Yes, exactly.',
  'Right, okay.',
  'Sure, that sounds reasonable.',
  'Okay, I follow.',
  'Yeah, that is fair.',
  'Good question.',
  'Mm-hmm, go on.',
  'Understood.',
] as const;

export const WRAPUP = [
  'Thanks everyone, this was a really productive conversation.',
  'Appreciate the time today, this was helpful.',
  'Great, I will let you get back to your afternoon.',
  'Thanks again, talk to you soon.',
  'Have a great rest of your {weekday}.',
] as const;

/** Cheap variation so repeated templates don't read identically. */
export const PREFIXES = ['', '', '', 'So, ', 'Okay, ', 'Right, ', 'Yeah, ', 'And ', 'Honestly, ', 'I mean, '] as const;

export const TOOLS = ['Salesforce', 'HubSpot', 'Slack', 'Zoom', 'Jira', 'Tableau', 'Google Sheets', 'Notion'] as const;
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

/** Topic label Gong would attach to a monologue in each phase of the call. */
export const PHASE_TOPICS = {
  opening: 'Call Setup',
  discovery: 'Discovery',
  demo: 'Product Demo',
  wrapup: 'Wrap-up',
} as const;

export const CATEGORY_TOPICS: Record<FindingCategory, string> = {
  objection: 'Objections',
  competitor: 'Competition',
  pricing: 'Pricing',
  security: 'Security',
  technical_risk: 'Technical Requirements',
  next_step: 'Next Steps',
};

/** Who typically says a planted sentence of this category. */
export const CATEGORY_SPEAKER: Record<FindingCategory, 'internal' | 'external'> = {
  objection: 'external',
  competitor: 'external',
  pricing: 'external',
  security: 'external',
  technical_risk: 'external',
  next_step: 'internal',
};

/**
 * Planted sentences by theme. Keys are theme ids a deal can be given; `{competitor}` and
 * `{amount}` are filled from the deal.
 */
export const PLANTED: Record<FindingCategory, Record<string, readonly string[]>> = {
  objection: {
    implementation: [
      'Honestly, my biggest concern is the implementation timeline, we cannot afford a six month rollout.',
      'I am worried the implementation will drag into our busy season if we start late.',
    ],
    integration: [
      'I am worried about the integration effort on our side, our engineering team is already stretched.',
      'My concern is how much integration work lands on our admins during the first quarter.',
    ],
    change_management: [
      'Change management is a real concern here, the reps have been burned by new tools before.',
      'I am worried adoption will stall once the initial training is over, that is my main concern.',
    ],
  },
  competitor: {
    Chorus: [
      'To be transparent, Chorus is already in the building for part of the team.',
      'Chorus offered us a pilot at no charge, so we are comparing the two.',
    ],
    Clari: [
      'We are also evaluating Clari, and they pitched a similar forecasting view.',
      'Clari showed us a deal inspection screen that looked close to this one.',
    ],
    Salesloft: [
      'Salesloft came in last week and offered to bundle this into their platform.',
      'Our reps already live in Salesloft, so the team keeps asking why we need another tool.',
    ],
    Outreach: [
      'Outreach is our incumbent for sequencing, so we need to see how this compares.',
      'Outreach told us they can cover most of this with their own conversation features.',
    ],
  },
  pricing: {
    per_seat: [
      'The per-seat price is higher than what we budgeted for this fiscal year.',
      'At that per-seat price, rolling it out to every rep gets expensive quickly.',
    ],
    discount: [
      'If we sign before the end of the quarter, is there room for a discount on the annual plan?',
      'We would need a meaningful discount to get a three year term approved.',
    ],
    budget: [
      'Our budget for this is capped at around {amount}, so pricing needs to land there.',
      'Budget approval above {amount} goes to the CFO, which adds a few weeks.',
    ],
  },
  security: {
    soc2: [
      'Our security team will need your SOC 2 Type II report before we can move forward.',
      'Security review is usually the longest step for us, and they will ask for the SOC 2 report first.',
    ],
    sso: [
      'We require SSO through SAML with Okta, that is non-negotiable for our security team.',
      'Security will block the rollout if SSO is not enforced for every user.',
    ],
    gdpr: [
      'Data residency is a real issue for GDPR, our European call data has to stay in the EU.',
      'Our DPO will want the GDPR documentation and a list of subprocessors for the security review.',
    ],
  },
  technical_risk: {
    api_limits: [
      'One technical risk is the API limits, we push a lot of records through nightly syncs.',
      'There is a risk the API rate limit chokes our CRM sync during the end of month rush.',
    ],
    data_mapping: [
      'There is a risk that our custom Salesforce objects will not map cleanly to your data model.',
      'The biggest technical risk I see is migrating five years of historical data without losing fields.',
    ],
  },
  next_step: {
    whitepaper: [
      'As a next step, I will send over the security whitepaper and our SOC 2 report by Friday.',
      'I will follow up today and send over the security whitepaper for your team to review.',
    ],
    deep_dive: [
      'As a next step, let us schedule a technical deep dive with your architects next week.',
      'I will follow up with a calendar invite for a technical deep dive with our solutions engineer.',
    ],
    proposal: [
      'I will follow up with a pricing proposal and a draft order form as the next step.',
      'Next step on our side is to send over a revised proposal with the multi-year options.',
    ],
    action_plan: [
      'I will send over a mutual action plan so we can agree on the evaluation timeline as a next step.',
      'As a next step, I will follow up with a summary and the mutual action plan.',
    ],
  },
};
