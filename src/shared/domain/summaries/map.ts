/**
 * Map step: one call's transcript → structured, cited findings. Transcripts longer than the
 * model's context are split on speaker turns; the chunks' findings are merged (deduplicated by
 * quote) and sentiments combined. Token counts are returned for metrics and benchmarks.
 */
import type { LlmClient } from '../../upstream/index.ts';
import { mapMessages } from './prompts.ts';
import { CallFindings, SCHEMA_NAMES, type Finding } from './schemas.ts';
import { chunkLines } from '../transcripts/chunk.ts';
import type { RenderedLine } from '../transcripts/render.ts';

export interface CallSummary {
  callId: string;
  findings: Finding[];
  customerSentiment: CallFindings['customerSentiment'];
  sentimentEvidence: string;
  chunks: number;
  promptTokens: number;
  completionTokens: number;
  /** Largest prompt sent for this call, in tokens (never above the context budget). */
  maxPromptTokens: number;
}

/**
 * Where finished chunks are kept while a call is in progress, so a job that is delayed by the rate
 * governor (or killed) between chunks resumes where it stopped instead of paying for them again.
 */
export interface ChunkCache {
  get(index: number, of: number): Promise<ParsedChunk | undefined>;
  set(index: number, of: number, value: ParsedChunk): Promise<void>;
}

export interface ParsedChunk {
  value: CallFindings;
  promptTokens: number;
  completionTokens: number;
}

const noChunkCache: ChunkCache = { get: async () => undefined, set: async () => {} };

export async function summarizeCall(
  llm: LlmClient,
  call: { callId: string; title: string; started: string },
  lines: RenderedLine[],
  chunkCache: ChunkCache = noChunkCache,
): Promise<CallSummary> {
  // Room for the system prompt and header: measure an empty prompt once, keep a safety margin.
  const overhead = llm.countPromptTokens(mapMessages(call, [], { index: 0, of: 2 })) + 32;
  const chunks = chunkLines(lines, llm.promptBudgetTokens - overhead);
  const summary: CallSummary = {
    callId: call.callId,
    findings: [],
    customerSentiment: 'neutral',
    sentimentEvidence: '',
    chunks: chunks.length,
    promptTokens: 0,
    completionTokens: 0,
    maxPromptTokens: 0,
  };
  const sentiments: CallFindings['customerSentiment'][] = [];
  const seen = new Set<string>();
  for (const [index, chunk] of chunks.entries()) {
    let res = await chunkCache.get(index, chunks.length);
    if (!res) {
      const messages = mapMessages(call, chunk.lines, { index, of: chunks.length });
      res = await llm.parse(CallFindings, SCHEMA_NAMES.callFindings, messages);
      await chunkCache.set(index, chunks.length, res);
    }
    summary.promptTokens += res.promptTokens;
    summary.completionTokens += res.completionTokens;
    summary.maxPromptTokens = Math.max(summary.maxPromptTokens, res.promptTokens);
    for (const f of res.value.findings) {
      const key = `${f.category}|${f.quote}`;
      if (!seen.has(key)) {
        seen.add(key);
        summary.findings.push(f);
      }
    }
    sentiments.push(res.value.customerSentiment);
    if (!summary.sentimentEvidence && res.value.sentimentEvidence) summary.sentimentEvidence = res.value.sentimentEvidence;
  }
  summary.customerSentiment = combineSentiment(sentiments);
  return summary;
}

export function combineSentiment(list: CallFindings['customerSentiment'][]): CallFindings['customerSentiment'] {
  const set = new Set(list.filter((s) => s !== 'neutral'));
  if (set.size === 0) return 'neutral';
  if (set.size === 1) return [...set][0] ?? 'neutral';
  return 'mixed';
}
