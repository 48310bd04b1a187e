/**
 * Re-sizing a run for a window learned smaller than it was sized for. The fleet learns the model's
 * window from the server (a server that announces none is assumed large until its first context
 * refusal), so the last turn's results, and the tool list fixed when the run started, may have been
 * sized for a window the model does not have. Before a turn is sent:
 * - the tool list is compacted when it is over its share of the budget now (tools.ts);
 * - the last turn's envelopes are sized again from their stored results. No model turn has read
 *   them yet (the turn that would is the one being sent), so the conversation stays append-only
 *   as far as the model is concerned: what it saw never changes.
 * Earlier envelopes were read by the model and stay as they are.
 */
import type { ToolContext } from '../../upstream/index.ts';
import { NEXT_TURN_RESERVE_TOKENS, promptTokensOf } from './budget.ts';
import { assignEnvelopes } from './results.ts';
import { messagesOf, type AskRun } from './run-model.ts';
import { StaleRunError, type AskStore } from './run-store.ts';
import { fitToolList } from './tools.ts';

export interface FittedRun {
  run: AskRun;
  /** True when another attempt stored the next turn meanwhile: `run` is that attempt's. */
  stale: boolean;
}

/** The run fitted to `context` for its next turn (saved when anything changed). */
export async function fitConversation(store: AskStore, context: ToolContext, run: AskRun): Promise<FittedRun> {
  const budget = context.promptBudgetTokens;
  const before = promptTokensOf(messagesOf(run), run.tools);
  // The last results were sized to leave this much room; while they do, nothing needs re-sizing.
  if (budget - before >= NEXT_TURN_RESERVE_TOKENS) return { run, stale: false };

  let next = run;
  const tools = fitToolList(run.tools, budget);
  if (tools.note) next = { ...next, tools: tools.tools, toolsNote: tools.note };
  const last = next.turns.at(-1);
  if (last && last.done && last.calls.length > 0) next = await assignEnvelopes(store, context, next, last.n);
  if (promptTokensOf(messagesOf(next), next.tools) >= before) return { run, stale: false };

  try {
    return { run: await store.save(next), stale: false };
  } catch (err) {
    if (!(err instanceof StaleRunError)) throw err;
    const current = await store.get(run.runId);
    if (current && current.turns.length > run.turns.length) return { run: current, stale: true };
    throw err;
  }
}
