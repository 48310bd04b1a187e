/**
 * The agent protocol's wire side (docs/agent-protocol.md): reading a chat request's conversation
 * into the question and the tool exchanges since it, each tool message parsed as the fleet's
 * result envelope, with OpenAI's own 400s for a conversation whose tool calls and tool messages
 * don't pair up.
 */

export type ResultStatus = 'ok' | 'error' | 'denied';

/** A tool message's content: `{"ref","tool","status","result","truncated","next_offset"?,"error"?}`. */
export interface Envelope {
  /** Citation handle, e.g. `r3`. */
  ref?: string;
  tool?: string;
  status: ResultStatus;
  /** The result; when `truncated`, a string holding a prefix of the result's JSON text. */
  result: unknown;
  truncated: boolean;
  /** Character offset in the result's JSON text where the next `read_result` slice starts. */
  nextOffset?: number;
  error?: string;
}

/** One tool call the model made and, once the fleet answered it, its result. */
export interface Exchange {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Name plus canonical arguments: how a replayed plan recognises a call it made before. */
  key: string;
  envelope?: Envelope;
}

export interface Conversation {
  /** The last user message: the only text the model takes instructions from. */
  question: string;
  /** System and developer messages (e.g. "Current date: 2026-11-29"). */
  context: string;
  /** Tool calls and results after the question, in order. */
  exchanges: Exchange[];
  /** The results after the question as text (where planted instructions would be). */
  toolTexts: string[];
}

export interface ProtocolError {
  message: string;
  param: string | null;
}

/** A chat message as the request schema lets it through (extra fields kept). */
export interface RawMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

const STATUSES: readonly ResultStatus[] = ['ok', 'error', 'denied'];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : '')).join('\n');
  }
  return '';
}

/** JSON with object keys sorted, so equal arguments give equal keys whatever their order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function exchangeKey(name: string, args: Record<string, unknown>): string {
  return `${name}\u0000${canonicalJson(args)}`;
}

export function parseEnvelope(text: string): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the protocol's envelope: take the text itself as the result, like a model would.
    return { status: 'ok', result: text, truncated: false };
  }
  if (!isRecord(parsed) || !STATUSES.includes(parsed['status'] as ResultStatus)) {
    return { status: 'ok', result: parsed, truncated: false };
  }
  const env: Envelope = {
    status: parsed['status'] as ResultStatus,
    result: parsed['result'],
    truncated: parsed['truncated'] === true,
  };
  if (typeof parsed['ref'] === 'string') env.ref = parsed['ref'];
  if (typeof parsed['tool'] === 'string') env.tool = parsed['tool'];
  if (typeof parsed['next_offset'] === 'number') env.nextOffset = parsed['next_offset'];
  if (typeof parsed['error'] === 'string') env.error = parsed['error'];
  return env;
}

function parseArgs(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

/** Reads the conversation, or returns the 400 OpenAI would send for it. */
export function readConversation(messages: readonly RawMessage[]): Conversation | ProtocolError {
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const conversation: Conversation = {
    question: lastUser >= 0 ? textOf(messages[lastUser]!.content) : '',
    context: messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n'),
    exchanges: [],
    toolTexts: [],
  };
  const byId = new Map<string, Exchange>();
  let awaiting: string[] = [];

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'tool' && awaiting.length > 0) return unanswered(awaiting);
    if (m.role === 'assistant' && m['tool_calls'] !== undefined && m['tool_calls'] !== null) {
      const calls = m['tool_calls'];
      if (!Array.isArray(calls)) return { message: `Invalid type for 'messages[${i}].tool_calls': expected an array.`, param: `messages[${i}].tool_calls` };
      for (let j = 0; j < calls.length; j++) {
        const call = calls[j] as unknown;
        const fn = isRecord(call) ? call['function'] : undefined;
        if (!isRecord(call) || typeof call['id'] !== 'string' || !isRecord(fn) || typeof fn['name'] !== 'string') {
          return { message: `Invalid value for 'messages[${i}].tool_calls[${j}]': expected {id, type: 'function', function: {name, arguments}}.`, param: `messages[${i}].tool_calls[${j}]` };
        }
        const args = parseArgs(fn['arguments']);
        const exchange: Exchange = { id: call['id'], name: fn['name'], args, key: exchangeKey(fn['name'], args) };
        byId.set(exchange.id, exchange);
        awaiting.push(exchange.id);
        if (i > lastUser) conversation.exchanges.push(exchange);
      }
    } else if (m.role === 'tool') {
      const id = m['tool_call_id'];
      if (typeof id !== 'string') return { message: `Missing required parameter: 'messages[${i}].tool_call_id'.`, param: `messages[${i}].tool_call_id` };
      const exchange = byId.get(id);
      if (!exchange || !awaiting.includes(id)) {
        // OpenAI's own wording, spelling included.
        return { message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", param: `messages[${i}].role` };
      }
      awaiting = awaiting.filter((x) => x !== id);
      exchange.envelope = parseEnvelope(textOf(m.content));
      // Only the result itself: the envelope's own fields (tool name, status) are the fleet's, not the source's.
      const result = exchange.envelope.result;
      if (i > lastUser) conversation.toolTexts.push(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    }
  }
  if (awaiting.length > 0) return unanswered(awaiting);
  return conversation;
}

function unanswered(ids: string[]): ProtocolError {
  return {
    message:
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
      `The following tool_call_ids did not have response messages: ${ids.join(', ')}`,
    param: 'messages',
  };
}
