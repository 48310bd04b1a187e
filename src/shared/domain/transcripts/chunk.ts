/**
 * Splits rendered transcript lines into chunks that fit a token budget, cutting at speaker turns
 * (a whole monologue stays together) and only inside a monologue when one alone is too long. A
 * single line longer than the whole budget (a speech-to-text run-on) is cut to fit, with a note
 * saying so, rather than failing the call: the rest of the call is still worth summarizing.
 */
import { NonRetryableError } from '../../platform/index.ts';
import { countTokens, truncateToTokens } from '../../upstream/index.ts';
import type { RenderedLine } from './render.ts';

export interface Chunk {
  lines: string[];
  tokens: number;
  /** Index of the chunk's first line in the lines it was cut from. */
  start: number;
  /** Lines of the input it covers (`lines.length`, also when a line was cut short). */
  count: number;
  /** Lines that were cut to fit. */
  truncatedLines: number;
}

/** A rendered line with its token count (+1 for the newline), so re-chunking never recounts. */
export interface CountedLine extends RenderedLine {
  tokens: number;
}

/** Smallest budget worth chunking into: below it the prompt's fixed part leaves no room for transcript. */
export const MIN_CHUNK_TOKENS = 50;

export function countLines(lines: readonly RenderedLine[]): CountedLine[] {
  return lines.map((l) => ('tokens' in l && typeof l.tokens === 'number' ? (l as CountedLine) : { ...l, tokens: countTokens(l.line) + 1 }));
}

/** What replaces the end of a line too long for the window. */
export function truncationNote(droppedTokens: number): string {
  return ` […line cut: ${droppedTokens} more tokens did not fit the model's context window]`;
}

interface Turn {
  lines: CountedLine[];
  tokens: number;
}

function groupTurns(lines: readonly CountedLine[]): Turn[] {
  const turns: Turn[] = [];
  let last: (Turn & { turn: number }) | undefined;
  for (const l of lines) {
    if (!last || last.turn !== l.turn) {
      last = { turn: l.turn, lines: [], tokens: 0 };
      turns.push(last);
    }
    last.lines.push(l);
    last.tokens += l.tokens;
  }
  return turns;
}

export function chunkLines(input: readonly RenderedLine[], budgetTokens: number): Chunk[] {
  if (budgetTokens < MIN_CHUNK_TOKENS) {
    throw new NonRetryableError(`a transcript chunk budget of ${budgetTokens} tokens is too small: the model's context window leaves no room for transcript`);
  }
  const lines = countLines(input);
  const chunks: Chunk[] = [];
  let next = 0; // index of the next input line
  let current: Chunk = { lines: [], tokens: 0, start: 0, count: 0, truncatedLines: 0 };
  const flush = () => {
    if (current.count > 0) chunks.push(current);
    current = { lines: [], tokens: 0, start: next, count: 0, truncatedLines: 0 };
  };
  const add = (l: CountedLine) => {
    if (l.tokens > budgetTokens) {
      const note = truncationNote(l.tokens - budgetTokens);
      const kept = truncateToTokens(l.line, budgetTokens - countTokens(note) - 1);
      current.lines.push(kept + note);
      current.tokens += countTokens(kept + note) + 1;
      current.truncatedLines += 1;
    } else {
      current.lines.push(l.line);
      current.tokens += l.tokens;
    }
    current.count += 1;
    next += 1;
  };
  for (const turn of groupTurns(lines)) {
    if (current.tokens + turn.tokens <= budgetTokens) {
      turn.lines.forEach(add);
    } else if (turn.tokens <= budgetTokens) {
      flush();
      turn.lines.forEach(add);
    } else {
      // One monologue longer than the budget: split it by sentence.
      for (const l of turn.lines) {
        if (current.count > 0 && current.tokens + Math.min(l.tokens, budgetTokens) > budgetTokens) flush();
        add(l);
      }
    }
  }
  flush();
  return chunks;
}
