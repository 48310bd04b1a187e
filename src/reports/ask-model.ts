/**
 * What `ask` writes and prints: the model's answer with its citations resolved to the tool results
 * they name, the step log (every tool call: status, what it showed, governor wait, duration), the
 * model turns, the decisions people made, and totals. Built from the stored run; ids and numbers
 * come from the tool results, never from the model.
 */
import {
  allCalls,
  callByRef,
  idsIn,
  resolveCitations,
  type AskRun,
  type AskStatus,
  type AskStore,
  type CallKind,
  type Decision,
  type ResolvedCitation,
} from '../shared/domain/index.ts';

export interface AskStepLine {
  /** The model turn (1-based) that asked for the call. */
  step: number;
  callKey: string;
  tool: string;
  args: Record<string, unknown>;
  kind: CallKind;
  status: string;
  ref: string;
  requests: number;
  governorWaitMs?: number;
  durationMs?: number;
  /** e.g. `6000 of 31933 chars` when the result was shown in part. */
  shown?: string;
  error?: string;
}

export interface AskTurnLine {
  step: number;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  toolCalls: number;
  toolChoice: 'auto' | 'none';
}

export interface AskSource extends ResolvedCitation {
  /** Ids the cited result holds (first few). */
  ids?: string[];
}

export interface AskReport {
  runId: string;
  accountId: string;
  question: string;
  status: AskStatus;
  answer: string | null;
  pending: { tool: string; arguments: Record<string, unknown>; hash: string; callKey: string } | null;
  note?: string;
  toolsNote?: string;
  createdAt: string;
  finishedAt?: string;
  generatedAt: string;
  steps: AskStepLine[];
  turns: AskTurnLine[];
  citations: AskSource[];
  decisions: Decision[];
  totals: {
    modelTurns: number;
    toolCalls: number;
    upstreamRequests: number;
    promptTokens: number;
    completionTokens: number;
    /** Tokens the built-ins' pipelines spent (map-reduce summaries), beside the agent's own. */
    pipelinePromptTokens: number;
    pipelineCompletionTokens: number;
    wallMs: number;
  };
}

export async function buildAskReport(store: AskStore, run: AskRun): Promise<AskReport> {
  const calls = allCalls(run);
  // A turn's envelopes are set once all its calls are decided; until then the stored results say more.
  const interim = new Map<string, { status: string; error?: string }>();
  for (const c of calls) {
    if (c.status) continue;
    const stored = await store.getResult(run.runId, c.key);
    const decision = c.hash ? await store.getApproval(c.hash, c.key) : undefined;
    if (stored) interim.set(c.key, { status: stored.status, ...(stored.error ? { error: stored.error } : {}) });
    else if (decision?.decision === 'denied') interim.set(c.key, { status: 'denied', ...(decision.reason ? { error: decision.reason } : {}) });
    else interim.set(c.key, { status: run.pending?.callKey === c.key ? 'awaiting-approval' : c.kind === 'write' && !decision ? 'waiting' : 'running' });
  }
  const steps: AskStepLine[] = run.turns.flatMap((t) =>
    t.calls.map((c) => ({
      step: t.n + 1,
      callKey: c.key,
      tool: c.name,
      args: c.args,
      kind: c.kind,
      status: c.status ?? interim.get(c.key)!.status,
      ref: c.ref,
      requests: c.requests ?? 0,
      ...(c.governorWaitMs !== undefined && c.kind !== 'summarize_calls' && c.kind !== 'deal_autopsy' ? { governorWaitMs: c.governorWaitMs } : {}),
      ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
      ...(c.totalChars !== undefined && c.shownChars !== undefined && c.shownChars < c.totalChars ? { shown: `${c.shownChars} of ${c.totalChars} chars` } : {}),
      ...(c.error ?? interim.get(c.key)?.error ? { error: c.error ?? interim.get(c.key)?.error } : {}),
    })),
  );
  const texts = new Map<string, string | undefined>();
  const textOf = async (key: string) => {
    if (!texts.has(key)) texts.set(key, (await store.getResult(run.runId, key))?.text);
    return texts.get(key);
  };
  const resolved = run.answer ? await resolveCitations(run, run.answer, textOf) : [];
  const citations: AskSource[] = [];
  for (const c of resolved) {
    const call = c.known && !c.callId ? callByRef(run, c.ref) : undefined;
    const text = call ? await textOf(call.key) : undefined;
    citations.push(text ? { ...c, ids: idsIn(safeParse(text), 8) } : c);
  }
  const endMs = run.finishedAtMs ?? Date.now();
  return {
    runId: run.runId,
    accountId: run.accountId,
    question: run.question,
    status: run.status,
    answer: run.answer ?? null,
    pending: run.pending ? { tool: run.pending.tool, arguments: run.pending.args, hash: run.pending.hash, callKey: run.pending.callKey } : null,
    ...(run.note ? { note: run.note } : {}),
    ...(run.toolsNote ? { toolsNote: run.toolsNote } : {}),
    createdAt: new Date(run.createdAtMs).toISOString(),
    ...(run.finishedAtMs ? { finishedAt: new Date(run.finishedAtMs).toISOString() } : {}),
    generatedAt: new Date().toISOString(),
    steps,
    turns: run.turns.map((t) => ({ step: t.n + 1, promptTokens: t.promptTokens, completionTokens: t.completionTokens, durationMs: t.durationMs, toolCalls: t.calls.length, toolChoice: t.toolChoice })),
    citations,
    decisions: run.decisions,
    totals: {
      modelTurns: run.turns.length,
      toolCalls: calls.length,
      upstreamRequests: calls.reduce((n, c) => n + (c.requests ?? 0), 0),
      promptTokens: run.turns.reduce((n, t) => n + t.promptTokens, 0),
      completionTokens: run.turns.reduce((n, t) => n + t.completionTokens, 0),
      pipelinePromptTokens: calls.reduce((n, c) => n + (c.promptTokens ?? 0), 0),
      pipelineCompletionTokens: calls.reduce((n, c) => n + (c.completionTokens ?? 0), 0),
      wallMs: endMs - run.createdAtMs,
    },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
