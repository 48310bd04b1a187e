/**
 * Which Gong tools may run where, derived from the capability catalog (capabilities/catalog.ts),
 * the one place that says what reads and what writes. Gong exposes several reads as POSTs, so
 * Truto names them `create_a_…` (`create_a_gong_calls_transcript`, and `create_a_gong_task`, which
 * the seed uses to *list* a rep's tasks): the HTTP verb cannot tell a read from a write. A tool is
 * classified by the capability it serves, matched by name or by resource + method; a tool no
 * capability knows is a write, so it must be classified before a read job may use it. Jobs that
 * feed an LLM (summaries, sweeps, the generic tool job) may only use reads, so text inside a
 * transcript can never trigger a write; writes run only from explicit write jobs.
 */
import { CAPABILITIES, CAPABILITY_IDS } from './capabilities/catalog.ts';
import { capabilityOfTool } from './capabilities/match.ts';
import type { TrutoTool } from './truto/types.ts';

export type ToolAccess = 'read' | 'write';

function namesWhere(access: ToolAccess): Set<string> {
  return new Set(
    CAPABILITY_IDS.flatMap((id) => (CAPABILITIES[id].access === access ? CAPABILITIES[id].candidates.map((c) => c.name) : []))
      .filter((n): n is string => n !== undefined),
  );
}

/** Known read tool names (a tool of another name is still a read when its resource + method match). */
export const READ_TOOLS: ReadonlySet<string> = namesWhere('read');
/** Known write tool names. */
export const WRITE_TOOLS: ReadonlySet<string> = namesWhere('write');

/** The Gong OAuth scope each known tool name usually needs (gong-api.md §7). */
export const TOOL_SCOPES: Readonly<Record<string, string>> = Object.fromEntries(
  CAPABILITY_IDS.flatMap((id) => CAPABILITIES[id].candidates.flatMap((c) => (c.name ? [[c.name, CAPABILITIES[id].scope]] : []))),
);

/** The Gong scope a tool usually needs (by the capability it serves), or undefined for a tool no capability knows. */
export function requiredScope(tool: string | Pick<TrutoTool, 'name' | 'resource' | 'method'>): string | undefined {
  return capabilityOfTool(tool)?.scope;
}

/** Read or write, by the capability the tool serves; a tool no capability knows counts as a write. */
export function toolAccess(tool: string | Pick<TrutoTool, 'name' | 'resource' | 'method'>): ToolAccess {
  return capabilityOfTool(tool)?.access ?? 'write';
}
