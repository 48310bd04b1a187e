/**
 * The fleet's LLM client: the official `openai` SDK (any OpenAI-compatible base URL) with
 * structured outputs (`chat.completions.parse` + a zod `response_format`), paced by the governor's
 * LLM bucket, with typed failures: a prompt over the context window is `ContextOverflowError`
 * (the caller splits and retries smaller), 429s become rate-limit waits, other 4xx are permanent.
 */
import OpenAI from 'openai';
import { LengthFinishReasonError } from 'openai/core/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { FleetError, NonRetryableError, RetryAfterError, serverDelayMs, silentLogger, type Logger } from '../../platform/index.ts';
import { ContextOverflowError } from '../errors.ts';
import { openGate, type RequestGate } from '../gate.ts';
import { countChatTokens } from './tokens.ts';

export interface LlmClientOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The model's context window (prompt + output), in tokens. */
  contextTokens: number;
  /** Output tokens requested per completion. */
  maxOutputTokens: number;
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

export interface ParsedCompletion<T> {
  value: T;
  promptTokens: number;
  completionTokens: number;
}

export class LlmClient {
  private readonly client: OpenAI;
  private readonly gate: RequestGate;
  private readonly logger: Logger;
  constructor(private readonly opts: LlmClientOptions) {
    this.client = new OpenAI({
      baseURL: opts.baseUrl,
      apiKey: opts.apiKey,
      maxRetries: 0, // retries belong to BullMQ and the governor, not hidden inside the SDK
      timeout: opts.timeoutMs ?? 120_000,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    this.gate = opts.gate ?? openGate;
    this.logger = opts.logger ?? silentLogger;
  }

  get model(): string {
    return this.opts.model;
  }

  /** Tokens a prompt may use so that prompt + output fit the context window. */
  get promptBudgetTokens(): number {
    return this.promptBudgetFor(this.opts.maxOutputTokens);
  }

  /** The prompt budget when a call reserves `maxOutputTokens` for its answer. */
  promptBudgetFor(maxOutputTokens: number): number {
    return this.opts.contextTokens - maxOutputTokens;
  }

  countPromptTokens(messages: ChatMessage[]): number {
    return countChatTokens(messages);
  }

  /**
   * One structured completion. `maxOutputTokens` overrides the configured output reservation for
   * calls whose answers are longer (the reduce step's report).
   */
  async parse<S extends z.ZodType>(
    schema: S,
    schemaName: string,
    messages: ChatMessage[],
    opts: { maxOutputTokens?: number } = {},
  ): Promise<ParsedCompletion<z.output<S>>> {
    const maxOutput = opts.maxOutputTokens ?? this.opts.maxOutputTokens;
    const promptTokens = countChatTokens(messages);
    const budget = this.promptBudgetFor(maxOutput);
    if (promptTokens > budget) {
      throw new ContextOverflowError(
        `prompt of ${promptTokens} tokens exceeds the budget of ${budget} (context ${this.opts.contextTokens})`,
        promptTokens,
      );
    }
    const key = { bucket: `llm:${this.opts.model}`, cost: promptTokens + maxOutput };
    await this.gate.acquire(key);
    try {
      const res = await this.client.chat.completions
        .parse({
          model: this.opts.model,
          messages,
          max_completion_tokens: maxOutput,
          temperature: 0,
          response_format: zodResponseFormat(schema as never, schemaName),
        })
        .withResponse();
      const completion = res.data;
      await this.gate.observe(key, {
        status: res.response.status,
        headers: headersOf(res.response.headers),
        actualCost: completion.usage?.total_tokens,
      });
      const value = completion.choices[0]?.message.parsed;
      if (value === undefined || value === null) {
        throw new FleetError(`model returned no parsable ${schemaName}`, true);
      }
      return {
        value: value as z.output<S>,
        promptTokens: completion.usage?.prompt_tokens ?? promptTokens,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      };
    } catch (err) {
      throw await this.translate(err, key, promptTokens);
    }
  }

  /**
   * One request other than `parse` (the agent's tool-calling turns, tool-completion.ts) under the
   * same LLM bucket and error translation: acquires `promptTokens + maxOutputTokens` from the
   * gate, sends, tells the gate what happened (with the provider's token count when `usedTokens`
   * reads one) and turns failures into the fleet's typed errors.
   */
  async governed<T>(
    promptTokens: number,
    maxOutputTokens: number,
    send: (openai: OpenAI, model: string) => Promise<{ data: T; response: Response }>,
    usedTokens: (data: T) => number | undefined = () => undefined,
  ): Promise<T> {
    const key = { bucket: `llm:${this.opts.model}`, cost: promptTokens + maxOutputTokens };
    await this.gate.acquire(key);
    try {
      const res = await send(this.client, this.opts.model);
      const actualCost = usedTokens(res.data);
      await this.gate.observe(key, {
        status: res.response.status,
        headers: headersOf(res.response.headers),
        ...(actualCost === undefined ? {} : { actualCost }),
      });
      return res.data;
    } catch (err) {
      throw await this.translate(err, key, promptTokens);
    }
  }

  private async translate(err: unknown, key: { bucket: string; cost: number }, promptTokens: number): Promise<unknown> {
    if (err instanceof LengthFinishReasonError) {
      return new NonRetryableError(`the model's answer exceeded the ${key.cost - promptTokens}-token output limit`, { cause: err });
    }
    if (!(err instanceof OpenAI.APIError)) return err;
    const headers = err.headers ? headersOf(err.headers) : {};
    await this.gate.observe(key, { status: err.status ?? 0, headers });
    if (err.code === 'context_length_exceeded') {
      return new ContextOverflowError(`model rejected a ${promptTokens}-token prompt: context length exceeded`, promptTokens);
    }
    if (err.status === 429) {
      // The provider's own wait (retry-after-ms, retry-after, ratelimit-reset), else a few seconds.
      const ms = serverDelayMs(headers)?.delayMs ?? 5_000;
      return new RetryAfterError(`LLM rate limit (${err.message.slice(0, 120)})`, ms, { cause: err });
    }
    if (err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 408) {
      return new NonRetryableError(`LLM request rejected (${err.status}): ${err.message.slice(0, 200)}`, { cause: err });
    }
    this.logger.warn({ status: err.status }, 'LLM request failed; will retry');
    return new FleetError(`LLM request failed (${err.status ?? 'network'})`, true, { cause: err });
  }
}

function headersOf(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    out[k.toLowerCase()] = v;
  });
  return out;
}
