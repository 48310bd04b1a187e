/**
 * The `deal-context` job on its own, through the job catalog and an in-process worker serving the
 * upstream queue, against the real sandbox over HTTP and a real Redis: the reps' Engage tasks of
 * the deal split by status (other deals' tasks left out), Gong's AI brief when the company has one,
 * and a 404 (no brief for this deal) or 402 (no AI credits) noted instead of failing the job.
 */
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealContext } from '../../src/shared/domain/index.ts';
import { readRun } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

type ContextResult = { kind: 'deal-context' } & Pick<DealContext, 'tasks' | 'brief'>;

describe('deal-context job', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet;
  let events: QueueEvents;
  let n = 0;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'dealctx', sandbox: { callsPerAccount: 12 } });
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, queues: ['upstream'], concurrency: 4 });
    events = new QueueEvents('upstream', { connection: fleet.redis.duplicate(), prefix: fleet.prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await workers?.close(5_000);
    await events?.close();
    await fleet?.close();
  });

  /** The sandbox's deal (by name) as the autopsy's producer would describe it, and its owner. */
  function dealOf(accountId: string, name: string) {
    const account = fleet.sandbox.world.account(accountId)!;
    const deal = fleet.sandbox.world.findDeal(accountId, name)!;
    const crmAccount = account.crmAccounts.find((a) => a.crmId === deal.accountCrmId)!;
    return {
      account,
      deal,
      payload: { name: deal.name, crmId: deal.crmId, accountCrmId: deal.accountCrmId, accountName: crmAccount.name, workspaceId: account.workspaceId },
    };
  }

  async function run(accountId: string, deal: ReturnType<typeof dealOf>['payload'], userIds: string[]) {
    const runId = `r-dealctx-${++n}`;
    const job = await fleet.services.queues.enqueue('deal-context', { runId, accountId, deal, userIds });
    const result = (await job.waitUntilFinished(events, 30_000)) as ContextResult;
    return { runId, result };
  }

  it("splits the deal's tasks by status, leaves other deals' tasks out, and carries the brief", async () => {
    const accountId = fleet.sandbox.world.accountIdOf('deals');
    const { account, deal, payload } = dealOf(accountId, 'Globex Corporation');
    const { runId, result } = await run(accountId, payload, [deal.ownerUserId]);

    const mine = account.tasks.filter((t) => t.dealCrmId === deal.crmId);
    const ids = (status: string) => mine.filter((t) => t.status === status).map((t) => t.id).sort();
    expect(result.kind).toBe('deal-context');
    expect(result.tasks.open.map((t) => t.id).sort()).toEqual(ids('OPEN'));
    expect(result.tasks.done.map((t) => t.id).sort()).toEqual(ids('DONE'));
    expect(result.tasks.dismissed.map((t) => t.id).sort()).toEqual(ids('DISMISSED'));
    // The owner has tasks on other deals too; none of them is listed.
    const others = account.tasks.filter((t) => t.userId === deal.ownerUserId && t.dealCrmId !== deal.crmId);
    expect(others.length).toBeGreaterThan(0);
    const listed = [...result.tasks.open, ...result.tasks.done, ...result.tasks.dismissed].map((t) => t.id);
    for (const t of others) expect(listed).not.toContain(t.id);
    const whitepaper = result.tasks.open.find((t) => t.title === 'Send security whitepaper');
    expect(whitepaper).toMatchObject({ status: 'OPEN', userId: deal.ownerUserId, accountName: 'Globex Corporation' });
    expect(whitepaper?.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}/);

    expect(result.brief.status).toBe('available');
    expect(result.brief.note).toBeUndefined();
    expect(result.brief.sections.length).toBeGreaterThan(0);
    expect(result.brief.sections.every((s) => s.title.length > 0 && s.summary.length > 0)).toBe(true);
    // One task request per rep, one for the brief, counted on the run.
    expect((await readRun(fleet.redis, fleet.prefix, runId)).upstreamRequests).toBe(2);
  });

  it('notes a deal Gong has no brief for (404) and still lists its tasks', async () => {
    const accountId = fleet.sandbox.world.accountIdOf('deals');
    const { account, deal, payload } = dealOf(accountId, 'Initech');
    expect(deal.hasBrief).toBe(false);
    const { result } = await run(accountId, payload, [deal.ownerUserId]);
    expect(result.brief).toEqual({ status: 'unavailable', note: 'Gong has no "Deal Brief" for this deal (404)', sections: [] });
    const count = account.tasks.filter((t) => t.dealCrmId === deal.crmId).length;
    expect(result.tasks.open.length + result.tasks.done.length + result.tasks.dismissed.length).toBe(count);
  });

  it('notes a company without AI credits (402)', async () => {
    const accountId = fleet.sandbox.world.accountIdOf('restricted');
    const account = fleet.sandbox.world.account(accountId)!;
    const crmAccount = account.crmAccounts[0]!;
    const { deal, payload } = dealOf(accountId, crmAccount.name);
    const { result } = await run(accountId, payload, [deal.ownerUserId]);
    expect(result.brief).toEqual({ status: 'unavailable', note: 'Gong answered 402 Payment Required (no AI Briefer credits)', sections: [] });
    expect(result.tasks.note).toBeUndefined();
  });

  it('says so when no rep hosted a call of the deal, and asks nothing about tasks', async () => {
    const accountId = fleet.sandbox.world.accountIdOf('deals');
    const { payload } = dealOf(accountId, 'Globex Corporation');
    const { runId, result } = await run(accountId, payload, []);
    expect(result.tasks).toEqual({ open: [], done: [], dismissed: [], note: 'no rep hosted a call of this deal in the window' });
    expect(result.brief.status).toBe('available');
    expect((await readRun(fleet.redis, fleet.prefix, runId)).upstreamRequests).toBe(1);
  });
});
