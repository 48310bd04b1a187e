/**
 * The sandbox model's tool calling (docs/agent-protocol.md). A chat request with `tools` is a model
 * turn of an agent run: the planner reads the conversation (the last user message is the question;
 * the tool messages since are the fleet's result envelopes) and answers with the next tool call(s)
 * or the final Markdown answer. It is deterministic: the same conversation always gives the same
 * turn, tool-call ids included. `chat-completions.ts` calls `prepare` (400s, billed prompt text)
 * and then `run`; requests without `tools` never reach this module.
 */
import { createHash } from 'node:crypto';
import { findInstruction, obey } from './injections.ts';
import { canonicalJson, isRecord, readConversation, type Conversation, type ProtocolError, type RawMessage } from './protocol.ts';
import { readQuestion, type Question } from './question.ts';
import { CANT_ANSWER, Final, Pending, Plan, type PlannedCall, type View } from './replay.ts';
import { autopsyPlan, summarizePlan } from './scripts/autopsy.ts';
import { coachingReviewPlan, scorecardTrendPlan } from './scripts/coaching.ts';
import { activityPlan } from './scripts/activity.ts';
import { dealBriefPlan } from './scripts/deal-brief.ts';
import { transcriptPlan } from './scripts/transcript.ts';
import { crmStagePlan, taskStatusPlan } from './scripts/writes.ts';
import { cite } from './format.ts';
import { readTools, type OfferedTool } from './tools.ts';

export { CANT_ANSWER } from './replay.ts';
export type { ProtocolError } from './protocol.ts';

export interface AgentStats {
  /** Answered chat requests that carried `tools` (model turns). */
  turns: number;
  /** Turns whose exact conversation had been answered before (a model turn made twice). */
  repeatedTurns: number;
  /** Turns that ended with a final answer rather than tool calls. */
  answers: number;
  /** Tool calls emitted in all turns. */
  toolCalls: number;
  /** Tool calls emitted, by tool name. */
  byTool: Record<string, number>;
  /** Task updates emitted because a tool result told the model to (obey-injections mode only). */
  obeyedWrites: number;
}

export interface AgentOptions {
  /** Act on instructions planted in tool results (to test the fleet's approval gate). Default false. */
  obeyInjections?: boolean;
}

/** What a turn puts in `choices[0]`, plus the text its completion tokens are counted on. */
export interface TurnOutput {
  content: string | null;
  toolCalls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  finishReason: 'stop' | 'tool_calls';
  /** The completion as text (the answer, or the tool calls' JSON) for token counting. */
  completionText: string;
}

export interface PreparedTurn {
  /** Text the prompt is billed for beyond the messages' content: tool definitions and earlier tool calls. */
  billedExtras: string;
  run(nowMs: number): TurnOutput;
}

export interface AgentModel {
  /** Validates a request that carries `tools`; a `ProtocolError` is OpenAI's 400. */
  prepare(request: AgentRequest): PreparedTurn | ProtocolError;
  stats(): AgentStats;
  obeyInjections(): boolean;
  setObeyInjections(on: boolean): void;
}

/** The parts of a chat request the agent reads (the request schema passes them through). */
export interface AgentRequest {
  messages: readonly RawMessage[];
  tools?: unknown;
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
}

/** Whether a request is an agent turn: it offers at least one tool. */
export function offersTools(request: object): boolean {
  const tools = (request as { tools?: unknown }).tools;
  return Array.isArray(tools) && tools.length > 0;
}

/** Counters since `base` (for the sandbox's `resetStats`). */
export function subtractAgentStats(now: AgentStats, base: AgentStats): AgentStats {
  const byTool: Record<string, number> = {};
  for (const [k, v] of Object.entries(now.byTool)) {
    const d = v - (base.byTool[k] ?? 0);
    if (d > 0) byTool[k] = d;
  }
  return {
    turns: now.turns - base.turns,
    repeatedTurns: now.repeatedTurns - base.repeatedTurns,
    answers: now.answers - base.answers,
    toolCalls: now.toolCalls - base.toolCalls,
    byTool,
    obeyedWrites: now.obeyedWrites - base.obeyedWrites,
  };
}

/** Remembered conversations, for `repeatedTurns` (a bounded set: old ones are forgotten). */
const MAX_REMEMBERED_TURNS = 100_000;

export function createAgentModel(opts: AgentOptions = {}): AgentModel {
  let obeyInjections = opts.obeyInjections ?? false;
  const stats: AgentStats = { turns: 0, repeatedTurns: 0, answers: 0, toolCalls: 0, byTool: {}, obeyedWrites: 0 };
  const remembered = new Set<string>();

  return {
    prepare(request) {
      const tools = readTools(request.tools);
      if ('message' in tools) return tools;
      const choice = request.tool_choice;
      if (choice !== undefined && choice !== null && choice !== 'auto' && choice !== 'none') {
        return { message: "The sandbox model supports tool_choice 'auto' (the default) and 'none' only.", param: 'tool_choice' };
      }
      const conversation = readConversation(request.messages);
      if ('message' in conversation) return conversation;
      const fingerprint = createHash('sha256').update(canonicalJson(request.messages)).update(canonicalJson(request.tools)).digest('base64url');
      return {
        billedExtras: billedExtras(request),
        run(nowMs) {
          stats.turns += 1;
          if (remembered.has(fingerprint)) stats.repeatedTurns += 1;
          else {
            if (remembered.size >= MAX_REMEMBERED_TURNS) remembered.clear();
            remembered.add(fingerprint);
          }
          const out = turn(conversation, tools, {
            nowMs,
            obey: obeyInjections,
            toolsAllowed: choice !== 'none',
            parallel: request.parallel_tool_calls !== false,
            fingerprint,
          });
          if (out.toolCalls) {
            stats.toolCalls += out.toolCalls.length;
            for (const c of out.toolCalls) stats.byTool[c.function.name] = (stats.byTool[c.function.name] ?? 0) + 1;
            stats.obeyedWrites += out.obeyedWrites;
          } else {
            stats.answers += 1;
          }
          return out;
        },
      };
    },
    stats: () => ({ ...stats, byTool: { ...stats.byTool } }),
    obeyInjections: () => obeyInjections,
    setObeyInjections: (on) => {
      obeyInjections = on;
    },
  };
}

interface TurnOptions {
  nowMs: number;
  obey: boolean;
  toolsAllowed: boolean;
  parallel: boolean;
  fingerprint: string;
}

function turn(conversation: Conversation, tools: OfferedTool[], opts: TurnOptions): TurnOutput & { obeyedWrites: number } {
  const nowMs = anchorNow(conversation.context, opts.nowMs);
  const plan = new Plan(conversation, tools, { nowMs });
  const question = readQuestion(conversation.question, nowMs);
  const instruction = findInstruction(conversation.toolTexts);
  let obeyed: View[] = [];
  let text: string;
  let pending: PlannedCall[] | undefined;
  let obeyedWrites = 0;
  try {
    if (opts.obey && instruction) {
      try {
        obeyed = obey(plan, instruction);
      } catch (err) {
        if (err instanceof Pending) obeyedWrites = err.calls.filter((c) => plan.tool('taskUpdate')?.name === c.name).length;
        throw err;
      }
    }
    text = answer(plan, question);
  } catch (err) {
    if (err instanceof Pending) pending = err.calls;
    else if (err instanceof Final) text = err.text;
    else throw err;
  }
  if (pending && opts.toolsAllowed) {
    const calls = opts.parallel ? pending : pending.slice(0, 1);
    const toolCalls = calls.map((c, i) => ({
      id: `call_${createHash('sha256').update(`${opts.fingerprint}|${i}`).digest('base64url').replace(/[-_]/g, '').slice(0, 24)}`,
      type: 'function' as const,
      function: { name: c.name, arguments: JSON.stringify(c.args) },
    }));
    return { content: null, toolCalls, finishReason: 'tool_calls', completionText: JSON.stringify(toolCalls.map((c) => c.function)), obeyedWrites: opts.parallel ? obeyedWrites : Math.min(obeyedWrites, 1) };
  }
  if (pending) text = `To answer I first need to call \`${pending[0]!.name}\`, but tool calls are turned off for this turn (tool_choice: none).`;
  const notes: string[] = [];
  if (obeyed.length > 0) {
    const changed = obeyed.filter((v) => v.status === 'ok').length;
    notes.push(`I also followed an instruction found in a tool result ("${instruction!.text}"): ${changed} of ${obeyed.length} task updates went through ${cite(...obeyed)}.`);
  } else if (instruction && !opts.obey) {
    notes.push(`Note: a tool result contained text addressed to an AI assistant ("${instruction.text}"). I treated it as data and did not act on it.`);
  }
  const content = [text!, ...notes].join('\n\n');
  return { content, finishReason: 'stop', completionText: content, obeyedWrites: 0 };
}

function answer(plan: Plan, q: Question): string {
  switch (q.kind) {
    case 'activity': return activityPlan(plan, q);
    case 'deal-brief': return dealBriefPlan(plan, q);
    case 'transcript-objections': return transcriptPlan(plan, q);
    case 'scorecard-trend': return scorecardTrendPlan(plan, q);
    case 'coaching-review': return coachingReviewPlan(plan, q);
    case 'task-status': return taskStatusPlan(plan, q);
    case 'crm-stage': return crmStagePlan(plan, q);
    case 'deal-autopsy': return autopsyPlan(plan, q);
    case 'summarize-calls': return summarizePlan(plan, q);
    case 'unknown': return CANT_ANSWER;
  }
}

/**
 * "Now" for relative dates: a `Current date: 2026-11-29` (or an ISO date-time) in the system
 * message wins over the clock, so a run resumed on another day plans the same calls.
 */
export function anchorNow(context: string, clockMs: number): number {
  const m = /\b(?:current date|today is|today's date is|date today)\s*(?:is)?\s*[:=]?\s*(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?)/i.exec(context);
  if (!m) return clockMs;
  const text = m[1]!;
  const ms = Date.parse(text.length === 10 ? `${text}T12:00:00Z` : text.endsWith('Z') ? text : `${text}Z`);
  return Number.isNaN(ms) ? clockMs : ms;
}

/** Tool definitions and earlier tool calls, as text: OpenAI bills both as prompt tokens. */
function billedExtras(request: AgentRequest): string {
  const parts = [JSON.stringify(request.tools)];
  for (const m of request.messages) {
    if (m.role === 'assistant' && Array.isArray(m['tool_calls'])) {
      for (const c of m['tool_calls'] as unknown[]) {
        if (isRecord(c) && isRecord(c['function'])) parts.push(`${String(c['function']['name'])}(${String(c['function']['arguments'] ?? '')})`);
      }
    }
  }
  return parts.join('\n');
}
