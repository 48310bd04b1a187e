/**
 * Reduce step: per-call findings → one report, never from raw transcripts. All findings go in one
 * prompt when they fit the budget the LLM client learned; otherwise calls are taken in start-time
 * order in fixed groups (so a re-run with a few new, recent calls finds the earlier groups in the
 * cache), reduced side by side, and merged as a tree whose every node is checked against the
 * budget (reduce-tree.ts).
 * Any window that holds one call's findings yields a complete report for any number of calls.
 * Citations are checked against the input: a citation of a call or quote the run did not fetch is
 * dropped and counted, never reported.
 */
import type { LlmClient } from '../../upstream/index.ts';
import type { LlmCache } from './cache.ts';
import { factsOf, inParallel, ReduceTree, type ReduceCall } from './reduce-tree.ts';
import type { DealReport, ReportPoint } from './schemas.ts';

export { REDUCE_MAX_OUTPUT_TOKENS, REDUCE_OUTPUT_SHARE, outputLimits } from './reduce-tree.ts';

export interface ReduceInput {
  subject: string;
  /** Findings per call, in call start-time order. */
  calls: ReduceCall[];
}

export interface ReduceResult {
  report: DealReport;
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  cachedGroups: number;
  droppedCitations: number;
  maxPromptTokens: number;
  /** Merges done in code because the model could not write them within its output. */
  localMerges: number;
}

/** Calls per leaf group (when everything doesn't fit one prompt): fixed, so groups stay cacheable. */
const GROUP_CALLS = 10;

export async function reduceFindings(llm: LlmClient, cache: LlmCache, input: ReduceInput): Promise<ReduceResult> {
  const stats = { promptTokens: 0, completionTokens: 0, llmCalls: 0, cachedGroups: 0, maxPromptTokens: 0, localMerges: 0 };
  const result: ReduceResult = { report: emptyReport(input.subject), droppedCitations: 0, ...stats };
  const all = input.calls.flatMap((c) => c.findings);
  if (all.length === 0) return result;
  const valid = new Set(all.map((f) => `${f.callId}|${f.quote}`));

  const tree = new ReduceTree(llm, cache, input.subject, stats);
  await tree.refreshBudget();
  const facts = factsOf(input.calls);
  // One prompt when everything fits; refused or cut, the run falls back to the grouped tree, whose
  // fixed groups are what a re-run finds in the cache.
  let report = tree.fits(all, [], facts) ? await tree.whole(input.calls) : undefined;
  if (!report) {
    const groups: ReduceCall[][] = [];
    for (let i = 0; i < input.calls.length; i += GROUP_CALLS) groups.push(input.calls.slice(i, i + GROUP_CALLS));
    // Groups are independent: their reports are written side by side, kept in call order.
    const partials = (await inParallel(groups, (g) => tree.leaves(g))).flat();
    report = await tree.merge(partials, facts);
  }
  Object.assign(result, stats);
  result.report = verifyCitations(report, valid, result);
  return result;
}

function verifyCitations(report: DealReport, valid: Set<string>, acc: ReduceResult): DealReport {
  const clean = (points: ReportPoint[]): ReportPoint[] =>
    points
      .map((p) => {
        const citations = p.citations.filter((c) => valid.has(`${c.callId}|${c.quote}`));
        acc.droppedCitations += p.citations.length - citations.length;
        return { ...p, citations };
      })
      .filter((p) => p.citations.length > 0);
  return {
    ...report,
    objections: clean(report.objections),
    risks: clean(report.risks),
    competitors: clean(report.competitors),
    pricing: clean(report.pricing),
    nextSteps: clean(report.nextSteps),
  };
}

export function emptyReport(subject: string): DealReport {
  return {
    headline: `${subject}: no findings in the calls considered`,
    objections: [],
    risks: [],
    competitors: [],
    pricing: [],
    nextSteps: [],
    overallSentiment: 'neutral',
  };
}
