/**
 * The per-manager narrative: the LLM restates numbers computed in code (never computes them), as a
 * structured `manager_narrative`. Cached by the hash of its exact input, like the flagship's reduce
 * groups, so a re-run over unchanged numbers costs no tokens.
 */
import type { ChatMessage, LlmClient } from '../../upstream/index.ts';
import { ManagerNarrative, SCHEMA_NAMES } from '../summaries/schemas.ts';
import type { LlmCache } from '../summaries/cache.ts';
import type { TeamNumbers } from './numbers.ts';

/** Bump when the prompt below changes: it is part of the cache key. */
const NARRATIVE_PROMPT_VERSION = 'sweep-1';

const SYSTEM = [
  'You write a short coaching review for a sales leader about one front-line manager and their team.',
  'All numbers are given in the JSON input and are final: restate them, never compute new figures or invent reps.',
  'Summarize the team, list each flagged rep as a concern with its numbers, and recommend concrete coaching actions.',
].join(' ');

export interface NarrativeResult {
  narrative: ManagerNarrative;
  cached: boolean;
  promptTokens: number;
  completionTokens: number;
}

export function narrativeInput(team: TeamNumbers, period: { from: string; to: string }) {
  return {
    manager: { name: team.manager.name },
    period,
    reps: team.reps.map((r) => ({
      name: r.name,
      callsHosted: r.callsHosted,
      callsListenedByManager: r.callsListenedByManager,
      scorecardsReceived: r.scorecardsReceived,
      isNewHire: r.isNewHire,
      flags: r.flags.map((f) => f.code),
    })),
  };
}

export function narrativeMessages(input: ReturnType<typeof narrativeInput>): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Manager: ${input.manager.name}\n\n\`\`\`json\n${JSON.stringify(input)}\n\`\`\`` },
  ];
}

export async function narrate(
  deps: { llm: LlmClient; cache: LlmCache },
  team: TeamNumbers,
  period: { from: string; to: string },
): Promise<NarrativeResult> {
  const input = narrativeInput(team, period);
  const key = deps.cache.reduceKey({ kind: SCHEMA_NAMES.managerNarrative, v: NARRATIVE_PROMPT_VERSION, input });
  const hit = await deps.cache.get<ManagerNarrative>(key);
  if (hit) return { narrative: hit, cached: true, promptTokens: 0, completionTokens: 0 };
  const res = await deps.llm.parse(ManagerNarrative, SCHEMA_NAMES.managerNarrative, narrativeMessages(input));
  await deps.cache.set(key, res.value);
  return { narrative: res.value, cached: false, promptTokens: res.promptTokens, completionTokens: res.completionTokens };
}
