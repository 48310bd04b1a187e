/**
 * One model turn of an agent run: the conversation so far goes to the model under the governor,
 * and the completion is stored before anything acts on it, so a retried step reuses it instead of
 * asking again. Its tool calls are classified here, once: a read (the account's known reads), a
 * write (anything else: it waits for a person), `read_result`, a built-in, or invalid.
 *
 * The budget is read before every turn: the fleet learns the model's window from the server, so it
 * may turn out smaller than the run was sized for (the first context refusal of a server that does
 * not announce its window). Then the turn is re-sized (resize.ts) and asked again: a refused turn
 * was never stored, so nothing is repeated.
 */
import { NonRetryableError } from '../../platform/index.ts';
import { ContextOverflowError, toolNamed, type ToolCall, type ToolContext, type ToolTurn, type ToolTurnRequest, type TrutoTool } from '../../upstream/index.ts';
import { requestHash } from './approval.ts';
import { MIN_TURN_ROOM_TOKENS, promptTokensOf } from './budget.ts';
import type { ToolClassifier } from './classify.ts';
import { fitConversation } from './resize.ts';
import { messagesOf, type AskRun, type CallRecord, type TurnRecord } from './run-model.ts';
import { AskStore, StaleRunError } from './run-store.ts';
import { BUILTIN_NAMES } from './tools.ts';

/** Times one turn is re-sized and asked again because the window was learned smaller under it. */
export const MAX_TURN_RESIZES = 3;
/** A re-sized turn's prompt is at most this share of the refused one (progress when the numbers teach nothing). */
const REFUSED_PROMPT_SHARE = 0.9;

export interface TurnDeps {
  store: AskStore;
  /** One governed tool-calling completion (shared/upstream completeWithTools, bound to the LLM client). */
  complete: (req: ToolTurnRequest) => Promise<ToolTurn>;
  /** The model's prompt budget and output reservation now (from the LLM client, which learns the window). */
  context: () => Promise<ToolContext>;
  classify: ToolClassifier;
  /** The account's tools, undocumented ones included. */
  listTools: (accountId: string) => Promise<TrutoTool[]>;
  nowMs?: () => number;
  /** Told when a turn is re-sized for a window learned smaller (for the worker's log). */
  onResize?: (info: { runId: string; turn: number; fromBudgetTokens: number; toBudgetTokens: number; promptTokens: number }) => void;
}

/** Asks the model for turn `run.turns.length` and stores it; returns the run as saved. */
export async function takeModelTurn(deps: TurnDeps, run: AskRun): Promise<AskRun> {
  const n = run.turns.length;
  let context = await deps.context();
  for (let resizes = 0; ; resizes += 1) {
    const fitted = await fitConversation(deps.store, context, run);
    if (fitted.stale) return fitted.run;
    run = fitted.run;
    try {
      return await askAndStore(deps, run, context);
    } catch (err) {
      if (!(err instanceof ContextOverflowError) || resizes >= MAX_TURN_RESIZES) throw err;
      // Refused by the server (or by the client, with a window another process learned): the
      // client has learned a smaller window or a larger token factor. Should a refusal have taught
      // it nothing, the turn is sized below the prompt that was refused, so it is not sent again.
      const learned = await deps.context();
      const budget =
        learned.promptBudgetTokens < context.promptBudgetTokens
          ? learned.promptBudgetTokens
          : Math.min(context.promptBudgetTokens, Math.floor(err.promptTokens * REFUSED_PROMPT_SHARE));
      deps.onResize?.({ runId: run.runId, turn: n, fromBudgetTokens: context.promptBudgetTokens, toBudgetTokens: budget, promptTokens: err.promptTokens });
      context = { ...learned, promptBudgetTokens: budget };
    }
  }
}

async function askAndStore(deps: TurnDeps, run: AskRun, context: ToolContext): Promise<AskRun> {
  const now = deps.nowMs ?? Date.now;
  const n = run.turns.length;
  const messages = messagesOf(run);
  const budget = context.promptBudgetTokens;
  const promptTokens = promptTokensOf(messages, run.tools);
  if (promptTokens > budget) {
    throw new NonRetryableError(`the conversation (${promptTokens} tokens) no longer fits the model's ${budget}-token prompt budget`);
  }
  let toolChoice: 'auto' | 'none' = 'auto';
  let note: string | undefined;
  if (n >= run.maxSteps - 1) {
    toolChoice = 'none';
    note = `Partial answer: the run reached --max-steps ${run.maxSteps} before the model finished.`;
  } else if (budget - promptTokens < MIN_TURN_ROOM_TOKENS) {
    toolChoice = 'none';
    note = `Partial answer: the conversation reached the model's context budget (${promptTokens} of ${budget} prompt tokens) before the model finished.`;
  }
  // Read before the model call (cached by the client): nothing that can fail may stand between
  // the completion and storing it, or a retry would ask the model again.
  const accountTools = toolChoice === 'none' ? [] : await deps.listTools(run.accountId);
  const startedMs = now();
  const completion = await deps.complete({ messages, tools: run.tools, toolChoice });
  // With tool_choice none, tool calls a model makes anyway are not run: the turn is the answer.
  const calls = toolChoice === 'none' ? [] : classifyCalls(deps.classify, run, n, completion.toolCalls, accountTools);
  const turn: TurnRecord = {
    n,
    content: completion.content,
    toolCalls: toolChoice === 'none' ? [] : completion.toolCalls,
    finishReason: completion.finishReason,
    toolChoice,
    promptTokens: completion.promptTokens,
    completionTokens: completion.completionTokens,
    atMs: startedMs,
    durationMs: now() - startedMs,
    calls,
    done: calls.length === 0,
  };
  const refsUsed = calls.filter((c) => c.kind !== 'read_result').length;
  try {
    return await deps.store.save({ ...run, turns: [...run.turns, turn], nextRef: run.nextRef + refsUsed, ...(note ? { note } : {}) });
  } catch (err) {
    if (!(err instanceof StaleRunError)) throw err;
    // Another attempt stored this turn first: use its completion, not ours.
    const current = await deps.store.get(run.runId);
    if (current && current.turns.length > n) return current;
    throw err;
  }
}

function classifyCalls(classify: ToolClassifier, run: AskRun, n: number, toolCalls: ToolCall[], tools: readonly TrutoTool[]): CallRecord[] {
  let nextRef = run.nextRef;
  return toolCalls.map((tc, i) => {
    const key = `t${n}c${i}`;
    const args = parseArgs(tc.arguments);
    const base = { key, id: tc.id, name: tc.name, args: args ?? {} };
    if (tc.name === BUILTIN_NAMES.readResult) {
      return { ...base, kind: 'read_result' as const, ref: typeof args?.ref === 'string' ? args.ref : '' };
    }
    const ref = `r${nextRef++}`;
    if (args === undefined) return { ...base, kind: 'invalid' as const, ref, error: 'the arguments are not a JSON object' };
    if (tc.name === BUILTIN_NAMES.summarizeCalls) return { ...base, kind: 'summarize_calls' as const, ref };
    if (tc.name === BUILTIN_NAMES.dealAutopsy) return { ...base, kind: 'deal_autopsy' as const, ref };
    const tool = toolNamed(tools, tc.name);
    if (!tool) return { ...base, kind: 'invalid' as const, ref, error: `no tool named ${tc.name} on this account` };
    if (classify(tool) === 'read') return { ...base, kind: 'read' as const, ref };
    return { ...base, kind: 'write' as const, ref, hash: requestHash(run.runId, tc.name, args) };
  });
}

function parseArgs(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text || '{}') as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
