/** Tool names close to a wanted one, for errors that must say what the account does list. */
import { distance } from 'fastest-levenshtein';
import type { TrutoTool } from './types.ts';

/**
 * Listed tool names nearest to any of `wanted` (edit distance, or one containing the other), at
 * most `max`: what an absent-tool error suggests.
 */
export function closestToolNames(tools: readonly Pick<TrutoTool, 'name'>[], wanted: readonly string[], max = 5): string[] {
  const scored = tools.map((t) => {
    let best = Infinity;
    for (const w of wanted) {
      const d = t.name.includes(w) || w.includes(t.name) ? 0 : distance(w, t.name) / Math.max(w.length, t.name.length);
      best = Math.min(best, d);
    }
    return { name: t.name, d: best };
  });
  return scored
    .filter((s) => s.d <= 0.45)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}
