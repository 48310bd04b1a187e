import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens, truncateToTokens } from '../../src/shared/upstream/index.ts';

describe('countTokens (o200k_base)', () => {
  it('counts the empty string as zero', () => {
    expect(countTokens('')).toBe(0);
  });

  it('matches known o200k_base counts', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('treats special-token text as plain text instead of throwing', () => {
    expect(countTokens('before <|endoftext|> after')).toBeGreaterThan(3);
  });

  it('counts a 10k-word transcript quickly', () => {
    // Varied pseudo-words (a seeded LCG) so the tokenizer's merge cache cannot flatter the timing.
    const syllables = ['pri', 'cing', 'se', 'cu', 'ri', 'ty', 'ti', 'me', 'line', 'bud', 'get', 'clar', 'quo', 'te'];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    const word = () => Array.from({ length: 1 + (next() % 3) }, () => syllables[next() % syllables.length]).join('');
    const text = Array.from({ length: 10_000 }, word).join(' ');
    const started = performance.now();
    const tokens = countTokens(text);
    const elapsedMs = performance.now() - started;
    console.log(`countTokens: 10k words → ${tokens} tokens in ${elapsedMs.toFixed(1)} ms`);
    expect(tokens).toBeGreaterThan(9_000);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});

describe('countChatTokens', () => {
  it('adds OpenAI per-message overhead (3 per message + 3 reply priming)', () => {
    const messages = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'hello world' },
    ];
    const expected = 3 + (3 + countTokens('system') + countTokens('You are helpful.')) + (3 + countTokens('user') + 2);
    expect(countChatTokens(messages)).toBe(expected);
    expect(countChatTokens([{ role: 'assistant', content: null }])).toBe(3 + 3 + countTokens('assistant'));
  });
});

describe('truncateToTokens', () => {
  it('keeps text that fits and cuts text that does not', () => {
    expect(truncateToTokens('hello world', 5)).toBe('hello world');
    const cut = truncateToTokens('The quick brown fox jumps over the lazy dog.', 3);
    expect(countTokens(cut)).toBeLessThanOrEqual(3);
    expect('The quick brown fox jumps over the lazy dog.'.startsWith(cut)).toBe(true);
  });
});
