/**
 * Running an approved write of an agent run, as its `agent-write` job does (the only agent job
 * whose contract says `writes: true`). Before anything is sent it re-checks, from Redis, that a
 * person approved exactly this request: the hash of (run, tool, canonical arguments) must match
 * the approval recorded by `gong-fleet approve` for this call. Text in a tool result can't make
 * such a record. The write is sent at most once: a claim is taken first, and an attempt that
 * finds the claim but no result reports the outcome as unknown instead of writing again.
 */
import type { Redis } from 'ioredis';
import { NonRetryableError, RetryAfterError, type Logger } from '../../platform/index.ts';
import { TrutoApiError, type TrutoClient } from '../../upstream/index.ts';
import { recordWrite } from '../audit.ts';
import { canonicalJson, requestHash } from './approval.ts';
import type { AskStore, StoredResult } from './run-store.ts';
import { describeFailure, findAccountTool, timer, withFileParts, type AttemptInfo, type ToolCallRequest } from './tool-call.ts';
import { compactJson } from './view.ts';

export interface WriteCallDeps {
  truto: Pick<TrutoClient, 'listTools' | 'callTool'>;
  store: AskStore;
  redis: Redis;
  prefix: string;
  logger: Logger;
}

export async function runApprovedWrite(deps: WriteCallDeps, req: ToolCallRequest & { hash: string }, attempt: AttemptInfo): Promise<StoredResult> {
  // The approval is checked first, even for a call already answered: a forged job is refused, not served.
  const hash = requestHash(req.runId, req.tool, req.args);
  if (hash !== req.hash) throw new NonRetryableError(`write refused: ${req.tool}'s arguments differ from the request that was approved`);
  const approval = await deps.store.getApproval(hash, req.callKey);
  if (!approval || approval.decision !== 'approved' || approval.runId !== req.runId || approval.tool !== req.tool) {
    throw new NonRetryableError(`write refused: no approval recorded for this exact ${req.tool} request of run ${req.runId}`);
  }
  const existing = await deps.store.getResult(req.runId, req.callKey);
  if (existing) return existing;
  const timing = timer();
  const store = (r: Pick<StoredResult, 'status' | 'text' | 'error'>) =>
    deps.store.putResult(req.runId, req.callKey, { ...r, ...timing.totals(attempt.delayedMs), storedAtMs: Date.now() });
  const tool = await findAccountTool(deps.truto, req.accountId, req.tool);
  if (!tool) return store({ status: 'error', error: `no tool named ${req.tool} on this account` });
  if (!(await deps.store.claimWrite(req.runId, req.callKey))) {
    return store({ status: 'error', error: 'outcome unknown: an earlier attempt sent this write and stopped before recording the answer; not sent again' });
  }
  try {
    const res = await deps.truto.callTool(req.accountId, tool, withFileParts(tool, req.args), { ...(attempt.signal ? { signal: attempt.signal } : {}), onTiming: timing.add });
    await recordWrite(deps.redis, deps.prefix, deps.logger, {
      who: approval.by,
      tool: req.tool,
      accountId: req.accountId,
      target: `ask ${req.runId} ${req.callKey}: ${canonicalJson(req.args).slice(0, 200)}`,
      outcome: `${res.status} (approved by ${approval.by})`,
    });
    return store({ status: 'ok', text: compactJson(res.body) });
  } catch (err) {
    // Never sent (a governor wait) or refused before writing (429): safe to try again later.
    if (err instanceof RetryAfterError) {
      await deps.store.releaseWrite(req.runId, req.callKey);
      throw err;
    }
    // Failed before any request left (bad arguments, an exhausted daily budget): nothing was written.
    if (timing.sent() === 0) {
      await deps.store.releaseWrite(req.runId, req.callKey);
      return store({ status: 'error', error: describeFailure(err) });
    }
    const refused = err instanceof TrutoApiError && err.status >= 400 && err.status < 500;
    return store({ status: 'error', error: refused ? describeFailure(err) : `outcome unknown (${describeFailure(err)}); not retried, so it is written at most once` });
  }
}
