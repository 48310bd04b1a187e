/**
 * Map step: one call's transcript → structured, cited findings. Transcripts longer than the
 * prompt budget are split on speaker turns and the chunks' findings merged (deduplicated by quote,
 * sentiments combined). The budget is the LLM client's, which learns the server's window: when a
 * chunk is refused for context length (or its answer runs out of output), the rest of the call is
 * re-split smaller and the finished chunks are kept, so a call is never lost to its size.
 */
import { NonRetryableError } from '../../platform/index.ts';
import { ContextOverflowError, OutputLengthError, type LlmClient } from '../../upstream/index.ts';
import { mapMessages } from './prompts.ts';
import { CallFindings, SCHEMA_NAMES, type Finding } from './schemas.ts';
import { chunkLines, countLines, MIN_CHUNK_TOKENS } from '../transcripts/chunk.ts';
import type { RenderedLine } from '../transcripts/render.ts';

export interface CallSummary {
  callId: string;
  findings: Finding[];
  customerSentiment: CallFindings['customerSentiment'];
  sentimentEvidence: string;
  chunks: number;
  promptTokens: number;
  completionTokens: number;
  /** Largest prompt sent for this call, in the server's tokens (never above the context budget). */
  maxPromptTokens: number;
  /** Times the rest of the call was re-split smaller after a refusal or a cut answer. Optional: older cached summaries lack it. */
  resplits?: number;
  /** Transcript lines too long for the window, cut with a note. Optional: older cached summaries lack it. */
  truncatedLines?: number;
}

/** A range of transcript lines: chunks are cached by the lines they cover, whatever the budget that cut them. */
export interface LineRange {
  start: number;
  end: number;
}

/**
 * Where finished chunks are kept while a call is in progress, so a job that is delayed by the rate
 * governor (or killed) between chunks resumes where it stopped instead of paying for them again.
 */
export interface ChunkCache {
  get(range: LineRange): Promise<ParsedChunk | undefined>;
  set(range: LineRange, value: ParsedChunk): Promise<void>;
}

export interface ParsedChunk {
  value: CallFindings;
  promptTokens: number;
  completionTokens: number;
}

const noChunkCache: ChunkCache = { get: async () => undefined, set: async () => {} };

/** After a refusal the next chunk is at most this share of the refused one (progress even when the numbers disagree). */
const RESPLIT_SHARE = 0.75;

export async function summarizeCall(
  llm: LlmClient,
  call: { callId: string; title: string; started: string },
  rendered: RenderedLine[],
  chunkCache: ChunkCache = noChunkCache,
): Promise<CallSummary> {
  const kind = SCHEMA_NAMES.callFindings;
  const lines = countLines(rendered);
  // Room for the system prompt and the "part i of n" header, with a safety margin.
  const overhead = llm.countPromptTokens(mapMessages(call, [], { index: 9, of: 10 })) + 32;
  let budget = (await llm.budget({ kind })).promptTokens - overhead;
  const summary: CallSummary = {
    callId: call.callId,
    findings: [],
    customerSentiment: 'neutral',
    sentimentEvidence: '',
    chunks: 0,
    promptTokens: 0,
    completionTokens: 0,
    maxPromptTokens: 0,
    resplits: 0,
    truncatedLines: 0,
  };
  const sentiments: CallFindings['customerSentiment'][] = [];
  const seen = new Set<string>();
  let start = 0;
  while (start < lines.length) {
    const rest = chunkLines(lines.slice(start), budget);
    const chunk = rest[0]!;
    const range = { start, end: start + chunk.count };
    let res = await chunkCache.get(range);
    if (!res) {
      try {
        res = await llm.parse(CallFindings, kind, mapMessages(call, chunk.lines, { index: summary.chunks, of: summary.chunks + rest.length }));
      } catch (err) {
        if (!(err instanceof ContextOverflowError) && !(err instanceof OutputLengthError)) throw err;
        // A cut answer: fewer lines give fewer findings. A refusal: the client has learned the window.
        const share = err instanceof OutputLengthError ? 0.5 : RESPLIT_SHARE;
        const learned = (await llm.budget({ kind })).promptTokens - overhead;
        const next = Math.min(learned, Math.floor(chunk.tokens * share));
        if (next < MIN_CHUNK_TOKENS || chunk.count === 0) {
          throw new NonRetryableError(`call ${call.callId}: no split of its transcript fits the model (${err.message})`, { cause: err });
        }
        budget = next;
        summary.resplits = (summary.resplits ?? 0) + 1;
        continue;
      }
      await chunkCache.set(range, res);
    }
    summary.chunks += 1;
    summary.truncatedLines = (summary.truncatedLines ?? 0) + chunk.truncatedLines;
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
    start = range.end;
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
