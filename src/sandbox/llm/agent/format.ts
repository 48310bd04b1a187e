/** How the planner writes its Markdown answer: citations `[r3]` and evidence `[r3:<callId>@mm:ss]`. */
import type { View } from './replay.ts';

export function cite(...views: Array<View | undefined>): string {
  const refs = [...new Set(views.filter((v): v is View => !!v).map((v) => v.ref))];
  return refs.map((r) => `[${r}]`).join('');
}

/** Minutes can pass 59: `[r3:123@64:05]` is 64 minutes 5 seconds into the call. */
export function mmss(offsetMs: number): string {
  const total = Math.max(0, Math.floor(offsetMs / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function evidence(ref: string, callId: string, offsetMs: number): string {
  return `[${ref}:${callId}@${mmss(offsetMs)}]`;
}

/** `HH:MM:SS` or `MM:SS` → milliseconds (NaN when it is neither). */
export function clockToMs(text: string): number {
  const parts = text.split(':').map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isInteger(p) || p < 0)) return NaN;
  return parts.reduce((acc, p) => acc * 60 + p, 0) * 1000;
}

export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO date-time without milliseconds, as Gong wants it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/** The standard answer for a tool call that failed or was denied. */
export function failure(view: View, what: string): string {
  if (view.status === 'denied') {
    return `The change was not made: \`${view.tool}\` was denied${view.error ? ` (${view.error})` : ''} ${cite(view)}.`;
  }
  return `I couldn't ${what}: \`${view.tool}\` returned an error: ${view.error ?? 'unknown error'} ${cite(view)}.`;
}
