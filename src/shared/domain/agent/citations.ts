/**
 * The answer's citations, resolved against the run: `[r3]` names a tool result (which tool, with
 * which arguments, which ids it held), `[r3:<callId>@mm:ss]` a moment of a call that result must
 * contain. A ref the run never produced, or a call id its result doesn't hold, is flagged.
 */
import { callByRef, type AskRun } from './run-model.ts';

export interface ResolvedCitation {
  /** As written in the answer, e.g. `[r3:6977363134960358@12:05]`. */
  text: string;
  ref: string;
  tool?: string;
  args?: Record<string, unknown>;
  /** Evidence citations: the call and the moment. */
  callId?: string;
  at?: string;
  /** False for an unknown ref, or a call id the cited result doesn't contain. */
  known: boolean;
  problem?: string;
}

const CITATION_RE = /\[(r\d+)(?::([A-Za-z0-9_-]+)@(\d{1,4}:\d{2}(?::\d{2})?))?\]/g;

/**
 * Every distinct citation in `answer`. `resultText(ref)` returns the stored result of a ref (to
 * check an evidence citation's call id against it), undefined when none is stored.
 */
export async function resolveCitations(run: AskRun, answer: string, resultText: (callKey: string) => Promise<string | undefined>): Promise<ResolvedCitation[]> {
  const seen = new Map<string, ResolvedCitation>();
  for (const m of answer.matchAll(CITATION_RE)) {
    const text = m[0];
    if (seen.has(text)) continue;
    const ref = m[1]!;
    const call = callByRef(run, ref);
    if (!call) {
      seen.set(text, { text, ref, known: false, problem: `no tool result ${ref} in this run` });
      continue;
    }
    const base = { text, ref, tool: call.name, args: call.args };
    if (!m[2]) {
      seen.set(text, { ...base, known: true });
      continue;
    }
    const stored = await resultText(call.key);
    const holds = stored !== undefined && stored.includes(m[2]);
    seen.set(text, {
      ...base,
      callId: m[2],
      at: m[3]!,
      known: holds,
      ...(holds ? {} : { problem: `call ${m[2]} is not in ${ref}'s result` }),
    });
  }
  return [...seen.values()];
}
