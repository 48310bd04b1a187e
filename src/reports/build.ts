/**
 * Fan-in: turns the run's child results into the report. Every planned call ends up in the
 * appendix: summarized now, from cache, not ready (Gong still processing it), without a transcript
 * in Gong, or missing with the reason its job gave. The reduce step sees only per-call findings,
 * never raw transcripts; the headline is checked against the appendix (honesty.ts).
 */
import {
  hasSpeech,
  NO_TRANSCRIPT_REASON,
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
import { honestHeadline, incompleteReason } from './honesty.ts';
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
  /** Calls whose transcript is not ready yet, with the reason (from the transcript batches). Default none. */
  notReady?: Map<string, string>;
  /** Calls Gong has no transcript for (batches and summary jobs say so). Default none. */
  noTranscript?: Set<string>;
  /** The deal context job's value (its deal: named from tasks when the plan tied calls by title), or its failure. */
  context?: (Pick<DealContext, 'tasks' | 'brief'> & Partial<Pick<DealContext, 'deal' | 'degradations'>>) | { error: string };
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
    const base = { callId: call.callId, title: call.title, started: call.started, url: call.url };
    const notReady = input.notReady?.get(call.callId);
    if (notReady !== undefined) {
      appendix.push({ ...base, status: 'not-ready', reason: notReady, findings: 0 });
      continue;
    }
    const summary = input.summaries.get(call.callId) ?? (await cachedSummary(services, input.accountId, call));
    if (summary === 'no-transcript' || (!summary && input.noTranscript?.has(call.callId))) {
      appendix.push({ ...base, status: 'no-transcript', reason: NO_TRANSCRIPT_REASON, findings: 0 });
      continue;
    }
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
  const degradations = [...(input.degradations ?? []), ...(context && 'tasks' in context ? (context.degradations ?? []) : [])];
  const count = (s: AppendixEntry['status']) => appendix.filter((a) => a.status === s).length;
  const counts = {
    callsConsidered: ordered.length,
    summarized: count('summarized'),
    fromCache: count('cached'),
    missing: count('missing'),
    notReady: count('not-ready'),
    noTranscript: count('no-transcript'),
  };
  const incomplete = incompleteReason(counts, appendix.filter((a) => a.status === 'missing').map((a) => a.reason ?? ''));
  return {
    kind: input.kind,
    runId: input.runId,
    generatedAt: new Date().toISOString(),
    accountId: input.accountId,
    subject: input.subject,
    window: input.window,
    ...(deal ? { deal } : {}),
    headline: honestHeadline(counts, r.headline, incomplete),
    ...(incomplete ? { incomplete } : {}),
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
      ...counts,
      mapPromptTokens: mapPrompt,
      mapCompletionTokens: mapCompletion,
      reducePromptTokens: reduced.promptTokens,
      reduceCompletionTokens: reduced.completionTokens,
      reduceLlmCalls: reduced.llmCalls,
      maxPromptTokens: Math.max(maxPrompt, reduced.maxPromptTokens),
      droppedCitations: reduced.droppedCitations,
      reduceLocalMerges: reduced.localMerges,
    },
  };
}

/**
 * A summary made by an earlier or concurrent run for the same transcript, speakers, prompt and
 * model, or 'no-transcript' when the stored transcript is Gong's final empty one.
 */
async function cachedSummary(services: Pick<BuildDeps, 'llmCache' | 'transcripts'>, accountId: string, call: CallRef) {
  const stored = await services.transcripts.get(accountId, call.callId);
  if (!stored) return undefined;
  if (!hasSpeech(stored.transcript)) return 'no-transcript' as const;
  const hit = await services.llmCache.get<CallSummary>(services.llmCache.summaryKey(accountId, call.callId, stored.hash, call.speakers));
  return hit ? { ...hit, cached: true } : undefined;
}
