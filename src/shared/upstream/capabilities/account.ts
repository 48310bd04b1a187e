/**
 * One integrated account's capabilities: resolved once from its `/tools` (the Truto client caches
 * that list per process for its TTL, and the resolution is cached with it), then called with
 * logical arguments. Every call goes through the Truto client it was given, so a job's read-only
 * view still refuses write capabilities, and the governor paces every request.
 */
import type { ArgumentHomeError, ToolAbsentError } from '../errors.ts';
import type { CallOptions, TrutoClient } from '../truto/client.ts';
import type { ToolResponse, TrutoTool } from '../truto/types.ts';
import { homeOf, withArgAt, wireArgs, type WireArgs } from './arg-map.ts';
import { CAPABILITIES, type CapabilityId, type CapabilityItems, type CapabilitySpec } from './catalog.ts';
import { resolveAll, type Resolution } from './match.ts';
import { toolAccess } from '../tool-access.ts';
import { retryRead, type ReadRetryOptions } from '../truto/read-retry.ts';
import { recordsOf } from './records.ts';

/** What capabilities need of the Truto client (the governed one, or a job's read-only view). */
export type CapabilityTruto = Pick<TrutoClient, 'listTools' | 'callTool' | 'iterateTool'>;

export interface CapabilityPageOptions extends CallOptions {
  /** Page cap; hitting it is an error (PaginationLimitError). Default: the client's. */
  maxPages?: number;
  /** Gong's 404 "No calls found…" on the first page means no records. Default false. */
  notFoundAsEmpty?: boolean;
}

export interface CapabilityPage<T> {
  records: T[];
  pageIndex: number;
  /** How the answer was paged: Truto's envelope, Gong's body cursor, or not at all. */
  paging: 'truto' | 'gong' | 'none';
}

export class AccountCapabilities {
  constructor(
    private readonly truto: CapabilityTruto,
    readonly accountId: string,
    /** The account's `/tools` (has_description=false). */
    readonly tools: readonly TrutoTool[],
    private readonly resolutions: ReadonlyMap<CapabilityId, Resolution>,
  ) {}

  /** The listed tools a read-only caller (a job, the `ask` agent) may use: reads by their capability. */
  readTools(): TrutoTool[] {
    return this.tools.filter((t) => toolAccess(t) === 'read');
  }

  /** How `id` resolved: present (with its tool), unusable (why) or absent (closest tools, likely scope). */
  resolution(id: CapabilityId): Resolution {
    return this.resolutions.get(id)!;
  }

  /** True when a tool the fleet can call serves `id`. */
  has(id: CapabilityId): boolean {
    return this.resolution(id).status === 'present';
  }

  /** Why `id` cannot be used (ToolAbsentError, ArgumentHomeError), or undefined when it can. */
  problem(id: CapabilityId): ToolAbsentError | ArgumentHomeError | undefined {
    const r = this.resolution(id);
    return r.status === 'present' ? undefined : r.error;
  }

  /** The tool serving `id`; the resolution's error (ToolAbsentError, ArgumentHomeError) otherwise. */
  tool(id: CapabilityId): TrutoTool {
    const r = this.resolution(id);
    if (r.status !== 'present') throw r.error;
    return r.tool;
  }

  /** Whether the resolved tool has a home for the optional logical argument `path`. */
  supports(id: CapabilityId, path: string): boolean {
    const r = this.resolution(id);
    const arg = CAPABILITIES[id].args.find((a) => a.path === path);
    return r.status === 'present' && arg !== undefined && homeOf(r.tool, arg) !== undefined;
  }

  /** Whether the resolved tool requires the argument `path` (its home is in the tool's `required`). */
  requires(id: CapabilityId, path: string): boolean {
    const r = this.resolution(id);
    const arg = CAPABILITIES[id].args.find((a) => a.path === path);
    if (r.status !== 'present' || !arg) return false;
    const home = homeOf(r.tool, arg);
    return home !== undefined && (home.where === 'path' || (r.tool.required ?? []).includes(home.wire[0]!));
  }

  /** The resolved tool's arguments for these logical values (see arg-map.ts), without calling it. */
  args(id: CapabilityId, values: Record<string, unknown>): WireArgs {
    return wireArgs(this.tool(id), CAPABILITIES[id] as CapabilitySpec, values);
  }

  /** One request; the raw answer. */
  call(id: CapabilityId, values: Record<string, unknown>, opts: CallOptions = {}): Promise<ToolResponse> {
    const tool = this.tool(id);
    return this.truto.callTool(this.accountId, tool, this.args(id, values).args, opts);
  }

  /** Every page's records, in whichever shape the tool answers; the cursor goes back through its schema. */
  async *pages<K extends CapabilityId>(id: K, values: Record<string, unknown>, opts: CapabilityPageOptions = {}): AsyncGenerator<CapabilityPage<CapabilityItems[K]>> {
    const tool = this.tool(id);
    const spec = CAPABILITIES[id] as CapabilitySpec<CapabilityItems[K]>;
    const { args } = wireArgs(tool, spec as CapabilitySpec, values);
    const cursorArg = spec.args.find((a) => a.path === 'cursor');
    const cursorHome = cursorArg ? homeOf(tool, cursorArg) : undefined;
    const pages = this.truto.iterateTool(this.accountId, tool, args, {
      ...opts,
      ...(cursorHome ? { withCursor: (a: Record<string, unknown>, cursor: string) => withArgAt(a, cursorHome, cursor) } : {}),
    });
    for await (const page of pages) {
      yield { records: recordsOf(spec.items, page.body, tool.name), pageIndex: page.pageIndex, paging: page.paging };
    }
  }

  /** The records of every page. */
  async collect<K extends CapabilityId>(id: K, values: Record<string, unknown>, opts: CapabilityPageOptions = {}): Promise<CapabilityItems[K][]> {
    const out: CapabilityItems[K][] = [];
    for await (const page of this.pages(id, values, opts)) out.push(...page.records);
    return out;
  }

  /** The first record of one request (single-object answers: a status, a brief, a call by id). */
  async one<K extends CapabilityId>(id: K, values: Record<string, unknown>, opts: CallOptions = {}): Promise<CapabilityItems[K] | undefined> {
    const tool = this.tool(id);
    const res = await this.call(id, values, opts);
    return recordsOf(CAPABILITIES[id].items as CapabilitySpec<CapabilityItems[K]>['items'], res.body, tool.name)[0];
  }
}

const resolved = new WeakMap<readonly TrutoTool[], Map<string, Map<CapabilityId, Resolution>>>();

/**
 * The account's capabilities, from its `/tools` (has_description=false). The resolution is cached
 * with the tool list: while the client serves the same cached list, nothing is resolved again.
 */
export async function loadCapabilities(truto: CapabilityTruto, accountId: string): Promise<AccountCapabilities> {
  const tools = await truto.listTools(accountId);
  let byAccount = resolved.get(tools);
  if (!byAccount) resolved.set(tools, (byAccount = new Map()));
  let resolutions = byAccount.get(accountId);
  if (!resolutions) byAccount.set(accountId, (resolutions = resolveAll(tools, accountId)));
  return new AccountCapabilities(truto, accountId, tools, resolutions);
}

/**
 * `loadCapabilities` for a read outside a job (a producer's plan, an agent's built-in planning
 * a run, doctor): the `/tools` read is retried like every read before enqueueing (retryRead). A
 * job calls `loadCapabilities`: BullMQ retries the job. Cheap when the list is cached already.
 */
export function loadCapabilitiesRetried(truto: CapabilityTruto, accountId: string, opts: ReadRetryOptions = {}): Promise<AccountCapabilities> {
  return retryRead(`tool list of ${accountId}`, () => loadCapabilities(truto, accountId), opts);
}
