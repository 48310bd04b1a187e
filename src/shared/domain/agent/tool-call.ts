/**
 * Running one tool call of an agent run, as its `agent-tool` job does (read-only Truto client):
 * a result stored before means the call already happened, so it is not made again; otherwise the
 * tool (found among the account's tools, undocumented ones included) is called once under the
 * governor and its result stored as compact JSON. Failures the model should hear about (a 404, a
 * refused write, the last attempt of a flaky one) are stored as `error` results; transient ones
 * are thrown for BullMQ to retry.
 */
import { FleetError, isRetryable, RetryAfterError } from '../../platform/index.ts';
import { errorDetail, toolNamed, trutoFile, TrutoApiError, type RequestTiming, type TrutoClient, type TrutoTool } from '../../upstream/index.ts';
import type { ToolClassifier } from './classify.ts';
import type { AskStore, StoredResult } from './run-store.ts';
import { compactJson } from './view.ts';

export interface ToolCallDeps {
  truto: Pick<TrutoClient, 'listTools' | 'callTool'>;
  store: AskStore;
  classify: ToolClassifier;
}

export interface ToolCallRequest {
  runId: string;
  accountId: string;
  callKey: string;
  tool: string;
  args: Record<string, unknown>;
}

export interface AttemptInfo {
  /** True when BullMQ will not retry this job again. */
  last: boolean;
  /** Rate-limit delays the job has spent so far, in ms. */
  delayedMs: number;
  signal?: AbortSignal;
}

/** Finds the tool among all of the account's tools (`has_description=false`). */
export async function findAccountTool(truto: Pick<TrutoClient, 'listTools'>, accountId: string, name: string): Promise<TrutoTool | undefined> {
  return toolNamed(await truto.listTools(accountId, { hasDescription: false }), name);
}

/**
 * The model can only send text, so a body property whose schema says `format: binary` (Gong's CRM
 * upload `dataFile`, LDJSON) arrives as a string: it goes out as a multipart file part, as Truto's
 * toolset sends it (docs/agent-protocol.md §2).
 */
export function withFileParts(tool: TrutoTool, args: Record<string, unknown>): Record<string, unknown> {
  const props = (tool.body_schema?.properties ?? {}) as Record<string, { format?: unknown } | undefined>;
  const out: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === 'string' && props[key]?.format === 'binary') out[key] = trutoFile(`${key}.ldjson`, value, 'application/x-ndjson');
  }
  return out;
}

export async function runToolCall(deps: ToolCallDeps, req: ToolCallRequest, attempt: AttemptInfo): Promise<StoredResult> {
  const existing = await deps.store.getResult(req.runId, req.callKey);
  if (existing) return existing;
  const timing = timer();
  const store = (r: Omit<StoredResult, 'storedAtMs' | 'requests' | 'governorWaitMs' | 'durationMs'>) =>
    deps.store.putResult(req.runId, req.callKey, { ...r, ...timing.totals(attempt.delayedMs), storedAtMs: Date.now() });
  const tool = await findAccountTool(deps.truto, req.accountId, req.tool);
  if (!tool) return store({ status: 'error', error: `no tool named ${req.tool} on this account` });
  // The agent's own check; the Truto client this job holds refuses write tools on its own too.
  if (deps.classify(tool) !== 'read') return store({ status: 'error', error: `${req.tool} is not a known read; it runs only after approval, as a write job` });
  try {
    const res = await deps.truto.callTool(req.accountId, tool, withFileParts(tool, req.args), { ...(attempt.signal ? { signal: attempt.signal } : {}), onTiming: timing.add });
    return store({ status: 'ok', text: compactJson(res.body) });
  } catch (err) {
    if (err instanceof RetryAfterError) throw err; // a governor wait or a 429: delayed, not an attempt
    if (isRetryable(err) && !attempt.last) throw err;
    return store({ status: 'error', error: describeFailure(err), ...(errorBody(err) ? { text: errorBody(err) } : {}) });
  }
}

/** One line for the model: status and Gong's message, never headers or secrets. */
export function describeFailure(err: unknown): string {
  if (err instanceof TrutoApiError) return `${err.status} ${errorDetail(err.body) || err.message}`.slice(0, 300);
  if (err instanceof FleetError) return `${err.name}: ${err.message}`.slice(0, 300);
  return err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300);
}

function errorBody(err: unknown): string | undefined {
  return err instanceof TrutoApiError && err.body !== undefined && typeof err.body === 'object' ? compactJson(err.body) : undefined;
}

/** Sums the timing of every request a call made (one, normally). */
export function timer() {
  let requests = 0;
  let gateWaitMs = 0;
  let durationMs = 0;
  return {
    add: (t: RequestTiming) => {
      requests += 1;
      gateWaitMs += t.gateWaitMs;
      durationMs += t.durationMs;
    },
    totals: (delayedMs: number) => ({ requests, governorWaitMs: gateWaitMs + delayedMs, durationMs }),
    /** Requests that left the process (answered or not). */
    sent: () => requests,
  };
}
