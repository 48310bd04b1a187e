/**
 * Turns a Gong transcript (monologues of sentences, times in ms) into prompt lines, one sentence a
 * line, in the format the prompts and the model agree on (schemas.ts, TRANSCRIPT_LINE_RE):
 *   [HH:MM:SS] Speaker Name (External): sentence
 * One sentence per line keeps every quote the model returns a real, verifiable transcript sentence.
 */
export interface TranscriptSentence {
  start: number;
  end: number;
  text: string;
}
export interface TranscriptMonologue {
  speakerId: string;
  topic?: string | null;
  sentences: TranscriptSentence[];
}
export interface CallTranscript {
  callId: string;
  transcript: TranscriptMonologue[];
}

export type Affiliation = 'Internal' | 'External' | 'Unknown';
export interface Speaker {
  name: string;
  affiliation: Affiliation;
}

export interface RenderedLine {
  /** Index of the monologue (speaker turn) this sentence belongs to. */
  turn: number;
  text: string;
  line: string;
}

/** Milliseconds from the start of the call → HH:MM:SS. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** HH:MM:SS → seconds (for call links that jump to a moment). */
export function offsetSeconds(hms: string): number {
  const parts = hms.split(':').map(Number);
  return parts.reduce((acc, n) => acc * 60 + (Number.isFinite(n) ? n : 0), 0);
}

export function renderTranscript(t: CallTranscript, speakers: Record<string, Speaker>): RenderedLine[] {
  const lines: RenderedLine[] = [];
  t.transcript.forEach((mono, turn) => {
    const who = speakers[mono.speakerId] ?? { name: `Speaker ${mono.speakerId.slice(-4)}`, affiliation: 'Unknown' as const };
    // Names may not contain parentheses or newlines in the line format.
    const name = who.name.replace(/[()\n]+/g, ' ').replace(/\s+/g, ' ').trim() || 'Unknown speaker';
    for (const s of mono.sentences) {
      const text = s.text.replace(/\s+/g, ' ').trim();
      if (!text) continue;
      lines.push({ turn, text, line: `[${formatOffset(s.start)}] ${name} (${who.affiliation}): ${text}` });
    }
  });
  return lines;
}

/** Word count of a transcript (for plans and benchmarks). */
export function transcriptWords(t: CallTranscript): number {
  let n = 0;
  for (const m of t.transcript) for (const s of m.sentences) n += s.text.split(/\s+/).filter(Boolean).length;
  return n;
}
