/**
 * Reduce step: per-call findings → one report, never from raw transcripts. Calls are taken in
 * start-time order and reduced in fixed groups when all findings don't fit one prompt; each group's
 * partial report is cached by its input, so a re-run with a few new (recent) calls re-reduces only
 * the last group plus the final merge. Citations are checked against the input: a citation of a
 * call or quote the run did not fetch is dropped and counted, never reported.
 */
import type { LlmClient } from '../../upstream/index.ts';
import { reduceMessages, type ReduceFacts } from './prompts.ts';
import { DealReport, SCHEMA_NAMES, type CitedFinding, type ReportPoint } from './schemas.ts';
import type { LlmCache } from './cache.ts';

export interface ReduceInput {
  subject: string;
  /** Findings per call, in call start-time order. */
  calls: { callId: string; findings: CitedFinding[]; sentiment?: string }[];
}

export interface ReduceResult {
  report: DealReport;
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  cachedGroups: number;
  droppedCitations: number;
  maxPromptTokens: number;
}

/** Calls per reduce group (when everything doesn't fit in one prompt). */
const GROUP_CALLS = 10;
/** Output reserved for a report: several cited points per section run to a few thousand tokens. */
export const REDUCE_OUTPUT_TOKENS = 6_000;

export async function reduceFindings(llm: LlmClient, cache: LlmCache, input: ReduceInput): Promise<ReduceResult> {
  const result: ReduceResult = {
    report: emptyReport(input.subject),
    promptTokens: 0,
    completionTokens: 0,
    llmCalls: 0,
    cachedGroups: 0,
    droppedCitations: 0,
    maxPromptTokens: 0,
  };
  const all = input.calls.flatMap((c) => c.findings);
  const valid = new Set(all.map((f) => `${f.callId}|${f.quote}`));
  if (all.length === 0) return result;

  const facts = factsOf(input.calls);
  const single = reduceMessages(input.subject, all, [], facts);
  let report: DealReport;
  if (llm.countPromptTokens(single) <= llm.promptBudgetFor(REDUCE_OUTPUT_TOKENS)) {
    report = await cachedReduce(llm, cache, result, input.subject, all, [], facts);
  } else {
    const partials: DealReport[] = [];
    for (let i = 0; i < input.calls.length; i += GROUP_CALLS) {
      const calls = input.calls.slice(i, i + GROUP_CALLS);
      const group = calls.flatMap((c) => c.findings);
      if (group.length > 0) partials.push(await reduceGroup(llm, cache, result, input.subject, group, factsOf(calls)));
    }
    report = await cachedReduce(llm, cache, result, input.subject, [], partials, facts);
  }
  result.report = verifyCitations(report, valid, result);
  return result;
}

/** A group that still doesn't fit is split in halves until it does. */
async function reduceGroup(
  llm: LlmClient,
  cache: LlmCache,
  acc: ReduceResult,
  subject: string,
  findings: CitedFinding[],
  facts: ReduceFacts,
): Promise<DealReport> {
  if (findings.length > 1 && llm.countPromptTokens(reduceMessages(subject, findings, [], facts)) > llm.promptBudgetFor(REDUCE_OUTPUT_TOKENS)) {
    const mid = Math.ceil(findings.length / 2);
    const parts = [
      await reduceGroup(llm, cache, acc, subject, findings.slice(0, mid), {}),
      await reduceGroup(llm, cache, acc, subject, findings.slice(mid), {}),
    ];
    return cachedReduce(llm, cache, acc, subject, [], parts, facts);
  }
  return cachedReduce(llm, cache, acc, subject, findings, [], facts);
}

function factsOf(calls: ReduceInput['calls']): ReduceFacts {
  return {
    callCount: calls.length,
    sentiments: calls.map((c) => c.sentiment).filter((s): s is string => !!s),
  };
}

async function cachedReduce(
  llm: LlmClient,
  cache: LlmCache,
  acc: ReduceResult,
  subject: string,
  findings: CitedFinding[],
  partials: DealReport[],
  facts: ReduceFacts,
): Promise<DealReport> {
  const key = cache.reduceKey({ subject, findings, partials, facts });
  const hit = await cache.get<DealReport>(key);
  if (hit) {
    acc.cachedGroups += 1;
    return hit;
  }
  const res = await llm.parse(DealReport, SCHEMA_NAMES.dealReport, reduceMessages(subject, findings, partials, facts), {
    maxOutputTokens: REDUCE_OUTPUT_TOKENS,
  });
  acc.llmCalls += 1;
  acc.promptTokens += res.promptTokens;
  acc.completionTokens += res.completionTokens;
  acc.maxPromptTokens = Math.max(acc.maxPromptTokens, res.promptTokens);
  await cache.set(key, res.value);
  return res.value;
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
