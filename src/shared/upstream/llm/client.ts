/**
 * The fleet's LLM client: the official `openai` SDK against any OpenAI-compatible server, every
 * request through the governor's LLM gate, tuned from the server's own answers (context-budget.ts:
 * the window, its token counts; the governor: its rate limits). Public surface, for every caller
 * that talks to a model (the map/reduce steps, narratives, the `ask` agent):
 * - `budget({kind, maxOutputTokens, outputShare})`: the prompt budget now, in the fleet's tokens
 *   (`countPromptTokens`), and the output a request reserves;
 * - `chat(request, opts)`: one completion (tools, any messages) through the gate, with learning;
 * - `parse(schema, name, messages, opts)`: a structured completion checked against a zod schema.
 * Typed failures: `ContextOverflowError` (re-split; retryable when the server taught a smaller
 * window), `OutputLengthError` (the answer hit its limit), 429 → `RetryAfterError`, other 4xx
 * permanent, 5xx and network retryable.
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import { FleetError, NonRetryableError, RetryAfterError, serverDelayMs, silentLogger, type Logger } from '../../platform/index.ts';
import { ContextOverflowError, OutputLengthError } from '../errors.ts';
import { openGate, type GateKey, type GateTicket, type RequestGate } from '../gate.ts';
import { parseDurationMs } from '../governor/headers.ts';
import { ContextBudget, type WindowView } from './context-budget.ts';
import { parseContextRefusal } from './overflow.ts';
import { probeContextWindow } from './probe.ts';
import { fetchKeepingErrorBodies, withErrorBody } from './raw-body.ts';
import { memoryFactsStore, type ServerFactsStore } from './server-facts.ts';
import { countChatTokens, countRequestTokens } from './tokens.ts';

export interface LlmClientOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** OPENAI_CONTEXT_TOKENS: the window when the user pins it. Default: learned from the server. */
  contextTokens?: number;
  /** Most output tokens a completion reserves (OPENAI_MAX_OUTPUT_TOKENS); a smaller window gets a quarter of itself. */
  maxOutputTokens: number;
  /** Where what is learned about the server is shared (redisFactsStore). Default: this client only. */
  facts?: ServerFactsStore;
  /** Window assumed until the server says otherwise. Default 128000. */
  assumedContextTokens?: number;
  /** Ask the server for its window (probe.ts). Default true. */
  probe?: boolean;
  /** Governor gate for the LLM bucket. Default: none. */
  gate?: RequestGate;
  logger?: Logger;
  /** Per request timeout in ms. Default 120000. */
  timeoutMs?: number;
  /** Injected fetch (tests). Default global fetch. */
  fetch?: typeof fetch;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat request without what the client sets itself (model, output limit, streaming). */
export type ChatRequest = Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'max_tokens' | 'max_completion_tokens' | 'stream' | 'n'>;

export interface ChatOptions {
  /**
   * What kind of prompt this is: token-count factors are learned per kind, since a tokenizer's
   * ratio to the fleet's differs between transcripts and JSON. Default 'chat' (`parse`: the schema name).
   */
  kind?: string;
  /** Most output tokens to reserve. Default OPENAI_MAX_OUTPUT_TOKENS. */
  maxOutputTokens?: number;
  /** Most output as a share of the window (so a small window keeps room for the prompt). Default 0.25. */
  outputShare?: number;
  /**
   * Least output to reserve: a prompt too large for the full reservation may take the output's
   * room down to this floor instead of being refused (the agent's long conversations, whose
   * answers are short). `budget()` then sizes the prompt for the floor. Default: the full reservation.
   */
  minOutputTokens?: number;
  /**
   * Return an answer cut at the output limit (finish_reason "length") instead of throwing
   * OutputLengthError, for callers that can use a partial answer (the agent stores it with a note).
   * Default false.
   */
  acceptCutAnswer?: boolean;
  /**
   * Share of the window left unused against the token-count factor varying between prompts of a
   * kind. Default WINDOW_MARGIN (0.04). Callers whose prompts the server has all but counted
   * already (the agent's append-only conversation) and that re-size on a refusal may take less.
   */
  windowMargin?: number;
}

/** The budget a request of one kind has now. */
export interface PromptBudget {
  window: WindowView;
  /** Output tokens a request reserves (max_completion_tokens); with `minOutputTokens`, when the prompt leaves room. */
  outputTokens: number;
  /** Fleet tokens (`countPromptTokens`) the prompt may use (with `minOutputTokens` reserved, when given). */
  promptTokens: number;
  /** The server's tokens per fleet token assumed for this kind (to size an answer in fleet tokens). */
  tokenRatio: number;
}

export interface ChatAnswer {
  completion: ChatCompletion;
  promptTokens: number;
  completionTokens: number;
}

export interface ParsedCompletion<T> {
  value: T;
  promptTokens: number;
  completionTokens: number;
}

export const DEFAULT_OUTPUT_SHARE = 0.25;
/** Floor of the output reservation, whatever the window. */
const MIN_OUTPUT_TOKENS = 64;

export class LlmClient {
  private readonly client: OpenAI;
  private readonly gate: RequestGate;
  private readonly logger: Logger;
  private readonly budgets: ContextBudget;

  constructor(private readonly opts: LlmClientOptions) {
    const baseFetch = opts.fetch ?? fetch;
    this.client = new OpenAI({
      baseURL: opts.baseUrl,
      apiKey: opts.apiKey,
      maxRetries: 0, // retries belong to BullMQ and the governor, not hidden inside the SDK
      timeout: opts.timeoutMs ?? 120_000,
      fetch: fetchKeepingErrorBodies(baseFetch),
    });
    this.gate = opts.gate ?? openGate;
    this.logger = opts.logger ?? silentLogger;
    const probe = opts.probe ?? true;
    this.budgets = new ContextBudget({
      store: opts.facts ?? memoryFactsStore(),
      ...(opts.contextTokens !== undefined ? { configuredWindowTokens: opts.contextTokens } : {}),
      ...(opts.assumedContextTokens !== undefined ? { assumedWindowTokens: opts.assumedContextTokens } : {}),
      ...(probe ? { probe: () => probeContextWindow({ baseUrl: opts.baseUrl, apiKey: opts.apiKey, model: opts.model, fetch: baseFetch }) } : {}),
      logger: this.logger,
    });
  }

  get model(): string {
    return this.opts.model;
  }

  /** The budget of a request of `opts.kind` now (reads what the fleet learned; probes the server once). */
  async budget(opts: ChatOptions = {}): Promise<PromptBudget> {
    await this.budgets.refresh();
    const window = this.budgets.window();
    const kind = opts.kind ?? 'chat';
    const outputTokens = this.outputTokens(window, opts);
    const leastOutputTokens = this.leastOutputTokens(outputTokens, opts);
    const promptTokens = this.budgets.promptTokens(kind, leastOutputTokens, opts.windowMargin);
    return { window, outputTokens, promptTokens, tokenRatio: this.budgets.ratio(kind).ratio };
  }

  /** Prompt tokens of messages as the fleet counts them (the unit of every budget). */
  countPromptTokens(messages: ChatMessage[]): number {
    return countChatTokens(messages);
  }

  /** One completion through the gate. Its output is capped at `budget(opts).outputTokens`. */
  async chat(request: ChatRequest, opts: ChatOptions = {}): Promise<ChatAnswer> {
    const kind = opts.kind ?? 'chat';
    const estimate = countRequestTokens(request);
    return this.budgets.admit(
      kind,
      estimate,
      (window) => {
        const full = this.outputTokens(window, opts);
        if (opts.minOutputTokens === undefined) return full;
        // The full reservation when the prompt leaves room for it, else what is left, down to the floor.
        return Math.max(this.leastOutputTokens(full, opts), Math.min(full, this.budgets.outputRoom(kind, estimate, opts.windowMargin)));
      },
      (outputTokens) => this.send(request, kind, estimate, outputTokens, opts.acceptCutAnswer ?? false),
      (budgetTokens) =>
        new ContextOverflowError(`prompt of ${estimate} tokens exceeds the budget of ${budgetTokens} (${this.budgets.describe('now')})`, estimate, {
          budgetTokens,
        }),
      opts.windowMargin,
    );
  }

  /**
   * One structured completion: `response_format` from the zod schema, the answer checked against
   * it. The prompt kind defaults to the schema name.
   */
  async parse<S extends z.ZodType>(
    schema: S,
    schemaName: string,
    messages: ChatMessage[],
    opts: ChatOptions = {},
  ): Promise<ParsedCompletion<z.output<S>>> {
    const answer = await this.chat(
      { messages, temperature: 0, response_format: zodResponseFormat(schema as never, schemaName) },
      { ...opts, kind: opts.kind ?? schemaName },
    );
    const message = answer.completion.choices[0]?.message;
    if (message?.refusal) throw new NonRetryableError(`the model declined to answer ${schemaName}: ${message.refusal.slice(0, 200)}`);
    const parsed = schema.safeParse(jsonOf(message?.content));
    if (!parsed.success) throw new FleetError(`model returned no parsable ${schemaName}`, true);
    return { value: parsed.data as z.output<S>, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens };
  }

  private outputTokens(window: WindowView, opts: ChatOptions): number {
    const cap = opts.maxOutputTokens ?? this.opts.maxOutputTokens;
    return Math.max(MIN_OUTPUT_TOKENS, Math.min(cap, Math.floor(window.tokens * (opts.outputShare ?? DEFAULT_OUTPUT_SHARE))));
  }

  private leastOutputTokens(outputTokens: number, opts: ChatOptions): number {
    return opts.minOutputTokens === undefined ? outputTokens : Math.min(outputTokens, Math.max(MIN_OUTPUT_TOKENS, opts.minOutputTokens));
  }

  private async send(request: ChatRequest, kind: string, estimate: number, outputTokens: number, acceptCut: boolean): Promise<ChatAnswer> {
    // The governor counts the server's tokens: the estimate times the learned factor, plus the output.
    const key: GateKey = { bucket: `llm:${this.opts.model}`, cost: Math.ceil(estimate * this.budgets.ratio(kind).ratio) + outputTokens };
    const ticket = (await this.gate.acquire(key)) ?? undefined;
    const res = await withErrorBody(() =>
      this.client.chat.completions
        .create({ ...request, model: this.opts.model, max_completion_tokens: outputTokens, stream: false })
        .withResponse(),
    );
    if (!res.ok) throw await this.failure(res.error, res.body, { key, ticket, kind, estimate, outputTokens });
    const { data: completion, response } = res.value;
    const usage = completion.usage;
    await this.gate.observe(key, {
      status: response.status,
      headers: headersOf(response.headers),
      ...(usage?.total_tokens !== undefined ? { actualCost: usage.total_tokens } : {}),
      ...(ticket ? { ticket } : {}),
    });
    if (usage?.prompt_tokens !== undefined && (await this.budgets.learnAnswer(kind, estimate, outputTokens, usage.prompt_tokens)) === 'truncated') {
      throw new ContextOverflowError(`the server cut a ${estimate}-token prompt to ${usage.prompt_tokens} tokens`, estimate, { retryable: true });
    }
    if (completion.choices[0]?.finish_reason === 'length' && !acceptCut) {
      throw new OutputLengthError(`the model's answer exceeded the ${outputTokens}-token output limit`, outputTokens);
    }
    return { completion, promptTokens: usage?.prompt_tokens ?? estimate, completionTokens: usage?.completion_tokens ?? 0 };
  }

  private async failure(
    err: unknown,
    rawBody: string | undefined,
    c: { key: GateKey; ticket: GateTicket | undefined; kind: string; estimate: number; outputTokens: number },
  ): Promise<unknown> {
    if (!(err instanceof OpenAI.APIError) || err.status === undefined) {
      this.logger.warn({ err: { name: (err as Error)?.name } }, 'LLM request failed without an answer; will retry');
      return err instanceof OpenAI.APIError ? new FleetError(`LLM request failed (network): ${err.message.slice(0, 120)}`, true, { cause: err }) : err;
    }
    const status = err.status;
    const headers = err.headers ? headersOf(err.headers) : {};
    const refusal = parseContextRefusal(status, rawBody, err.message);
    const message = refusal?.message ?? messageOf(rawBody) ?? err.message;
    // A refused request used nothing of the token budget: give the whole estimate back.
    await this.gate.observe(c.key, { status, headers, message, ...(c.ticket ? { ticket: c.ticket } : {}), ...(status < 500 ? { actualCost: 0 } : {}) });
    if (refusal) {
      const learned = await this.budgets.learnRefusal(c.kind, c.estimate, c.outputTokens, refusal);
      this.logger.info({ promptTokens: c.estimate, serverPromptTokens: refusal.promptTokens, limitTokens: refusal.limitTokens }, `LLM prompt ${learned}`);
      return new ContextOverflowError(`the model refused a ${c.estimate}-token prompt for context length (${message.slice(0, 160)})`, c.estimate, {
        retryable: true,
        cause: err,
      });
    }
    if (status === 429) {
      // The server's wait (retry-after-ms, retry-after, ratelimit-reset), else the one its message names, else a few seconds.
      const named = parseDurationMs(/try again in ((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)/i.exec(message)?.[1]);
      const ms = serverDelayMs(headers)?.delayMs ?? named ?? 5_000;
      return new RetryAfterError(`LLM rate limit (${message.slice(0, 120)})`, ms, { cause: err });
    }
    if (status >= 400 && status < 500 && status !== 408) {
      return new NonRetryableError(`LLM request rejected (${status}): ${message.slice(0, 200)}`, { cause: err });
    }
    this.logger.warn({ status }, 'LLM request failed; will retry');
    return new FleetError(`LLM request failed (${status})`, true, { cause: err });
  }
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    out[k.toLowerCase()] = v;
  });
  return out;
}

/** The message of an error body in the common shapes (`error.message`, `error`, `message`, `detail`). */
function messageOf(rawBody: string | undefined): string | undefined {
  const body = jsonOf(rawBody) as { error?: unknown; message?: unknown; detail?: unknown } | undefined;
  const error = body?.error as { message?: unknown } | string | undefined;
  const text = typeof error === 'string' ? error : error?.message ?? body?.message ?? body?.detail;
  return typeof text === 'string' ? text : undefined;
}

function jsonOf(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
