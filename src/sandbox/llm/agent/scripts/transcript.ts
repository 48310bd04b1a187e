/**
 * "Retrieve the transcript for call ID 10984732 and summarize the customer's objections regarding
 * implementation timelines.": the transcript (and, when offered, the call's parties to tell the
 * customer from the rep). A transcript the fleet shows truncated is handed to `summarize_calls`
 * (the fleet's map-reduce) when offered, as reading an hour of talk through slices would not fit a
 * context window; otherwise it is read on with `read_result`.
 */
import { classifyLine } from '../../responders/cues.ts';
import { cite, clockToMs, evidence, failure, plural } from '../format.ts';
import { isRecord } from '../protocol.ts';
import type { Question } from '../question.ts';
import { collect, idOf, isParty, isTranscript, list, num, str, type Row } from '../records.ts';
import { Final, type Plan, type View } from '../replay.ts';
import { reportPoints } from './report.ts';

interface Line {
  speakerId: string;
  startMs: number;
  text: string;
}

const STOPWORDS = new Set(['about', 'regarding', 'around', 'their', 'there', 'these', 'those', 'which', 'concerning', 'customer', 'customers', 'objections', 'objection', 'call']);

/** Words that say what the objections should be about ("implementation timelines" → implem…, timeli…). */
export function topicStems(q: Question): string[] {
  const m = /\b(?:regarding|about|concerning|around|on)\s+([^.?!]+)/i.exec(q.text);
  if (!m) return [];
  return m[1]!.toLowerCase().split(/[^a-z]+/).filter((w) => w.length >= 4 && !STOPWORDS.has(w)).map((w) => w.slice(0, 6));
}

export function aboutTopic(text: string, stems: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return stems.length === 0 || stems.some((s) => lower.includes(s));
}

function linesOf(data: unknown, callId: string): Line[] {
  const entry = collect(data, isTranscript).find((t) => idOf(t['callId']) === callId);
  return list(entry?.['transcript']).filter(isRecord).flatMap((m) =>
    list(m['sentences']).filter(isRecord).map((s) => ({ speakerId: idOf(m['speakerId']), startMs: num(s['start']), text: str(s['text']) })));
}

export function transcriptPlan(plan: Plan, q: Question): string {
  const callId = q.callIds[0]!;
  const transcripts = plan.need('transcripts', 'fetch call transcripts');
  const extensive = plan.tool('callsExtensive');
  const views = plan.callAll([
    [transcripts, { callIds: [callId] }],
    ...(extensive ? [[extensive, { callIds: [callId], exposedFields: { parties: true } }] as const] : []),
  ]);
  const first = views[0]!;
  if (first.status !== 'ok') throw new Final(failure(first, `fetch the transcript of call ${callId}`));
  const parties = new Map<string, Row>();
  const partiesView = views[1]?.status === 'ok' ? plan.read(views[1]) : undefined;
  for (const p of collect(partiesView?.data, isParty)) parties.set(idOf(p['speakerId']), p);
  const stems = topicStems(q);
  const topic = stems.length > 0 ? /\b(?:regarding|about|concerning|around|on)\s+([^.?!]+)/i.exec(q.text)![1]!.trim() : '';
  const summarize = plan.tool('summarizeCalls');

  let transcript: View = first;
  if (!first.complete && summarize) {
    const internal = new Set([...parties.values()].filter((p) => str(p['affiliation']) === 'Internal').map((p) => str(p['name'])));
    return viaSummary(plan, callId, first, plan.call(summarize, { call_ids: [callId] }), stems, topic, internal);
  }
  if (!first.complete) transcript = plan.read(first);
  const lines = linesOf(transcript.data, callId);
  if (lines.length === 0) throw new Final(`Gong returned no transcript lines for call ${callId} ${cite(transcript)} (it may not be transcribed yet).`);

  const who = (speakerId: string): { label: string; customer: boolean | undefined } => {
    const p = parties.get(speakerId);
    if (!p) return { label: `speaker ${speakerId}`, customer: undefined };
    const customer = str(p['affiliation']) === 'External';
    return { label: `${str(p['name']) || `speaker ${speakerId}`} (${customer ? 'customer' : 'rep'})`, customer };
  };
  const objections = lines.filter((l) => classifyLine(l.text)?.category === 'objection' && who(l.speakerId).customer !== false);
  const onTopic = objections.filter((l) => aboutTopic(l.text, stems));
  const rest = objections.filter((l) => !onTopic.includes(l));
  const partial = transcript.complete ? '' : ' (I could read only part of the transcript)';
  const item = (l: Line): string => `- ${who(l.speakerId).label}: "${l.text}" ${evidence(transcript.ref, callId, l.startMs)}`;
  const out = [
    onTopic.length > 0
      ? `The customer raised ${plural(onTopic.length, 'objection')}${topic ? ` about ${topic}` : ''} in call ${callId}${partial} ${cite(transcript)}:`
      : `I found no customer objection${topic ? ` about ${topic}` : ''} in call ${callId}${partial} ${cite(transcript)}.`,
    ...onTopic.map(item),
  ];
  if (rest.length > 0 && topic) out.push('', 'Other objections on the call:', ...rest.map(item));
  if (parties.size === 0) out.push('', 'Speaker names were not available, so lines are attributed by speaker id.');
  return out.join('\n');
}

/** `internal`: names of the call's reps (from its parties), whose lines are not customer objections. */
function viaSummary(plan: Plan, callId: string, transcript: View, summary: View, stems: string[], topic: string, internal: Set<string>): string {
  if (summary.status !== 'ok') throw new Final(failure(summary, `summarize call ${callId}`));
  const report = plan.read(summary);
  const points = reportPoints(report.data, 'objections');
  const cited = points.flatMap((p) => p.citations.map((c) => ({ ...c, point: p.point }))).filter((c) => !c.speaker || !internal.has(c.speaker));
  const onTopic = cited.filter((c) => c.callId === callId && aboutTopic(`${c.quote} ${c.point}`, stems));
  const rest = cited.filter((c) => c.callId === callId && !onTopic.includes(c));
  const item = (c: (typeof cited)[number]): string =>
    `- ${c.speaker ? `${c.speaker}: ` : ''}"${c.quote}" ${evidence(report.ref, callId, clockToMs(c.timestamp))}`;
  const out = [
    `The transcript of call ${callId} is long (shown truncated ${cite(transcript)}), so I had the fleet summarize it ${cite(report)}.`,
    '',
    onTopic.length > 0
      ? `The customer raised ${plural(onTopic.length, 'objection')}${topic ? ` about ${topic}` : ''}:`
      : `The summary has no objection${topic ? ` about ${topic}` : ''} on this call.`,
    ...onTopic.map(item),
  ];
  if (rest.length > 0 && topic) out.push('', 'Other objections on the call:', ...rest.map(item));
  return out.join('\n');
}
