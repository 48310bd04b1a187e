/**
 * How many tokens a prompt may use on this server, learned from the server's own answers and
 * shared by the fleet (server-facts.ts):
 * - the window: OPENAI_CONTEXT_TOKENS when set; else what the server reports (probe.ts, once per
 *   fleet); else an assumption, corrected by the first context refusal (overflow.ts) or silently
 *   truncated answer (Ollama reports a `usage.prompt_tokens` far below the prompt it was sent);
 * - per prompt kind, the server's tokens per fleet token (its tokenizer is rarely the fleet's),
 *   from every answer's `usage.prompt_tokens`;
 * - the budget: (window − reserved output) × (1 − margin) ÷ that factor, in the fleet's tokens.
 *   The output is reserved on every server: vLLM, TGI and OpenAI refuse prompt + max_tokens over
 *   the window, and llama.cpp, which checks only the prompt, stops the answer at the window's end.
 *
 * Until the window is confirmed and the kind's factor known, a process sends such requests one at
 * a time (the "scout lane"), so it can be refused at most once before it learns; requests no
 * larger than one the server already answered need no scout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from '../../platform/index.ts';
import type { ContextRefusal } from './overflow.ts';
import type { WindowProbe } from './probe.ts';
import { RATIO_SMOOTHING, type ServerFacts, type ServerFactsStore, type WindowSource } from './server-facts.ts';

/** Fraction of the window left unused against per-prompt variance in the token-count factor. */
export const WINDOW_MARGIN = 0.04;
/** A kind whose factor is unknown borrows the largest known one (at least 1) times this. */
export const UNKNOWN_KIND_FACTOR = 1.25;
/** Assumed while nothing is known: the window of OpenAI's current small models. */
export const ASSUMED_CONTEXT_TOKENS = 128_000;
/** An answer whose prompt count is below this share of what the fleet expected was cut by the server. */
const TRUNCATED_SHARE = 0.7;
/** A refusal that names no numbers: the window is taken as this share of what was asked. */
const GUESS_SHARE = 0.8;

export type BudgetSource = 'config' | WindowSource | 'assumed';

export interface ContextBudgetOptions {
  store: ServerFactsStore;
  /** OPENAI_CONTEXT_TOKENS: replaces probing and assumptions; refusals below it still count. */
  configuredWindowTokens?: number;
  /** Window assumed while nothing is known. Default ASSUMED_CONTEXT_TOKENS. */
  assumedWindowTokens?: number;
  /** Asks the server for its window (probe.ts); run by one process of the fleet. Default: none. */
  probe?: () => Promise<WindowProbe | null>;
  logger?: Logger;
  /** How long this process trusts its copy of the facts, in ms. Default 2000. */
  refreshMs?: number;
}

/** The window as this process knows it now. */
export interface WindowView {
  tokens: number;
  /** False while it is assumed, trained-only or guessed: such a window may still be too large. */
  confirmed: boolean;
  source: BudgetSource;
}

export class ContextBudget {
  private facts: ServerFacts = { probed: false, provenPromptTokens: 0, ratios: {} };
  private readAtMs = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private lane: Promise<void> = Promise.resolve();
  private waitedForProbe = false;
  private readonly logger: Logger;

  constructor(private readonly opts: ContextBudgetOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** Re-reads the shared facts when this copy is older than `refreshMs` (or `force`); probes once per fleet. */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.readAtMs < (this.opts.refreshMs ?? 2_000)) return;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  window(): WindowView {
    const f = this.facts;
    const learned = f.windowTokens !== undefined && f.windowSource !== 'probe' && f.windowSource !== 'trained' ? f.windowTokens : undefined;
    if (this.opts.configuredWindowTokens !== undefined) {
      const tokens = Math.min(this.opts.configuredWindowTokens, learned ?? Number.POSITIVE_INFINITY);
      return { tokens, confirmed: true, source: tokens === this.opts.configuredWindowTokens ? 'config' : f.windowSource! };
    }
    if (f.windowTokens !== undefined && f.windowSource) {
      return { tokens: f.windowTokens, confirmed: f.windowSource !== 'trained' && f.windowSource !== 'guess', source: f.windowSource };
    }
    return { tokens: this.opts.assumedWindowTokens ?? ASSUMED_CONTEXT_TOKENS, confirmed: false, source: 'assumed' };
  }

  /** Server tokens per fleet token for `kind`; `known` once the server has counted a prompt of that kind. */
  ratio(kind: string): { ratio: number; known: boolean } {
    const own = this.facts.ratios[kind];
    if (own) return { ratio: own.ratio, known: true };
    const others = Object.values(this.facts.ratios).map((r) => r.ratio);
    return { ratio: Math.max(1, ...others) * UNKNOWN_KIND_FACTOR, known: false };
  }

  /**
   * Fleet tokens a prompt of `kind` may use when `outputTokens` are reserved for the answer, with
   * `margin` of the window left unused (default WINDOW_MARGIN).
   */
  promptTokens(kind: string, outputTokens: number, margin = WINDOW_MARGIN): number {
    const serverTokens = (this.window().tokens - outputTokens) * (1 - margin);
    return Math.max(0, Math.floor(serverTokens / this.ratio(kind).ratio));
  }

  /**
   * The most output tokens a request can reserve beside a prompt of `promptTokens` fleet tokens of
   * `kind` (the inverse of `promptTokens`): negative when the prompt alone overfills the window.
   */
  outputRoom(kind: string, promptTokens: number, margin = WINDOW_MARGIN): number {
    let room = Math.floor(this.window().tokens - (promptTokens * this.ratio(kind).ratio) / (1 - margin));
    // Floating point may leave `promptTokens(kind, room)` one short; step down until it holds.
    while (room > 0 && this.promptTokens(kind, room, margin) < promptTokens) room -= 1;
    return room;
  }

  /**
   * Runs `send` for a request of `estimateTokens` fleet tokens, through the scout lane when the
   * server might refuse it. `send` receives the state it must size the request by (read after
   * any wait for the lane). Throws `tooLarge(budget)`'s error when the prompt exceeds the budget
   * (computed with `margin`, default WINDOW_MARGIN).
   */
  async admit<T>(
    kind: string,
    estimateTokens: number,
    outputTokensOf: (window: WindowView) => number,
    send: (outputTokens: number) => Promise<T>,
    tooLarge: (budgetTokens: number) => Error,
    margin = WINDOW_MARGIN,
  ): Promise<T> {
    await this.refresh();
    let release: (() => void) | undefined;
    if (!this.safe(kind, estimateTokens, outputTokensOf(this.window()))) {
      release = await this.takeLane();
      await this.refresh(true);
      if (this.safe(kind, estimateTokens, outputTokensOf(this.window()))) {
        release();
        release = undefined;
      }
    }
    try {
      const outputTokens = outputTokensOf(this.window());
      const budget = this.promptTokens(kind, outputTokens, margin);
      if (estimateTokens > budget) throw tooLarge(budget);
      return await send(outputTokens);
    } finally {
      release?.();
    }
  }

  /** Learns from a context refusal; returns a line for the log. */
  async learnRefusal(kind: string, estimateTokens: number, outputTokens: number, r: ContextRefusal): Promise<string> {
    const { store } = this.opts;
    if (r.promptTokens !== undefined && estimateTokens > 0) await this.addRatioSample(kind, r.promptTokens / estimateTokens);
    const w = this.window();
    if (r.limitTokens !== undefined) {
      await store.lowerWindow(r.limitTokens, 'refusal', `${r.dialect} refusal`);
    } else if (w.confirmed) {
      // The window holds, so the server counted more than the factor said: at least window − output.
      await this.addRatioSample(kind, ((w.tokens - outputTokens) / Math.max(1, estimateTokens)) * (1 + WINDOW_MARGIN));
    } else {
      const asked = (r.promptTokens ?? estimateTokens * this.ratio(kind).ratio) + outputTokens;
      await store.lowerWindow(asked * GUESS_SHARE, 'guess', `${r.dialect} refusal without numbers`);
    }
    await this.refresh(true);
    return this.describe(`refused (${r.dialect})`);
  }

  /**
   * Learns from an answered request whose prompt the server counted as `reportedTokens`. Returns
   * 'truncated' when the server must have cut the prompt (Ollama does so silently, with status
   * 200): far fewer tokens than sent, or a full confirmed window, which no budgeted prompt reaches.
   */
  async learnAnswer(kind: string, estimateTokens: number, outputTokens: number, reportedTokens: number): Promise<'ok' | 'truncated'> {
    const { store } = this.opts;
    const { ratio, known } = this.ratio(kind);
    const expected = estimateTokens * (known ? ratio : ratio / UNKNOWN_KIND_FACTOR);
    const w = this.window();
    // 0.7: far outside the few percent a factor varies between prompts of one kind.
    const farBelow = reportedTokens < expected * TRUNCATED_SHARE && expected - reportedTokens > 64;
    if (farBelow || (w.confirmed && reportedTokens >= w.tokens)) {
      if (farBelow) await store.lowerWindow(reportedTokens, 'truncation', 'usage.prompt_tokens of a truncated prompt');
      // A full window: the window holds, the factor was too low (the count itself is capped, so pad it).
      else await this.addRatioSample(kind, (reportedTokens / Math.max(1, estimateTokens)) * (1 + WINDOW_MARGIN));
      await this.refresh(true);
      this.logger.warn({ sentTokens: estimateTokens, reportedTokens }, `LLM server truncated a prompt; ${this.describe('learned')}`);
      return 'truncated';
    }
    if (estimateTokens > 0) await this.addRatioSample(kind, reportedTokens / estimateTokens);
    if (!w.confirmed) {
      await store.raiseProven(reportedTokens + outputTokens);
      this.facts.provenPromptTokens = Math.max(this.facts.provenPromptTokens, reportedTokens + outputTokens);
    }
    return 'ok';
  }

  /** Shares a sample with the fleet and applies it to this copy at once (the same rule as the store's). */
  private async addRatioSample(kind: string, sample: number): Promise<void> {
    await this.opts.store.addRatioSample(kind, sample);
    const cur = this.facts.ratios[kind];
    const ratio = cur && sample < cur.ratio ? cur.ratio + (sample - cur.ratio) * RATIO_SMOOTHING : sample;
    this.facts.ratios[kind] = { ratio, samples: (cur?.samples ?? 0) + 1 };
  }

  /** One line on the current window, for logs. */
  describe(prefix: string): string {
    const w = this.window();
    return `${prefix}: context window ${w.tokens} tokens (${w.source}${w.confirmed ? '' : ', unconfirmed'})`;
  }

  /** Safe = the server will not refuse it for size, as far as the fleet knows. */
  private safe(kind: string, estimateTokens: number, outputTokens: number): boolean {
    const { ratio, known } = this.ratio(kind);
    if (!known) return false;
    if (this.window().confirmed) return true;
    return estimateTokens * ratio + outputTokens <= this.facts.provenPromptTokens;
  }

  private async takeLane(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.lane;
    this.lane = before.then(() => mine);
    await before;
    return release;
  }

  private async load(): Promise<void> {
    const { store, probe } = this.opts;
    let facts = await store.read();
    if (this.opts.configuredWindowTokens === undefined && !facts.probed && probe) {
      if (await store.claimProbe(30_000)) {
        const found = await probe().catch(() => null);
        await store.recordProbe(found ? { tokens: found.windowTokens, source: found.runtime ? 'probe' : 'trained', detail: found.source } : null);
        facts = await store.read();
        this.facts = facts;
        // Worth a line only when the server said something; "nothing" is the common OpenAI case.
        if (found) this.logger.info({ source: found.source }, this.describe('LLM server probed'));
        else this.logger.debug(this.describe('LLM server probed, no window reported'));
      } else if (!this.waitedForProbe) {
        // Another process is asking the server: use its answer (a few seconds at most, and only
        // once: if that process died mid-probe, the lock expires and a later refresh probes).
        this.waitedForProbe = true;
        for (let i = 0; i < 50 && !facts.probed; i += 1) {
          await sleep(200);
          facts = await store.read();
        }
      }
    }
    this.facts = facts;
    this.readAtMs = Date.now();
  }
}
