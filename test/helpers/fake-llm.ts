/**
 * Injected fakes for unit tests of the reduce and report steps: an LLM client that "reads" a
 * prompt by looking for the findings the test planted (so it never depends on the prompt's format),
 * and an in-memory Redis holding just what the LLM cache uses.
 */
import type { Redis } from 'ioredis';
import {
  LlmCache,
  REPORT_SECTIONS,
  SECTION_OF_CATEGORY,
  type CitedFinding,
  type DealReport,
  type ReportPoint,
} from '../../src/shared/domain/index.ts';
import { ContextOverflowError, type ChatMessage, type ChatOptions, type LlmClient, type PromptBudget } from '../../src/shared/upstream/index.ts';


export interface FakeLlmOptions {
  /** Every finding the test may put in a prompt; the fake cites those whose quote it sees. */
  universe: CitedFinding[];
  /** Prompt budget in fake tokens (4 characters each); a larger prompt is refused like the real client. */
  budgetTokens?: number;
  /** Citations per point at most (keeps merged reports small). Default 2. */
  citationsPerPoint?: number;
  /** Citations added to the first point of every answer, as a model that invents some would. */
  invented?: ReportPoint['citations'];
  /** A point made only of invented citations, added to `risks`. */
  inventedPoint?: ReportPoint;
}

export interface FakeLlmCall {
  prompt: string;
  tokens: number;
  maxOutputTokens: number | undefined;
}

/** Characters / 4, rounded up: a stand-in tokenizer that does not depend on the prompt format. */
export const fakeTokens = (messages: ChatMessage[]) => Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);

export class FakeLlm {
  readonly calls: FakeLlmCall[] = [];
  readonly model = 'fake-model';
  constructor(private readonly o: FakeLlmOptions) {}

  countPromptTokens(messages: ChatMessage[]): number {
    return fakeTokens(messages);
  }

  /** The client's budget: `budgetTokens` for every kind, a confirmed window, the server counting as the fleet does. */
  async budget(opts: ChatOptions = {}): Promise<PromptBudget> {
    const promptTokens = this.o.budgetTokens ?? 1_000_000;
    const outputTokens = opts.maxOutputTokens ?? 2_048;
    return { window: { tokens: promptTokens + outputTokens, confirmed: true, source: 'config' }, outputTokens, promptTokens, tokenRatio: 1 };
  }

  async parse(_schema: unknown, schemaName: string, messages: ChatMessage[], opts: ChatOptions = {}) {
    if (schemaName !== 'deal_report') throw new Error(`the fake only writes deal reports, asked for ${schemaName}`);
    const prompt = messages.map((m) => m.content).join('\n');
    const tokens = fakeTokens(messages);
    this.calls.push({ prompt, tokens, maxOutputTokens: opts.maxOutputTokens });
    if (tokens > (await this.budget(opts)).promptTokens) throw new ContextOverflowError(`fake: ${tokens} tokens over budget`, tokens);
    const seen = this.o.universe.filter((f) => prompt.includes(f.quote) && prompt.includes(f.callId));
    const report: DealReport = { headline: `fake report over ${seen.length} findings`, objections: [], risks: [], competitors: [], pricing: [], nextSteps: [], overallSentiment: 'neutral' };
    for (const section of new Set(seen.map((f) => SECTION_OF_CATEGORY[f.category]))) {
      const cited = seen.filter((f) => SECTION_OF_CATEGORY[f.category] === section).slice(0, this.o.citationsPerPoint ?? 2);
      report[section].push({ point: `fake point about ${section}`, citations: cited.map((f) => ({ callId: f.callId, timestamp: f.timestamp, quote: f.quote })) });
    }
    const first = REPORT_SECTIONS.map((s) => report[s][0]).find(Boolean);
    if (first && this.o.invented) first.citations.push(...this.o.invented);
    if (this.o.inventedPoint) report.risks.push(this.o.inventedPoint);
    return { value: report, promptTokens: tokens, completionTokens: 50 };
  }

  asClient(): LlmClient {
    return this as unknown as LlmClient;
  }
}

/** The few Redis commands LlmCache uses, in memory. */
export function memoryRedis(): Redis & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const fake = {
    data,
    async get(key: string) {
      return data.get(key) ?? null;
    },
    async set(key: string, value: string, ...args: unknown[]) {
      if (args.includes('NX') && data.has(key)) return null;
      data.set(key, value);
      return 'OK';
    },
    async del(...keys: string[]) {
      let n = 0;
      for (const k of keys) if (data.delete(k)) n++;
      return n;
    },
  };
  return fake as unknown as Redis & { data: Map<string, string> };
}

export function memoryLlmCache(model = 'fake-model'): { cache: LlmCache; redis: ReturnType<typeof memoryRedis> } {
  const redis = memoryRedis();
  return { cache: new LlmCache({ redis, prefix: '{gf-unit}', ttlSeconds: 60, model }), redis };
}
