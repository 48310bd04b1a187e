/**
 * A call as the workflows carry it between jobs: the few facts a summary and a report need
 * (title, start, link, who spoke), taken from Gong's extensive call data. Small on purpose: job
 * payloads hold ids and metadata, never transcripts.
 */
import { z } from 'zod';
import type { CallData } from '../../upstream/index.ts';

export const SpeakerRef = z.object({
  name: z.string(),
  affiliation: z.enum(['Internal', 'External', 'Unknown']),
});

export const CallRef = z.object({
  callId: z.string().min(1),
  title: z.string(),
  /** ISO date-time the call started. */
  started: z.string(),
  /** Gong's link to the call. */
  url: z.string(),
  /**
   * Length of the call in seconds (Gong's metaData.duration), to tell when it ended: an empty
   * transcript of a call that just ended is not final. Optional: jobs queued before it existed.
   */
  durationSeconds: z.number().min(0).optional(),
  /** Host user id (the rep). */
  primaryUserId: z.string().optional(),
  /** Transcript speakerId → who. */
  speakers: z.record(z.string(), SpeakerRef).default({}),
});
export type CallRef = z.infer<typeof CallRef>;

export interface CrmLink {
  objectType: string;
  objectId: string;
  name?: string;
  fields: Record<string, unknown>;
}

export function callRefFrom(call: CallData): CallRef {
  const m = call.metaData;
  const speakers: CallRef['speakers'] = {};
  for (const p of call.parties ?? []) {
    if (!p.speakerId) continue;
    const aff = p.affiliation === 'Internal' || p.affiliation === 'External' ? p.affiliation : 'Unknown';
    speakers[p.speakerId] = { name: p.name || p.emailAddress || 'Unknown speaker', affiliation: aff };
  }
  return {
    callId: m.id,
    title: m.title ?? '(untitled call)',
    started: m.started ?? m.scheduled ?? '',
    url: m.url ?? `https://app.gong.io/call?id=${m.id}`,
    ...(typeof m.duration === 'number' ? { durationSeconds: m.duration } : {}),
    ...(m.primaryUserId ? { primaryUserId: m.primaryUserId } : {}),
    speakers,
  };
}

/** CRM objects (Account, Opportunity…) a call is linked to, with their fields when Extended. */
export function crmLinks(call: CallData): CrmLink[] {
  const out: CrmLink[] = [];
  for (const ctx of call.context ?? []) {
    for (const o of ctx.objects ?? []) {
      if (!o.objectType || !o.objectId) continue;
      const fields: Record<string, unknown> = {};
      for (const f of o.fields ?? []) fields[f.name] = f.value;
      const name = typeof fields.Name === 'string' ? fields.Name : undefined;
      out.push({ objectType: o.objectType, objectId: o.objectId, ...(name ? { name } : {}), fields });
    }
  }
  return out;
}
