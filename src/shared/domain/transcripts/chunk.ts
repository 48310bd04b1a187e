/**
 * Splits rendered transcript lines into chunks that fit a token budget, cutting at speaker turns
 * (a whole monologue stays together) and only inside a monologue when one alone is too long.
 */
import { countTokens } from '../../upstream/index.ts';
import type { RenderedLine } from './render.ts';

export interface Chunk {
  lines: string[];
  tokens: number;
}

interface Turn {
  turn: number;
  lines: string[];
  tokens: number[];
}

function groupTurns(lines: RenderedLine[]): Turn[] {
  const turns: Turn[] = [];
  for (const l of lines) {
    let last = turns[turns.length - 1];
    if (!last || last.turn !== l.turn) {
      last = { turn: l.turn, lines: [], tokens: [] };
      turns.push(last);
    }
    last.lines.push(l.line);
    last.tokens.push(countTokens(l.line) + 1); // + the newline
  }
  return turns;
}

export function chunkLines(lines: RenderedLine[], budgetTokens: number): Chunk[] {
  if (budgetTokens < 50) throw new Error(`chunk budget of ${budgetTokens} tokens is too small`);
  const chunks: Chunk[] = [];
  let current: Chunk = { lines: [], tokens: 0 };
  const flush = () => {
    if (current.lines.length > 0) chunks.push(current);
    current = { lines: [], tokens: 0 };
  };
  for (const turn of groupTurns(lines)) {
    const turnTokens = turn.tokens.reduce((a, b) => a + b, 0);
    if (current.tokens + turnTokens <= budgetTokens) {
      current.lines.push(...turn.lines);
      current.tokens += turnTokens;
    } else if (turnTokens <= budgetTokens) {
      flush();
      current = { lines: [...turn.lines], tokens: turnTokens };
    } else {
      // One monologue longer than the budget: split it by sentence.
      turn.lines.forEach((line, i) => {
        const t = turn.tokens[i] ?? 0;
        if (current.tokens + t > budgetTokens) flush();
        current.lines.push(line);
        current.tokens += t;
      });
    }
  }
  flush();
  return chunks;
}
