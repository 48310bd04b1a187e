/**
 * `npm run bench:tokens`: how fast the fleet counts tokens (o200k_base), which it does for every
 * transcript line it chunks and every prompt it sends. Workload: a 10,000-word transcript of
 * varied pseudo-words (a seeded LCG, so the tokenizer's merge cache cannot flatter the timing; the
 * check that used to sit in test/unit/tokens.test.ts), counted whole and line by line as the
 * chunker does. Prints a Markdown table and the target; exits 1 when the target is missed.
 *
 * Flags: --words 10000  --runs 7  --target-ms 100
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { countChatTokens, countTokens } from '../../src/shared/upstream/index.ts';

const { values: flags } = parseArgs({
  options: {
    words: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '7' },
    'target-ms': { type: 'string', default: '100' },
  },
});
const words = Number(flags.words);
const runs = Number(flags.runs);
const targetMs = Number(flags['target-ms']);

const syllables = ['pri', 'cing', 'se', 'cu', 'ri', 'ty', 'ti', 'me', 'line', 'bud', 'get', 'clar', 'quo', 'te'];
let seed = 42;
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
const word = () => Array.from({ length: 1 + (next() % 3) }, () => syllables[next() % syllables.length]).join('');
// Transcript-like lines of ~12 words, as the chunker sees them.
const lines = Array.from({ length: Math.ceil(words / 12) }, (_, i) =>
  `[00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}] Dana Buyer (External): ${Array.from({ length: 12 }, word).join(' ')}.`,
);
const text = lines.join('\n');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => number): { ms: number[]; tokens: number } {
  const ms: number[] = [];
  let tokens = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    tokens = fn();
    ms.push(performance.now() - t);
  }
  return { ms, tokens };
}

const whole = time(() => countTokens(text));
const perLine = time(() => lines.reduce((n, l) => n + countTokens(l), 0));
const prompt = time(() => countChatTokens([{ role: 'system', content: 'You analyse sales call transcripts.' }, { role: 'user', content: text }]));

console.log(`# token counting benchmark: ${words} words in ${lines.length} transcript lines, ${runs} runs each\n`);
console.log('| workload | tokens | median ms | max ms |');
console.log('|---|---:|---:|---:|');
for (const [name, r] of [['whole text', whole], ['line by line (chunker)', perLine], ['chat prompt', prompt]] as const) {
  console.log(`| ${name} | ${r.tokens} | ${median(r.ms).toFixed(1)} | ${Math.max(...r.ms).toFixed(1)} |`);
}
const worst = Math.max(median(whole.ms), median(perLine.ms), median(prompt.ms));
const met = worst <= targetMs;
console.log(`\n- target: every workload ≤ ${targetMs} ms median for ${words} words: ${worst.toFixed(1)} ms → ${met ? 'met' : 'MISSED'}`);
process.exitCode = met ? 0 : 1;
