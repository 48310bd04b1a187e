/**
 * An agent run (`gong-fleet ask`) as it is stored in Redis: the question, the account, the tools
 * offered (fixed when the run starts, so a replayed turn sends the same request), every model turn
 * with the completion stored before anything acts on it, every tool call with its result envelope
 * (the exact tool message the model saw: the conversation is append-only), the write waiting for a
 * person, and the decisions people made. Nothing here is a secret: no tokens, no keys.
 */
import type { AgentMessage, ToolCall, ToolDefinition } from '../../upstream/index.ts';

export const ASK_STATUSES = ['running', 'awaiting-approval', 'answered', 'denied', 'failed'] as const;
export type AskStatus = (typeof ASK_STATUSES)[number];
/** Statuses after which no step runs again (awaiting-approval resumes only through `approve`). */
export const FINAL_ASK_STATUSES: ReadonlySet<AskStatus> = new Set(['answered', 'denied', 'failed']);

/** How a tool call is carried out. */
export type CallKind = 'read' | 'write' | 'read_result' | 'summarize_calls' | 'deal_autopsy' | 'invalid';

export type ResultStatus = 'ok' | 'error' | 'denied';

export interface CallRecord {
  /** Unique in the run: `t<turn>c<index>`; part of the child job ids. */
  key: string;
  /** The model's tool_call_id. */
  id: string;
  name: string;
  /** The model's arguments, parsed ({} when they were not a JSON object). */
  args: Record<string, unknown>;
  kind: CallKind;
  /** Citation handle (`r3`) of this call's result; a read_result slice cites its source's. */
  ref: string;
  /** Writes: sha256 of (run, tool, canonical arguments), what an approval is bound to. */
  hash?: string;
  /** Set with the envelope, once the result is stored. */
  status?: ResultStatus;
  /** The tool message content the model saw (docs/agent-protocol.md §3). Never changes once set. */
  envelope?: string;
  error?: string;
  /** Upstream (Truto) requests this call made, built-ins' pipelines included. */
  requests?: number;
  /** Time the governor held the call (inline gate waits plus rate-limit delays), in ms. */
  governorWaitMs?: number;
  /** The call's own duration (request, or the whole pipeline), in ms. */
  durationMs?: number;
  /** Characters of the result shown in this envelope, and of the whole stored result. */
  shownChars?: number;
  totalChars?: number;
  /** LLM tokens a built-in's pipeline spent. */
  promptTokens?: number;
  completionTokens?: number;
  /** Built-ins: the summarize/autopsy run launched for this call. */
  pipelineRunId?: string;
}

export interface TurnRecord {
  /** 0-based. */
  n: number;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string;
  toolChoice: 'auto' | 'none';
  promptTokens: number;
  completionTokens: number;
  atMs: number;
  durationMs: number;
  calls: CallRecord[];
  /** True once every call has its envelope. */
  done: boolean;
}

/** A write the model asked for that no person has decided on yet. */
export interface PendingWrite {
  callKey: string;
  turn: number;
  tool: string;
  args: Record<string, unknown>;
  hash: string;
  sinceMs: number;
}

export interface Decision {
  hash: string;
  callKey: string;
  tool: string;
  decision: 'approved' | 'denied';
  reason?: string;
  /** Who decided (user@host). */
  by: string;
  atMs: number;
}

export interface AskRun {
  runId: string;
  accountId: string;
  question: string;
  createdAtMs: number;
  /** `Current date` of the system message: fixed for the run, so resumed turns plan the same. */
  currentDate: string;
  /** Model turns allowed; the last one is asked to answer without tools. */
  maxSteps: number;
  /** Largest slice of a result shown at once, in characters (less when the budget is tight). */
  resultChars: number;
  model: string;
  system: string;
  tools: ToolDefinition[];
  /** Set when the tool list was compacted to fit the budget. */
  toolsNote?: string;
  status: AskStatus;
  turns: TurnRecord[];
  pending?: PendingWrite;
  decisions: Decision[];
  /** Next citation number. */
  nextRef: number;
  answer?: string;
  /** Why the run failed or stopped early (max steps, budget, an error). */
  note?: string;
  finishedAtMs?: number;
  /** Bumped by every save; a save against a stale version is refused. */
  version: number;
}

/** The conversation so far, as the next turn sends it: every earlier message unchanged. */
export function messagesOf(run: AskRun, throughTurn = run.turns.length): AgentMessage[] {
  const out: AgentMessage[] = [
    { role: 'system', content: run.system },
    { role: 'user', content: run.question },
  ];
  for (const t of run.turns.slice(0, throughTurn)) {
    out.push({
      role: 'assistant',
      content: t.content,
      ...(t.toolCalls.length > 0
        ? { tool_calls: t.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
        : {}),
    });
    for (const c of t.calls) if (c.envelope !== undefined) out.push({ role: 'tool', tool_call_id: c.id, content: c.envelope });
  }
  return out;
}

/** Every call of the run, in order. */
export function allCalls(run: AskRun): CallRecord[] {
  return run.turns.flatMap((t) => t.calls);
}

/** The call whose result a ref names (slices name their source). */
export function callByRef(run: AskRun, ref: string): CallRecord | undefined {
  return allCalls(run).find((c) => c.ref === ref && c.kind !== 'read_result');
}
