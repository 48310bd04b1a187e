/**
 * Token counting (o200k_base) as the fleet sizes prompts with it: literal counts, and OpenAI's own
 * billing of a chat prompt. How fast counting is belongs to `npm run bench:tokens`, not here.
 */
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
    // As the OpenAI API does for user content: "<|endoftext|>" is 7 ordinary tokens, not 1 special one.
    expect(countTokens('<|endoftext|>')).toBe(7);
    expect(countTokens('before <|endoftext|> after')).toBe(9);
  });

  it('counts long text in full (no cap, no sampling)', () => {
    // Timing lives in bench/tokens (npm run bench:tokens); this checks the count itself.
    const sentence = 'The quick brown fox jumps over the lazy dog.';
    const text = Array.from({ length: 1_000 }, () => sentence).join(' ');
    // 10 tokens for the first sentence, then 10 per " The quick … dog." (the leading space merges into " The").
    expect(countTokens(text)).toBe(10_000);
  });
});

describe('countChatTokens', () => {
  it('matches what the OpenAI API bills for a gpt-4o chat prompt', () => {
    // The example from OpenAI's cookbook "How to count tokens with tiktoken", for which it reports
    // "124 prompt tokens counted by the OpenAI API" with gpt-4o and gpt-4o-mini: 3 per message, 1
    // per name, 3 to prime the reply, plus the o200k tokens of roles, names and contents.
    const messages = [
      { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
      { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
      { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
      { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
      { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
      { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
    ];
    expect(countChatTokens(messages)).toBe(124);
  });

  it('adds 3 per message and 3 for the reply to the content tokens', () => {
    // "system"=1, "You are helpful."=4, "user"=1, "hello world"=2: 3 + (3+1+4) + (3+1+2) = 17.
    expect(countChatTokens([{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'hello world' }])).toBe(17);
    // "assistant"=1 and no content: 3 + (3+1) = 7.
    expect(countChatTokens([{ role: 'assistant', content: null }])).toBe(7);
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
