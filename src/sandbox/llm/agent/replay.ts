/**
 * The planner's engine. A plan is a plain function that asks for tool results as it goes
 * (`plan.call(...)`); each model turn runs it from the start over the conversation so far. A call
 * whose result is already in the conversation returns it; the first missing one stops the run
 * (`Pending`) and becomes the turn's tool call(s). So the planner keeps no state between turns:
 * the same conversation always gives the same next step, which is what makes a resumed agent run
 * (or a replayed model turn) come out identical.
 */
import { parsePartialJson } from './partial-json.ts';
import type { Conversation, Envelope, Exchange, ResultStatus } from './protocol.ts';
import { exchangeKey, isRecord } from './protocol.ts';
import { cursorOf, type Row } from './records.ts';
import { buildArgs, BUILTINS, type Capability, type OfferedTool } from './tools.ts';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/** Thrown when the plan needs results it doesn't have: these calls are the turn's answer. */
export class Pending {
  constructor(readonly calls: PlannedCall[]) {}
}

/** Thrown (or returned) when the plan has its answer. */
export class Final {
  constructor(readonly text: string) {}
}

export const CANT_ANSWER = "I can't answer that with the available tools.";

/** A finished tool call as the plan sees it. */
export interface View {
  /** Citation handle: the envelope's `ref`, or the tool call id when the fleet sent none. */
  ref: string;
  tool: string;
  status: ResultStatus;
  /** The result (partial when `complete` is false). */
  data: unknown;
  complete: boolean;
  error?: string;
  /** The JSON text read so far and where the next slice starts (truncated results only). */
  text?: string;
  nextOffset?: number;
}

export interface PlanOptions {
  /** "Now" for relative dates, stable for a run (see docs/agent-protocol.md, "Current date"). */
  nowMs: number;
}

/** Most `read_result` slices read of one result; a plan that needs more reports what it has. */
const MAX_SLICES = 40;
/** Most pages followed by `scan`. */
const MAX_PAGES = 10;

export class Plan {
  readonly question: string;
  readonly nowMs: number;
  private readonly byKey = new Map<string, Exchange[]>();

  constructor(
    readonly conversation: Conversation,
    readonly tools: readonly OfferedTool[],
    opts: PlanOptions,
  ) {
    this.question = conversation.question;
    this.nowMs = opts.nowMs;
    for (const ex of conversation.exchanges) {
      if (!ex.envelope) continue;
      this.byKey.set(ex.key, [...(this.byKey.get(ex.key) ?? []), ex]);
    }
  }

  tool(capability: Capability): OfferedTool | undefined {
    return this.tools.find((t) => t.capability === capability);
  }

  /** The tool, or the final "can't answer" (naming what is missing) when it isn't offered. */
  need(capability: Capability, purpose: string): OfferedTool {
    const tool = this.tool(capability);
    if (!tool) throw new Final(`${CANT_ANSWER} (No tool to ${purpose} was offered.)`);
    return tool;
  }

  /** Arguments `tool` would get for these Gong-named values. */
  args(tool: OfferedTool, logical: Record<string, unknown>): Record<string, unknown> {
    return tool.capability === 'readResult' || tool.capability === 'summarizeCalls' || tool.capability === 'dealAutopsy'
      ? stripUndefined(logical)
      : buildArgs(tool, logical);
  }

  /** The result of this call (the `occurrence`-th time it was made), or `Pending` to make it. */
  call(tool: OfferedTool, logical: Record<string, unknown>, occurrence = 0): View {
    return this.callAll([[tool, logical, occurrence]])[0]!;
  }

  /** Several independent calls: all missing ones go out together, as parallel tool calls. */
  callAll(calls: ReadonlyArray<readonly [OfferedTool, Record<string, unknown>, number?]>): View[] {
    const missing: PlannedCall[] = [];
    const views: View[] = [];
    for (const [tool, logical, occurrence = 0] of calls) {
      const args = this.args(tool, logical);
      const found = this.byKey.get(exchangeKey(tool.name, args))?.[occurrence];
      if (found?.envelope) views.push(toView(found, found.envelope));
      else if (!missing.some((m) => m.name === tool.name && JSON.stringify(m.args) === JSON.stringify(args))) {
        missing.push({ name: tool.name, args });
      }
    }
    if (missing.length > 0) throw new Pending(missing);
    return views;
  }

  /**
   * A truncated result read on with `read_result` until `enough` says the plan has what it needs
   * (or the result is whole). Without a `read_result` tool, the partial view as it is.
   */
  read(view: View, enough?: (data: unknown) => boolean): View {
    if (view.complete || view.status !== 'ok') return view;
    const reader = this.tool('readResult');
    let current = view;
    for (let n = 0; n < MAX_SLICES && reader; n++) {
      if (enough?.(current.data)) return current;
      const offset = current.nextOffset ?? 0;
      const slice = this.call(reader, { ref: view.ref, offset });
      if (slice.status !== 'ok') return { ...current, error: slice.error ?? 'read_result failed' };
      const sliceText = typeof slice.text === 'string' ? slice.text : typeof slice.data === 'string' ? slice.data : JSON.stringify(slice.data);
      const text = (current.text ?? '') + sliceText;
      const more = slice.complete === false;
      const parsed = parsePartialJson(text);
      current = {
        ...current,
        data: parsed.value,
        complete: !more,
        text,
        nextOffset: slice.nextOffset ?? offset + sliceText.length,
      };
      if (!more) return current;
    }
    return current;
  }

  /**
   * Pages through a list (next cursor) and through truncated pages (read_result) until `done` holds
   * for the rows `pick` finds, or there is nothing more. `failed` is the first result not `ok`.
   */
  scan(tool: OfferedTool, logical: Record<string, unknown>, pick: (data: unknown) => Row[], done: (rows: Row[]) => boolean): { rows: Row[]; views: View[]; failed?: View } {
    const rows: Row[] = [];
    const views: View[] = [];
    let args = logical;
    for (let page = 0; page < MAX_PAGES; page++) {
      const first = this.call(tool, args);
      if (first.status !== 'ok') return { rows, views, failed: first };
      const view = this.read(first, (data) => done([...rows, ...pick(data)]));
      views.push(view);
      rows.push(...pick(view.data));
      if (done(rows) || !view.complete) return { rows, views };
      const cursor = cursorOf(view.data);
      const key = cursor && cursorKey(tool, cursor.style);
      if (!cursor || !key) return { rows, views };
      args = { ...logical, [key]: cursor.value };
    }
    return { rows, views };
  }
}

function cursorKey(tool: OfferedTool, style: 'truto' | 'gong'): string | undefined {
  const order = style === 'truto' ? ['nextcursor', 'cursor'] : ['cursor', 'nextcursor'];
  const hit = order.find((n) => tool.slots.has(n));
  return hit === undefined ? undefined : hit === 'nextcursor' ? 'nextCursor' : 'cursor';
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Every finished exchange of the conversation as a view (what the model has seen so far). */
export function seen(conversation: Conversation): View[] {
  return conversation.exchanges.filter((ex) => ex.envelope).map((ex) => toView(ex, ex.envelope!));
}

function toView(ex: Exchange, env: Envelope): View {
  const base = { ref: env.ref ?? ex.id, tool: ex.name, status: env.status };
  if (env.status !== 'ok') return { ...base, data: env.result, complete: true, error: env.error ?? describeError(env.result) };
  if (ex.name === BUILTINS.readResult || env.truncated) {
    // A slice (or a truncated first page) is a piece of JSON text, read as far as it goes.
    const text = typeof env.result === 'string' ? env.result : undefined;
    const parsed = text === undefined ? { value: env.result } : parsePartialJson(text);
    return {
      ...base,
      data: parsed.value,
      complete: !env.truncated,
      // A preview that isn't a prefix of the text can't be continued: read from the start.
      text: text ?? '',
      ...(env.nextOffset !== undefined
        ? { nextOffset: env.nextOffset }
        : ex.name === BUILTINS.readResult ? {} : { nextOffset: text === undefined ? 0 : text.length }),
    };
  }
  let data = env.result;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      // plain text result
    }
  }
  return { ...base, data, complete: true };
}

/** A one-line reason from a Truto/Gong error body. */
export function describeError(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (isRecord(body)) {
    const status = body['statusCode'] ?? body['status'];
    const message = body['message'] ?? body['error'];
    if (typeof message === 'string') return status !== undefined ? `${String(status)} ${message}` : message;
  }
  return 'the tool failed';
}
