/**
 * How the sandbox's Truto behaves, per plausible real Truto account (issue 10). No public source
 * shows Truto's Gong tool list, argument keys or response paths, so the sandbox can play each
 * variant and tests can prove the fleet works on all of them:
 * - `tools`: `full` lists every tool the fleet knows; `seed` only the 11 the seed article names
 *   plus a description-less request-status `get` tool.
 * - `argStyle`: `camel` = Gong's own nested camelCase keys (`filter.callIds`); `snake` = every key
 *   snake_case with Gong's body `filter` flattened to the top (`call_ids`).
 * - `bodies` (POST reads exposed as create tools): `gong` = Gong's whole body paged by
 *   `records.cursor`; `unwrapped` = `{result, next_cursor}` paged by `?next_cursor=`; `array` = a
 *   bare array of every item, not paged.
 * - `rateHeaders`: `ietf` = `ratelimit-*` on every proxy answer; `none` = only `retry-after` on 429s
 *   (Gong sends no budget headers, so Truto may have nothing to normalise).
 * - `listUnscopedTools`: `/tools` lists tools whose Gong scope the account lacks; calling one
 *   answers Gong's 403 (a token that lost a scope after connecting).
 */

export type ToolSet = 'full' | 'seed';
export type ArgStyle = 'camel' | 'snake';
export type BodyMode = 'gong' | 'unwrapped' | 'array';
export type RateHeaderMode = 'ietf' | 'none';

export interface TrutoProfile {
  /** Which tools exist. Default 'full'. */
  tools: ToolSet;
  /** Argument keys of every tool's schemas. Default 'camel'. */
  argStyle: ArgStyle;
  /** Answer shape of Gong POST reads (transcripts, extensive, aggregates, tasks list). Default 'gong'. */
  bodies: BodyMode;
  /** Rate-limit headers on proxy answers. Default 'ietf'. */
  rateHeaders: RateHeaderMode;
  /** `/tools` also lists tools the account's scopes don't allow (they answer 403). Default false. */
  listUnscopedTools: boolean;
}

/** Named presets; explicit options override a preset's values. */
export const PROFILE_PRESETS = {
  /** Today's sandbox: every tool, Gong's camelCase keys and bodies, IETF headers. */
  full: { tools: 'full', argStyle: 'camel', bodies: 'gong', rateHeaders: 'ietf', listUnscopedTools: false },
  /** The seed article's tools as a Truto integration author might map them: snake keys, unwrapped lists. */
  seed: { tools: 'seed', argStyle: 'snake', bodies: 'unwrapped', rateHeaders: 'none', listUnscopedTools: false },
  /** The seed's tools as a 1-to-1 proxy of Gong's spec: camel keys, Gong's own bodies. */
  'seed-raw': { tools: 'seed', argStyle: 'camel', bodies: 'gong', rateHeaders: 'none', listUnscopedTools: false },
  /** The seed's tools with snake keys and POST reads answered as one bare array. */
  'seed-array': { tools: 'seed', argStyle: 'snake', bodies: 'array', rateHeaders: 'none', listUnscopedTools: false },
} as const satisfies Record<string, TrutoProfile>;

export type ProfileName = keyof typeof PROFILE_PRESETS;
export const PROFILE_NAMES = Object.keys(PROFILE_PRESETS) as ProfileName[];

export interface TrutoProfileOptions extends Partial<TrutoProfile> {
  /** A preset to start from. Default 'full'. */
  profile?: ProfileName;
}

export const TOOL_SETS: readonly ToolSet[] = ['full', 'seed'];
export const ARG_STYLES: readonly ArgStyle[] = ['camel', 'snake'];
export const BODY_MODES: readonly BodyMode[] = ['gong', 'unwrapped', 'array'];
export const RATE_HEADER_MODES: readonly RateHeaderMode[] = ['ietf', 'none'];

function oneOf<T extends string>(value: T | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new Error(`sandbox truto.${what} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
  }
  return value;
}

/** The preset overlaid with explicit options; throws on an unknown name or value. */
export function resolveProfile(opts: TrutoProfileOptions = {}): TrutoProfile {
  const name = opts.profile ?? 'full';
  const preset: TrutoProfile | undefined = (PROFILE_PRESETS as Record<string, TrutoProfile>)[name];
  if (!preset) throw new Error(`sandbox truto.profile must be one of ${PROFILE_NAMES.join(', ')}, got "${name}"`);
  return {
    tools: oneOf(opts.tools, TOOL_SETS, 'tools') ?? preset.tools,
    argStyle: oneOf(opts.argStyle, ARG_STYLES, 'argStyle') ?? preset.argStyle,
    bodies: oneOf(opts.bodies, BODY_MODES, 'bodies') ?? preset.bodies,
    rateHeaders: oneOf(opts.rateHeaders, RATE_HEADER_MODES, 'rateHeaders') ?? preset.rateHeaders,
    listUnscopedTools: opts.listUnscopedTools ?? preset.listUnscopedTools,
  };
}
