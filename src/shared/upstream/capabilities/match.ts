/**
 * Which listed tool serves each capability. A tool matches a candidate when its method is the
 * candidate's and either its name or its resource is (a Truto integration author may name a method
 * differently; the resource + method pair is what Truto routes on). Candidates are tried in rank
 * order; a matching tool the fleet cannot call (a required argument without a home, a required key
 * the fleet cannot fill) is skipped for the next one and reported if nothing better exists.
 */
import { ArgumentHomeError, ToolAbsentError } from '../errors.ts';
import { closestToolNames } from '../truto/tool-names.ts';
import { looseKey } from '../truto/pagination.ts';
import type { TrutoTool } from '../truto/types.ts';
import { unusableReason } from './arg-map.ts';
import { CAPABILITIES, CAPABILITY_IDS, describeCandidate, type CapabilityId, type CapabilitySpec, type ToolCandidate } from './catalog.ts';

export type Resolution =
  | { status: 'present'; id: CapabilityId; tool: TrutoTool; matchedBy: 'name' | 'resource' }
  | { status: 'unusable'; id: CapabilityId; tool: TrutoTool; error: ArgumentHomeError }
  | { status: 'absent'; id: CapabilityId; error: ToolAbsentError };

type ToolIdentity = Pick<TrutoTool, 'name' | 'resource' | 'method'>;

/** How `tool` matches `c`: by name, by resource, or not at all (the method must always agree). */
export function matchCandidate(tool: ToolIdentity, c: ToolCandidate): 'name' | 'resource' | undefined {
  if (tool.method.toLowerCase() !== c.method.toLowerCase()) return undefined;
  if (c.name !== undefined && tool.name === c.name) return 'name';
  return looseKey(tool.resource) === looseKey(c.resource) ? 'resource' : undefined;
}

/** The capability a tool serves, by name or resource + method; undefined for a tool no capability knows. */
export function capabilityOfTool(tool: string | ToolIdentity): CapabilitySpec | undefined {
  for (const id of CAPABILITY_IDS) {
    const spec: CapabilitySpec = CAPABILITIES[id];
    for (const c of spec.candidates) {
      if (typeof tool === 'string' ? c.name === tool : matchCandidate(tool, c)) return spec;
    }
  }
  return undefined;
}

export function resolveCapability(id: CapabilityId, tools: readonly TrutoTool[], accountId: string): Resolution {
  const spec: CapabilitySpec = CAPABILITIES[id];
  let unusable: { tool: TrutoTool; error: ArgumentHomeError } | undefined;
  for (const c of spec.candidates) {
    // A tool of the candidate's name beats one that only shares its resource.
    const matches = tools
      .map((tool) => ({ tool, by: matchCandidate(tool, c) }))
      .filter((m): m is { tool: TrutoTool; by: 'name' | 'resource' } => m.by !== undefined)
      .sort((a, b) => (a.by === b.by ? 0 : a.by === 'name' ? -1 : 1));
    for (const m of matches) {
      const error = unusableReason(m.tool, spec);
      if (!error) return { status: 'present', id, tool: m.tool, matchedBy: m.by };
      unusable ??= { tool: m.tool, error };
    }
  }
  if (unusable) return { status: 'unusable', id, ...unusable };
  const names = spec.candidates.map((c) => c.name).filter((n): n is string => n !== undefined);
  const sameResource = tools
    .filter((t) => spec.candidates.some((c) => looseKey(t.resource) === looseKey(c.resource)))
    .map((t) => t.name);
  const closest = [...new Set([...sameResource, ...closestToolNames(tools, names)])].slice(0, 5);
  return {
    status: 'absent',
    id,
    error: new ToolAbsentError({
      accountId,
      wanted: spec.label,
      candidates: spec.candidates.map((c) => (c.name ? c.name : `resource ${c.resource} method ${c.method}`)),
      closest,
      likelyScope: spec.scope,
    }),
  };
}

export function resolveAll(tools: readonly TrutoTool[], accountId: string): Map<CapabilityId, Resolution> {
  return new Map(CAPABILITY_IDS.map((id) => [id, resolveCapability(id, tools, accountId)]));
}

export { describeCandidate };
