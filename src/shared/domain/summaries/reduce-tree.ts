/**
 * The nodes of the reduce tree, each checked against the prompt budget before it is sent:
 * - leaves: findings of a group of calls; a group that does not fit is split in halves (by calls,
 *   then by one call's findings) until each part fits, and each part becomes a partial report;
 * - merges: consecutive partial reports in groups of four, each split until its parts fit, level
 *   by level, until one prompt holds them all with the run's facts (the final merge).
 * Every node's answer is cached by its input (`LlmCache.reduceKey`). A node refused for context
 * length re-reads the budget the client learned and is split; a node whose answer runs out of
 * output is split too, and two partial reports the model cannot merge in its output are merged in
 * code (local-merge.ts). Every level leaves fewer reports than it found, so the tree ends. Nodes of
 * one level are independent and sent side by side.
 */
import { ContextOverflowError, OutputLengthError, type LlmClient, type PromptBudget } from '../../upstream/index.ts';
import type { LlmCache } from './cache.ts';
import { mergeReportsLocally, reportFromFindings } from './local-merge.ts';
import { reduceMessages, type OutputLimits, type ReduceFacts } from './prompts.ts';
import { DealReport, SCHEMA_NAMES, type CitedFinding } from './schemas.ts';

/** Output reserved for a report: several cited points per section run to a few thousand tokens. */
export const REDUCE_MAX_OUTPUT_TOKENS = 6_000;
/**
 * …but at most this share of the window, so a merge prompt can hold two partial reports of that
 * size: 2 × 0.25 + the prompt's own text stays under (1 − 0.25) × (1 − margin) of the window.
 */
export const REDUCE_OUTPUT_SHARE = 0.25;
/**
 * The client learns a token-count factor per kind of prompt: findings JSON and partial-report JSON
 * differ by several percent under a foreign tokenizer (chars3: 1.38-1.43 against 1.29-1.38), more
 * than the window's margin, so they are learned apart.
 */
type NodeKind = 'findings' | 'merge';
const KINDS: Record<NodeKind, string> = { findings: SCHEMA_NAMES.dealReport, merge: `${SCHEMA_NAMES.dealReport}:merge` };
const kindOf = (partials: DealReport[]): NodeKind => (partials.length > 0 ? 'merge' : 'findings');

/** Partial reports per merge when they do not all fit the final prompt. */
const MERGE_FANIN = 4;
/** How many halvings deep a group's cached parts are looked for (10 calls → 5 → 3 → 2 → 1). */
const MAX_CACHE_PROBE_DEPTH = 4;

export interface ReduceCall {
  callId: string;
  findings: CitedFinding[];
  sentiment?: string;
}

export interface TreeStats {
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  cachedGroups: number;
  maxPromptTokens: number;
  /** Merges done in code because the model's answer could not fit its output. */
  localMerges: number;
}

export class ReduceTree {
  /** Budgets of the two kinds of prompt: findings (leaves) and partial reports (merges). */
  private budgets!: Record<NodeKind, PromptBudget>;
  private limits!: OutputLimits;

  constructor(
    private readonly llm: LlmClient,
    private readonly cache: LlmCache,
    private readonly subject: string,
    readonly stats: TreeStats,
  ) {}

  /** Reads the client's budget for reports (again after a refusal taught a smaller window). */
  async refreshBudget(): Promise<void> {
    const of = (kind: NodeKind) => this.llm.budget({ kind: KINDS[kind], maxOutputTokens: REDUCE_MAX_OUTPUT_TOKENS, outputShare: REDUCE_OUTPUT_SHARE });
    this.budgets = { findings: await of('findings'), merge: await of('merge') };
    // The answer is a report either way; size it by the larger factor of the two.
    const ratio = Math.max(this.budgets.findings.tokenRatio, this.budgets.merge.tokenRatio);
    this.limits = outputLimits({ ...this.budgets.findings, tokenRatio: ratio });
  }

  fits(findings: CitedFinding[], partials: DealReport[], facts: ReduceFacts): boolean {
    return this.llm.countPromptTokens(reduceMessages(this.subject, findings, partials, facts, this.limits)) <= this.budgets[kindOf(partials)].promptTokens;
  }

  /** The whole report in one prompt, or undefined when it does not fit (or was refused, or its answer cut). */
  async whole(calls: ReduceCall[]): Promise<DealReport | undefined> {
    const report = await this.node(calls.flatMap((c) => c.findings), [], factsOf(calls));
    return typeof report === 'string' ? undefined : report;
  }

  /** Partial reports of a group of calls, as many as it takes for each prompt to fit. */
  async leaves(calls: ReduceCall[]): Promise<DealReport[]> {
    const findings = calls.flatMap((c) => c.findings);
    if (findings.length === 0) return [];
    const cached = await this.cachedLeaves(calls, 0);
    if (cached) {
      this.stats.cachedGroups += cached.length;
      return cached;
    }
    const facts = factsOf(calls);
    const report = await this.node(findings, [], facts);
    if (typeof report !== 'string') return [report];
    if (calls.length > 1) {
      const mid = Math.ceil(calls.length / 2);
      return [...(await this.leaves(calls.slice(0, mid))), ...(await this.leaves(calls.slice(mid)))];
    }
    return this.findingLeaves(findings, facts);
  }

  /**
   * One report from partial reports and the run's facts: the final merge when everything fits
   * one prompt, else a level of merges of consecutive reports and another round.
   */
  async merge(partials: DealReport[], facts: ReduceFacts): Promise<DealReport> {
    let level = partials;
    for (;;) {
      const finalFacts = [facts, compactFacts(facts)].find((f) => this.fits([], level, f));
      if (finalFacts) {
        const report = await this.node([], level, finalFacts);
        if (typeof report !== 'string') return report;
        // The prompt fit but the answer did not: the model cannot write this merge in its output.
        if (report === 'output') return level.length === 1 ? level[0]! : this.localMerge(level);
      }
      if (level.length === 1) return level[0]!;
      level = await this.mergeLevel(level);
    }
  }

  /**
   * One round: consecutive reports in fixed groups of MERGE_FANIN (stable across runs, so a
   * re-run finds the groups it merged before), each merged, or split until its parts fit; two
   * reports that cannot share one prompt are merged in code. Fewer reports come out than go in.
   */
  private async mergeLevel(level: DealReport[]): Promise<DealReport[]> {
    const groups: DealReport[][] = [];
    for (let i = 0; i < level.length; i += MERGE_FANIN) groups.push(level.slice(i, i + MERGE_FANIN));
    return (await inParallel(groups, (g) => this.mergeGroup(g))).flat();
  }

  private async mergeGroup(group: DealReport[]): Promise<DealReport[]> {
    if (group.length === 1) return group;
    const cached = await this.cachedMerges(group, 0);
    if (cached) {
      this.stats.cachedGroups += cached.merged;
      return cached.reports;
    }
    const report = await this.node([], group, {});
    if (typeof report !== 'string') return [report];
    if (report === 'output' || group.length === 2) return [this.localMerge(group)];
    const mid = Math.ceil(group.length / 2);
    return [...(await this.mergeGroup(group.slice(0, mid))), ...(await this.mergeGroup(group.slice(mid)))];
  }

  /** A group's merge, or its halves' merges, when an earlier run left them in the cache (as `cachedLeaves`). */
  private async cachedMerges(group: DealReport[], depth: number): Promise<{ reports: DealReport[]; merged: number } | undefined> {
    if (group.length === 1) return { reports: group, merged: 0 };
    const hit = await this.cache.get<DealReport>(this.key([], group, {}));
    if (hit) return { reports: [hit], merged: 1 };
    if (group.length < 4 || depth >= MAX_CACHE_PROBE_DEPTH) return undefined; // halves of 2 or 3 would leave a report unmerged
    const mid = Math.ceil(group.length / 2);
    const left = await this.cachedMerges(group.slice(0, mid), depth + 1);
    const right = left && (await this.cachedMerges(group.slice(mid), depth + 1));
    return left && right ? { reports: [...left.reports, ...right.reports], merged: left.merged + right.merged } : undefined;
  }



  /**
   * The group's report, or its halves' (recursively), when an earlier run left them in the cache.
   * Whether a group fits depends on the budget, which moves as the fleet learns the server's token
   * counts: a group split in halves by one run may fit whole in the next, and the halves it cached
   * are still good answers.
   */
  private async cachedLeaves(calls: ReduceCall[], depth: number): Promise<DealReport[] | undefined> {
    const findings = calls.flatMap((c) => c.findings);
    if (findings.length === 0) return [];
    const hit = await this.cache.get<DealReport>(this.key(findings, [], factsOf(calls)));
    if (hit) return [hit];
    if (calls.length < 2 || depth >= MAX_CACHE_PROBE_DEPTH) return undefined;
    const mid = Math.ceil(calls.length / 2);
    const left = await this.cachedLeaves(calls.slice(0, mid), depth + 1);
    const right = left && (await this.cachedLeaves(calls.slice(mid), depth + 1));
    return left && right ? [...left, ...right] : undefined;
  }

  private key(findings: CitedFinding[], partials: DealReport[], facts: ReduceFacts): string {
    // The input only, not the output limits: a re-run whose learned factors moved a little still
    // finds its groups (a cached report too long for a later merge is split by `fits` like any other).
    return this.cache.reduceKey({ subject: this.subject, findings, partials, facts });
  }

  private async findingLeaves(findings: CitedFinding[], facts: ReduceFacts): Promise<DealReport[]> {
    if (findings.length === 1) return [reportFromFindings(this.subject, findings)];
    const mid = Math.ceil(findings.length / 2);
    const out: DealReport[] = [];
    for (const half of [findings.slice(0, mid), findings.slice(mid)]) {
      const report = await this.node(half, [], facts);
      out.push(...(typeof report !== 'string' ? [report] : await this.findingLeaves(half, facts)));
    }
    return out;
  }

  /**
   * A node's report; 'prompt' when its prompt does not fit (or the server refused it: the budget is
   * re-read), 'output' when the answer ran out of output. Either way the caller splits.
   */
  private async node(findings: CitedFinding[], partials: DealReport[], facts: ReduceFacts): Promise<DealReport | 'prompt' | 'output'> {
    await this.refreshBudget(); // cheap (the client's copy), and the factor for reports sharpens with each answer
    if (!this.fits(findings, partials, facts)) return 'prompt';
    const messages = reduceMessages(this.subject, findings, partials, facts, this.limits);
    const key = this.key(findings, partials, facts);
    const hit = await this.cache.get<DealReport>(key);
    if (hit) {
      this.stats.cachedGroups += 1;
      return hit;
    }
    try {
      const res = await this.llm.parse(DealReport, SCHEMA_NAMES.dealReport, messages, {
        kind: KINDS[kindOf(partials)],
        maxOutputTokens: REDUCE_MAX_OUTPUT_TOKENS,
        outputShare: REDUCE_OUTPUT_SHARE,
      });
      this.stats.llmCalls += 1;
      this.stats.promptTokens += res.promptTokens;
      this.stats.completionTokens += res.completionTokens;
      this.stats.maxPromptTokens = Math.max(this.stats.maxPromptTokens, res.promptTokens);
      await this.cache.set(key, res.value);
      return res.value;
    } catch (err) {
      if (err instanceof ContextOverflowError) {
        await this.refreshBudget();
        return 'prompt';
      }
      if (err instanceof OutputLengthError) return 'output';
      throw err;
    }
  }

  private localMerge(reports: DealReport[]): DealReport {
    this.stats.localMerges += 1;
    return mergeReportsLocally(reports, this.limits);
  }
}

export function factsOf(calls: ReduceCall[]): ReduceFacts {
  return {
    callCount: calls.length,
    sentiments: calls.map((c) => c.sentiment).filter((s): s is string => !!s),
  };
}

/** The per-call sentiments as counts: the same facts in a few tokens, for a final merge that must be small. */
function compactFacts(facts: ReduceFacts): ReduceFacts {
  const counts: Record<string, number> = {};
  for (const s of facts.sentiments ?? []) counts[s] = (counts[s] ?? 0) + 1;
  return { ...(facts.callCount !== undefined ? { callCount: facts.callCount } : {}), sentimentCounts: counts };
}

/**
 * How long a report may be for its answer to fit `budget.outputTokens`: a cited point costs ~20
 * tokens of text plus ~45 per citation (quote, call id, timestamp as JSON), the headline and
 * framing ~80, counted in the fleet's tokens (the output is the server's, hence the factor).
 */
export function outputLimits(budget: PromptBudget): OutputLimits {
  const serverPerFleet = budget.tokenRatio;
  const fleetTokens = (budget.outputTokens / serverPerFleet) * 0.85;
  const maxCitationsPerPoint = fleetTokens >= 3_000 ? 3 : fleetTokens >= 1_000 ? 2 : 1;
  const points = Math.floor((fleetTokens - 80) / (20 + 45 * maxCitationsPerPoint));
  return { maxPointsPerSection: Math.max(1, Math.floor(points / 5)), maxCitationsPerPoint };
}

/** Reduce completions in flight at once: the nodes of one level are independent. */
export const REDUCE_PARALLELISM = 4;

/** `fn` over `items` with at most REDUCE_PARALLELISM running, results in order. */
export async function inParallel<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(REDUCE_PARALLELISM, items.length) }, lane));
  return out;
}
