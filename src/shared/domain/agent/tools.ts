/**
 * The tools an agent run offers: the account's Truto tools as `/tools` lists them, in the OpenAI
 * tools format the capability layer builds (toOpenAiFunction: query and body properties merged
 * as Truto's toolset does, `required` kept to declared keys, an `id` for get/update/delete tools,
 * a description for undocumented tools from the capability they serve, and whether each reads or
 * writes Gong), plus the fleet's three built-ins (docs/agent-protocol.md §2). When the list would take more than its
 * share of the prompt budget, property descriptions are dropped (names, types, enums, required
 * and each tool's own description stay), and the run notes it.
 */
import { countTokens, toOpenAiFunction, type ToolDefinition, type TrutoTool } from '../../upstream/index.ts';

export const BUILTIN_NAMES = { summarizeCalls: 'summarize_calls', dealAutopsy: 'deal_autopsy', readResult: 'read_result' } as const;

/** Share of the prompt budget the tool list may take before it is compacted. */
export const TOOLS_BUDGET_SHARE = 0.15;

export const BUILTIN_TOOLS: readonly ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: BUILTIN_NAMES.summarizeCalls,
      description: "Summarize calls with the fleet's map-reduce pipeline: a cited report (objections, risks, competitors, pricing, next steps) of the calls in a date range or of the given call ids.",
      parameters: {
        type: 'object',
        properties: {
          from: { type: 'string', format: 'date-time', description: 'Calls that started on or after this time.' },
          to: { type: 'string', format: 'date-time', description: 'Calls that started before this time.' },
          call_ids: { type: 'array', items: { type: 'string' }, description: 'Only these calls (at most 100).' },
        },
      },
    },
  },
  {
    type: 'function',
    function: {
      name: BUILTIN_NAMES.dealAutopsy,
      description: "Deal autopsy: the deal's recent calls, objections and risks with citations, the reps' Engage tasks (OPEN vs DONE) and Gong's AI brief.",
      parameters: {
        type: 'object',
        properties: {
          deal: { type: 'string', description: 'Deal or account name, or CRM id.' },
          days: { type: 'integer', description: 'Days back. Default 30.' },
        },
        required: ['deal'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: BUILTIN_NAMES.readResult,
      description: 'Read the next slice of a stored tool result that was shown truncated.',
      parameters: {
        type: 'object',
        properties: {
          ref: { type: 'string', description: 'The ref of the result, e.g. r3.' },
          offset: { type: 'integer', description: 'Character offset (next_offset).' },
        },
        required: ['ref'],
      },
    },
  },
];

/** A Truto tool in the OpenAI tools format (see the file comment). */
export function toOpenAiTool(t: TrutoTool): ToolDefinition {
  return toOpenAiFunction(t);
}

function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    // `description` as a schema keyword, not a property that happens to be called description.
    if (k === 'description' && typeof v === 'string') continue;
    out[k] = k === 'properties' && typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, withoutDescriptions(s)]))
      : withoutDescriptions(v);
  }
  return out;
}

export interface OfferedTools {
  tools: ToolDefinition[];
  tokens: number;
  /** Set when property descriptions were dropped to fit. */
  note?: string;
}

/** The run's tool list: Truto's tools then the built-ins, compacted when over its share of `promptBudgetTokens`. */
export function offerTools(trutoTools: readonly TrutoTool[], promptBudgetTokens: number): OfferedTools {
  const builtinNames = new Set<string>(Object.values(BUILTIN_NAMES));
  return fitToolList([...trutoTools.filter((t) => !builtinNames.has(t.name)).map(toOpenAiTool), ...BUILTIN_TOOLS], promptBudgetTokens);
}

/**
 * A tool list within its share of `promptBudgetTokens`: unchanged when it fits, else without
 * property descriptions. Also used when a run learns a smaller window than it started with.
 */
export function fitToolList(full: readonly ToolDefinition[], promptBudgetTokens: number): OfferedTools {
  const fullTokens = countTokens(JSON.stringify(full));
  const share = Math.floor(promptBudgetTokens * TOOLS_BUDGET_SHARE);
  if (fullTokens <= share) return { tools: [...full], tokens: fullTokens };
  const compact = full.map((t) => ({ ...t, function: { ...t.function, parameters: withoutDescriptions(t.function.parameters) as Record<string, unknown> } }));
  const tokens = countTokens(JSON.stringify(compact));
  if (tokens === fullTokens) return { tools: [...full], tokens: fullTokens };
  return { tools: compact, tokens, note: `tool list compacted (property descriptions dropped): ${fullTokens} → ${tokens} tokens, to stay within ${share} of the ${promptBudgetTokens}-token prompt budget` };
}
