/**
 * Silent prompt truncation as Ollama does it ("truncating input prompt" in its log, nothing in the
 * answer): the oldest text goes first until the prompt fits the window. A system prompt at the top
 * is therefore the first casualty, which is exactly the damage a client must learn to avoid.
 */
import type { CountedMessage, SandboxTokenizer } from './tokenizers.ts';

export function truncateMessages<M extends CountedMessage>(
  messages: readonly M[],
  tokenizer: SandboxTokenizer,
  keepTokens: number,
): M[] {
  const out = messages.map((m) => ({ ...m }));
  let over = tokenizer.countChat(out) - keepTokens;
  while (over > 0) {
    const m = out.find((x) => (x.content ?? '').length > 0);
    if (!m) break;
    const content = m.content ?? '';
    // A token boundary can merge differently once cut, so repeat until the count says it fits.
    const next = tokenizer.dropLeading(content, Math.max(1, Math.min(over, tokenizer.count(content))));
    // Never loop without progress (a token that decodes to nothing): drop a character instead.
    m.content = next === content ? content.slice(1) : next;
    over = tokenizer.countChat(out) - keepTokens;
  }
  // Only framing is left and it still does not fit: drop whole messages, keeping the newest.
  while (over > 0 && out.length > 1) {
    out.shift();
    over = tokenizer.countChat(out) - keepTokens;
  }
  return out;
}
