/**
 * Turning a turn's stored results into the tool messages the model reads. Done once per turn,
 * when every call has its result: the envelopes are sized together against the room the budget
 * leaves (small results whole, large ones sliced), then fixed in the run for good.
 */
import type { ToolContext } from '../../upstream/index.ts';
import { promptTokensOf, roomForResults } from './budget.ts';
import { allocateTokens, errorEnvelope, fitEnvelope, resultEnvelope, sliceEnvelope, type Envelope } from './envelope.ts';
import { callByRef, messagesOf, type AskRun, type CallRecord, type ResultStatus } from './run-model.ts';
import type { AskStore, StoredResult } from './run-store.ts';

interface Draft {
  call: CallRecord;
  status: ResultStatus;
  /** Builds the envelope showing `chars` characters (fixed-size envelopes ignore it). */
  make: (chars: number) => Envelope;
  stored?: StoredResult;
  error?: string;
}

/** Sets every call's envelope in turn `n` (all results must be stored); returns the updated run (not saved). */
export async function assignEnvelopes(store: AskStore, context: ToolContext, run: AskRun, n: number): Promise<AskRun> {
  const turn = run.turns[n]!;
  const drafts: Draft[] = [];
  for (const call of turn.calls) drafts.push(await draftFor(store, run, call));

  // The prompt the next turn would send before any of these results: earlier turns, this turn's calls.
  const base = messagesOf({ ...run, turns: [...run.turns.slice(0, n), { ...turn, calls: [] }] });
  const room = roomForResults(context.promptBudgetTokens, promptTokensOf(base, run.tools));
  const full = drafts.map((d) => d.make(run.resultChars));
  const allowed = allocateTokens(full.map((e) => e.tokens), room);

  const calls = drafts.map((d, i) => {
    const env = full[i]!.tokens <= allowed[i]! ? full[i]! : fitEnvelope(d.make, Math.min(run.resultChars, full[i]!.shownChars), allowed[i]!);
    const s = d.stored;
    return {
      ...d.call,
      status: d.status,
      envelope: env.content,
      shownChars: env.shownChars,
      totalChars: env.totalChars,
      ...(d.error ?? s?.error ? { error: d.error ?? s?.error } : {}),
      ...(s ? { requests: s.requests, governorWaitMs: s.governorWaitMs, durationMs: s.durationMs } : {}),
      ...(s?.promptTokens !== undefined ? { promptTokens: s.promptTokens, completionTokens: s.completionTokens ?? 0 } : {}),
    };
  });
  const turns = [...run.turns];
  turns[n] = { ...turn, calls, done: true };
  return { ...run, turns };
}

async function draftFor(store: AskStore, run: AskRun, call: CallRecord): Promise<Draft> {
  const fixed = (status: 'error' | 'denied', error: string): Draft => {
    const env = errorEnvelope(call.ref || 'r?', call.name, status, error);
    return { call, status, error, make: () => env };
  };
  if (call.kind === 'invalid') return fixed('error', call.error ?? 'invalid tool call');
  if (call.kind === 'read_result') {
    const source = callByRef(run, call.ref);
    const stored = source ? await store.getResult(run.runId, source.key) : undefined;
    if (!source || stored?.text === undefined) return fixed('error', `no stored result with ref "${call.ref}"`);
    const offset = typeof call.args.offset === 'number' && Number.isInteger(call.args.offset) ? call.args.offset : 0;
    const text = stored.text;
    return { call, status: 'ok', make: (chars) => sliceEnvelope(call.ref, text, offset, chars) };
  }
  const stored = await store.getResult(run.runId, call.key);
  if (call.kind === 'write') {
    const decision = call.hash ? await store.getApproval(call.hash, call.key) : undefined;
    if (decision?.decision === 'denied') return fixed('denied', decision.reason ?? 'denied by a person');
  }
  if (!stored) return fixed('error', 'the tool call produced no result');
  const src = { ref: call.ref, tool: call.name, status: stored.status, text: stored.text, error: stored.error };
  return { call, status: stored.status, stored, make: (chars) => resultEnvelope(src, chars) };
}
