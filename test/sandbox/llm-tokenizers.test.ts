/**
 * A model whose tokenizer is not the fleet's: what `usage` reports and what the window is enforced
 * against, over HTTP; and the realistic failure it stands for (the fleet's o200k count says a
 * prompt fits, the server counts more and refuses it).
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../src/sandbox/llm/tokenizers.ts';
import { createWorld } from '../../src/sandbox/world/world.ts';
import { countChatTokens, countTokens } from '../../src/shared/upstream/llm/tokens.ts';
import { closeSandboxesAfterEach, errorOf, llmSandbox } from './support/llm-sandbox.ts';

closeSandboxesAfterEach();

const SYSTEM = 'Summarize the call.'; // 19 characters
const USER = 'The buyer asked about pricing. We agreed to follow up next week.'; // 64 characters

describe('foreign tokenizers over HTTP', () => {
  it('chars4: usage = 5 priming + (5 framing + ceil(chars/4)) per message; completion = ceil(chars/4)', async () => {
    const m = await llmSandbox({ tokenizer: 'chars4' });
    const out = await m.client().chat.completions.create({
      model: m.model,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: USER },
      ],
    });
    const content = out.choices[0]!.message.content!;
    expect(content).toBe(USER); // the extractive answer repeats the user's two sentences (64 characters)
    // 5 + (5 + ceil(19/4) = 10) + (5 + ceil(64/4) = 21) = 36; the answer is ceil(64/4) = 16.
    expect(out.usage).toMatchObject({ prompt_tokens: 36, completion_tokens: 16, total_tokens: 52 });
    expect(m.sb.stats().llm).toMatchObject({ promptTokens: 36, completionTokens: 16 });
  });

  it('chars3 counts more still, and a max_tokens cap cuts at 3 characters a token', async () => {
    const m = await llmSandbox({ tokenizer: 'chars3' });
    const out = await m.client().chat.completions.create({ model: m.model, max_tokens: 4, messages: [{ role: 'user', content: USER }] });
    // 5 + 5 + ceil(64/3) = 32.
    expect(out.usage).toMatchObject({ prompt_tokens: 32, completion_tokens: 4 });
    expect(out.choices[0]!.message.content).toBe(USER.slice(0, 12));
    expect(out.choices[0]!.finish_reason).toBe('length');
  });

  it('o200k (default) agrees with the fleet exactly', async () => {
    const m = await llmSandbox();
    const messages = [
      { role: 'system' as const, content: SYSTEM },
      { role: 'user' as const, content: USER },
    ];
    const out = await m.client().chat.completions.create({ model: m.model, messages });
    expect(out.usage).toMatchObject({ prompt_tokens: countChatTokens(messages), completion_tokens: countTokens(USER) });
  });

  it('chars4 counts fewer tokens than o200k on transcript lines but more on prose; chars3 counts more on both', () => {
    const lines = transcriptLines();
    const prose = lines.map((l) => l.replace(/^\[[^\]]+\] [^:]+: /, '')).join(' ');
    const o200k = createTokenizer('o200k');
    // Timestamps and names cost o200k ~3.7 characters a token; plain English ~4.6.
    expect(createTokenizer('chars4').count(lines.join('\n'))).toBeLessThan(o200k.count(lines.join('\n')));
    expect(createTokenizer('chars4').count(prose)).toBeGreaterThan(o200k.count(prose) * 1.1);
    expect(createTokenizer('chars3').count(lines.join('\n'))).toBeGreaterThan(o200k.count(lines.join('\n')) * 1.1);
  });

  it('a transcript the fleet counts under the window is refused by a chars/3 server', async () => {
    const messages = [{ role: 'user' as const, content: transcriptLines().join('\n') }];
    const fleetCount = countChatTokens(messages);
    const serverCount = createTokenizer('chars3').countChat(messages);
    const window = Math.floor((fleetCount + serverCount) / 2);

    const m = await llmSandbox({ tokenizer: 'chars3', contextWindowTokens: window, defaultMaxTokens: 1 });
    const err = await errorOf(m.client().chat.completions.create({ model: m.model, max_tokens: 1, messages }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('context_length_exceeded');
    expect(err.message).toContain(`maximum context length is ${window} tokens`);
    expect(err.message).toContain(`resulted in ${serverCount} tokens`);
    expect(m.sb.stats().llm).toMatchObject({ rejectedContext: 1, maxPromptTokensSeen: serverCount });

    // The same prompt against the fleet's own tokenizer fits that window.
    const same = await llmSandbox({ contextWindowTokens: window, defaultMaxTokens: 1 });
    const ok = await same.client().chat.completions.create({ model: same.model, max_tokens: 1, messages });
    expect(ok.usage!.prompt_tokens).toBe(fleetCount);
  });
});

/** A real call from the sandbox's world, rendered as the fleet renders transcript lines. */
function transcriptLines(): string[] {
  const world = createWorld({ seed: 7, extraAccounts: 0, callsPerAccount: 2 });
  const call = world.account(world.accounts[0]!.id)!.calls[0]!;
  const parties = world.callParties(call.id);
  return world.transcript(call.id)!.flatMap((m) => {
    const who = parties.find((p) => p.speakerId === m.speakerId);
    return m.sentences.map((s) => `[${hms(s.start)}] ${who?.name ?? 'Unknown'} (${who?.affiliation ?? 'Unknown'}): ${s.text}`);
  });
}

function hms(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

describe('tokenizer edge cases', () => {
  it('counts code points, not UTF-16 units, and never splits a surrogate pair', () => {
    const t = createTokenizer('chars4');
    expect(t.count('😀😀😀😀')).toBe(1);
    expect(t.count('😀😀😀😀x')).toBe(2);
    expect(t.truncate('😀😀😀😀😀', 1)).toBe('😀😀😀😀');
    expect(t.dropLeading('abcd😀efg', 1)).toBe('😀efg');
    expect(t.count('')).toBe(0);
  });

  it('o200k dropLeading keeps the tail', () => {
    const t = createTokenizer('o200k');
    const text = 'one two three four five six';
    const rest = t.dropLeading(text, 2);
    expect(text.endsWith(rest)).toBe(true);
    expect(t.count(rest)).toBe(t.count(text) - 2);
    expect(t.dropLeading(text, 1_000)).toBe('');
  });
});
