/**
 * Fan-in: turns the run's child results into the report. Every planned call ends up in the
 * appendix: summarized now, from cache, or missing with the reason its job gave. The reduce step
 * sees only per-call findings, never raw transcripts.
 */
import {
  offsetSeconds,
  reduceFindings,
  type CallRef,
  type CallSummary,
  type CitedFinding,
  type DealContext,
  type Degradation,
  type LlmCache,
  type ReportPoint,
  type TranscriptStore,
} from '../shared/domain/index.ts';
import type { LlmClient } from '../shared/upstream/index.ts';
import type { AppendixEntry, ReportSectionPoint, RunReport } from './model.ts';

export interface BuildInput {
  runId: string;
  kind: RunReport['kind'];
  accountId: string;
  subject: string;
  window: { from: string; to: string };
  calls: CallRef[];
  deal?: RunReport['deal'];
  /** Summaries that child jobs returned, by call id (cached flag included). */
  summaries: Map<string, CallSummary & { cached?: boolean }>;
  /** Why a call has no summary, by call id (failed children, transcripts Gong didn't return). */
  missing: Map<string, string>;
  context?: (Pick<DealContext, 'tasks' | 'brief' | 'degradations'> & Partial<Pick<DealContext, 'deal'>>) | { error: string };
  /** What the account's tools could not give the run (from the plan). */
  degradations?: Degradation[];
}

/** What building a report needs: the model for the reduce step, its cache, stored transcripts. */
export interface BuildDeps {
  /** Undefined when no OPENAI_API_KEY is configured: the report cannot be written then. */
  llm: LlmClient | undefined;
  llmCache: LlmCache;
  transcripts: Pick<TranscriptStore, 'get'>;
}

export async function buildReport(services: BuildDeps, input: BuildInput): Promise<RunReport> {
  const ordered = [...input.calls].sort((a, b) => a.started.localeCompare(b.started));
  const byId = new Map(ordered.map((c) => [c.callId, c]));
  const appendix: AppendixEntry[] = [];
  const reduceCalls: { callId: string; findings: CitedFinding[]; sentiment?: string }[] = [];
  let mapPrompt = 0;
  let mapCompletion = 0;
  let maxPrompt = 0;
  for (const call of ordered) {
    const summary = input.summaries.get(call.callId) ?? (await cachedSummary(services, input.accountId, call));
    const base = { callId: call.callId, title: call.title, started: call.started, url: call.url };
    if (!summary) {
      appendix.push({ ...base, status: 'missing', reason: input.missing.get(call.callId) ?? 'no summary was produced', findings: 0 });
      continue;
    }
    const cached = !!summary.cached;
    if (!cached) {
      mapPrompt += summary.promptTokens;
      mapCompletion += summary.completionTokens;
    }
    maxPrompt = Math.max(maxPrompt, summary.maxPromptTokens);
    appendix.push({ ...base, status: cached ? 'cached' : 'summarized', findings: summary.findings.length, chunks: summary.chunks });
    reduceCalls.push({
      callId: call.callId,
      findings: summary.findings.map((f) => ({ ...f, callId: call.callId })),
      sentiment: summary.customerSentiment,
    });
  }

  if (!services.llm) throw new Error('OPENAI_API_KEY is not set: cannot write the report');
  const reduced = await reduceFindings(services.llm, services.llmCache, { subject: input.subject, calls: reduceCalls });
  const cite = (points: ReportPoint[]): ReportSectionPoint[] =>
    points.map((p) => ({
      point: p.point,
      citations: p.citations.map((c) => {
        const call = byId.get(c.callId);
        return {
          callId: c.callId,
          title: call?.title ?? c.callId,
          date: call?.started.slice(0, 10) ?? '',
          timestamp: c.timestamp,
          link: call ? `${call.url}${call.url.includes('?') ? '&' : '?'}t=${offsetSeconds(c.timestamp)}` : '',
          quote: c.quote,
        };
      }),
    }));
  const r = reduced.report;
  const context = input.context;
  // The deal-context job may have named the deal the plan could not (calls tied by title).
  const fromTasks = context && 'deal' in context ? context.deal : undefined;
  const deal = input.deal && fromTasks ? { ...input.deal, ...fromTasks } : input.deal;
  const degradations = [...(input.degradations ?? []), ...(context && 'degradations' in context ? context.degradations : [])];
  const summarizedNow = appendix.filter((a) => a.status === 'summarized').length;
  return {
    kind: input.kind,
    runId: input.runId,
    generatedAt: new Date().toISOString(),
    accountId: input.accountId,
    subject: input.subject,
    window: input.window,
    ...(deal ? { deal } : {}),
    headline: r.headline,
    overallSentiment: r.overallSentiment,
    sections: {
      objections: cite(r.objections),
      risks: cite(r.risks),
      competitors: cite(r.competitors),
      pricing: cite(r.pricing),
      nextSteps: cite(r.nextSteps),
    },
    ...(context && 'tasks' in context ? { tasks: context.tasks, brief: context.brief } : {}),
    ...(context && 'error' in context
      ? {
          tasks: { open: [], done: [], dismissed: [], note: `tasks could not be fetched: ${context.error}` },
          brief: { status: 'unavailable' as const, note: context.error, sections: [] },
        }
      : {}),
    calls: appendix,
    ...(degradations.length ? { degradations } : {}),
    stats: {
      callsConsidered: ordered.length,
      summarized: summarizedNow,
      fromCache: appendix.filter((a) => a.status === 'cached').length,
      missing: appendix.filter((a) => a.status === 'missing').length,
      mapPromptTokens: mapPrompt,
      mapCompletionTokens: mapCompletion,
      reducePromptTokens: reduced.promptTokens,
      reduceCompletionTokens: reduced.completionTokens,
      reduceLlmCalls: reduced.llmCalls,
      maxPromptTokens: Math.max(maxPrompt, reduced.maxPromptTokens),
      droppedCitations: reduced.droppedCitations,
    },
  };
}

/** A summary made by an earlier or concurrent run for the same transcript, prompt and model. */
async function cachedSummary(services: Pick<BuildDeps, 'llmCache' | 'transcripts'>, accountId: string, call: CallRef) {
  const stored = await services.transcripts.get(accountId, call.callId);
  if (!stored) return undefined;
  const hit = await services.llmCache.get<CallSummary>(services.llmCache.summaryKey(accountId, call.callId, stored.hash, call.speakers));
  return hit ? { ...hit, cached: true } : undefined;
}
