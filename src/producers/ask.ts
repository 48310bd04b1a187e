/**
 * Producer side of `gong-fleet ask` and `approve`: checks the question and the account before
 * anything is stored (bad input exits 2 with nothing enqueued), starts the durable run (its
 * record in Redis, then its first step job), records a person's decision on the write a run waits
 * for and enqueues its continuation, and waits for a run to answer or stop for approval.
 */
import { agentStepJobId } from '../queues/keys.ts';
import { enqueueAgentStep } from '../queues/agent.ts';
import {
  AskStore,
  assertAccount,
  checkAskInput,
  failAsk,
  FINAL_ASK_STATUSES,
  newAskRun,
  recordDecision,
  resumeDecided,
  type ApprovalRecord,
  type AskRun,
  type PendingWrite,
} from '../shared/domain/index.ts';
import { BadInputError, FleetError } from '../shared/platform/index.ts';
import { retryRead, toolContextOf } from '../shared/upstream/index.ts';
import type { ProducerServices } from './services.ts';

type AskServices = Pick<ProducerServices, 'truto' | 'queues' | 'redis' | 'prefix' | 'llm' | 'ask'>;

export function askStoreOf(services: Pick<ProducerServices, 'redis' | 'prefix'>): AskStore {
  return new AskStore({ redis: services.redis, prefix: services.prefix });
}

export interface AskRequest {
  accountId: string;
  question: string;
  /** Default: ASK_MAX_STEPS. */
  maxSteps?: number;
}

/** Validates, stores the run and enqueues its first step; returns the run. */
export async function startAsk(services: AskServices, req: AskRequest): Promise<AskRun> {
  const maxSteps = req.maxSteps ?? services.ask.maxSteps;
  checkAskInput(req.question, maxSteps);
  const llm = services.llm;
  if (!llm) throw new BadInputError('missing OPENAI_API_KEY: ask needs a model');
  await assertAccount(services, req.accountId);
  // Every listed tool, undocumented ones too (has_description=false); a planning read, so retried.
  const tools = await retryRead(`tool list of ${req.accountId}`, () => services.truto.listTools(req.accountId, { hasDescription: false }));
  if (tools.length === 0) throw new BadInputError(`account ${req.accountId} offers no tools (check its scopes in Truto)`);
  const run = newAskRun({
    accountId: req.accountId,
    question: req.question,
    maxSteps,
    resultChars: services.ask.resultChars,
    model: llm.model,
    // The window as the fleet knows it now (probed once); a smaller one learned later re-sizes the run.
    context: await toolContextOf(llm),
    tools,
  });
  if (!(await askStoreOf(services).create(run))) throw new FleetError(`agent run id ${run.runId} exists already; try again`, true);
  await enqueueAgentStep(services.queues, { runId: run.runId, accountId: run.accountId, turn: 0 });
  return run;
}

/**
 * Records a person's decision on the run's pending write (deny with a reason) and enqueues the
 * continuation. The decision applies to exactly the pending request (its hash and call).
 */
export async function decideAsk(services: AskServices, req: { runId: string; denyReason?: string; by: string }): Promise<{ approval: ApprovalRecord; pending: PendingWrite }> {
  const store = askStoreOf(services);
  const { approval, pending } = await recordDecision(store, req);
  const run = await store.get(req.runId);
  await enqueueAgentStep(services.queues, { runId: req.runId, accountId: run!.accountId, turn: pending.turn }, pending.callKey);
  await resumeDecided(store, req.runId);
  return { approval, pending };
}

export interface AskWaitOptions {
  /** Called on every poll with the run. */
  onProgress?: (run: AskRun) => void;
  /** Poll interval in ms. Default 250. */
  pollMs?: number;
  /** Give up waiting after this long, in ms (the run goes on). Default 6 h. */
  timeoutMs?: number;
  /** A pending request that does not count as the stop (the one just decided). */
  decidedCallKey?: string;
  /** Told once when no worker has picked the run up after ~10 s. */
  onHint?: (message: string) => void;
}

/** Waits until the run answers, fails, or waits for a (new) approval. */
export async function waitForAsk(services: Pick<ProducerServices, 'redis' | 'prefix' | 'queues'>, runId: string, opts: AskWaitOptions = {}): Promise<AskRun> {
  const store = askStoreOf(services);
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  for (let poll = 0; ; poll++) {
    const run = await store.get(runId);
    if (!run) throw new FleetError(`agent run ${runId} is unknown (expired?)`, false);
    opts.onProgress?.(run);
    if (FINAL_ASK_STATUSES.has(run.status)) return run;
    if (run.status === 'awaiting-approval' && run.pending?.callKey !== opts.decidedCallKey) return run;
    if (poll === 40 && run.turns.length === 0 && (await services.queues.queue('flows').getJob(agentStepJobId(runId, 0)))?.processedOn === undefined) {
      opts.onHint?.('no worker has picked the run up yet: start one with `gong-fleet worker`, or pass --local-worker');
    }
    if (poll % 8 === 7 && (await stepFailed(services, run))) {
      await failAsk(store, runId, 'its step job failed for good (see the flows queue)');
      continue;
    }
    if (Date.now() > deadline) throw new FleetError(`gave up waiting for agent run ${runId} (still ${run.status}); it goes on: gong-fleet approve/ask output later`, false);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

/** True when the step job of the run's current turn failed for good (e.g. stalled too often). */
async function stepFailed(services: Pick<ProducerServices, 'queues'>, run: AskRun): Promise<boolean> {
  if (run.status !== 'running') return false;
  const turn = run.turns.at(-1);
  const n = turn && !turn.done ? turn.n : run.turns.length;
  const job = await services.queues.queue('flows').getJob(agentStepJobId(run.runId, n));
  return !!job && (await job.getState()) === 'failed';
}

/** The stored run, or bad input naming the id. */
export async function loadAsk(services: Pick<ProducerServices, 'redis' | 'prefix'>, runId: string): Promise<AskRun> {
  const run = await askStoreOf(services).get(runId);
  if (!run) throw new BadInputError(`unknown agent run "${runId}" (or it expired)`);
  return run;
}
