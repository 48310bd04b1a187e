/**
 * Fair sharing made visible, on a real Redis with real workers and the sandbox: account A's jobs
 * ran to completion, account B's wait with no worker serving them; the governor page, its JSON
 * and the fleet-wide /metrics show per account the jobs waiting and the share of the work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import type { FleetSnapshot } from '../../src/dashboard/fleet-state.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

describe('fair share on the dashboard', () => {
  let fleet: TestFleet;
  let dashboard: Dashboard;
  let a: string;
  let b: string;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'fairdash', sandbox: { extraAccounts: 1 } });
    [a, b] = [fleet.accountId, fleet.sandbox.world.accounts[3]!.id];
    const workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, queues: ['upstream'], concurrency: 2 });
    const done = await Promise.all([1, 2, 3].map(() => fleet.services.queues.enqueue('truto-tool', { accountId: a, tool: 'list_all_gong_users' }, { lane: 'interactive' })));
    const deadline = Date.now() + 30_000;
    while (!(await Promise.all(done.map((j) => j.getState()))).every((s) => s === 'completed')) {
      if (Date.now() > deadline) throw new Error('account A\'s jobs did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
    await workers.close(5_000);
    await Promise.all([1, 2].map(() => fleet.services.queues.enqueue('truto-tool', { accountId: b, tool: 'list_all_gong_users' })));
    dashboard = await startDashboard({ connection: fleet.redis, prefix: fleet.prefix, governor: fleet.services.governor, port: 0 });
  }, 60_000);

  afterAll(async () => {
    await dashboard?.close();
    await fleet?.close();
  });

  it('the governor JSON counts what each account has waiting and what it got done', async () => {
    const snap = (await (await fetch(`${dashboard.url}/governor.json`)).json()) as FleetSnapshot;
    expect(snap.fair.pending).toEqual([{ queue: 'upstream', lane: 'bulk', accountId: b, count: 2 }]);
    expect(snap.fair.finished).toEqual([{ queue: 'upstream', lane: 'interactive', accountId: a, count: 3 }]);
  });

  it('the governor page shows, per account, jobs waiting and its share of the work', async () => {
    const html = await (await fetch(`${dashboard.url}/governor?minutes=15`)).text();
    const row = (account: string) => new RegExp(`<tr class="fair-account" data-account="${account}">(.*?)</tr>`).exec(html)?.[1] ?? '';
    const cells = (account: string) => [...row(account).matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
    // account | waiting or running | upstream | llm | flows | writes | by lane | finished | share
    expect(cells(a)).toEqual([a, '0', '0', '0', '0', '0', '—', '3', '100.0 %']);
    expect(cells(b)).toEqual([b, '2', '2', '0', '0', '0', 'bulk 2', '0', '0.0 %']);
    expect(html).toContain('finished in the last 15 minutes');
  });

  it('the fleet-wide /metrics export the same per account', async () => {
    const metrics = await (await fetch(`${dashboard.url}/metrics`)).text();
    expect(metrics).toContain(`gong_fleet_fair_jobs_pending{queue="upstream",lane="bulk",account="${b}",proc="dashboard"} 2`);
    expect(metrics).toContain(`gong_fleet_fair_jobs_finished_total{queue="upstream",lane="interactive",account="${a}",proc="dashboard"} 3`);
    expect(metrics).toContain(`gong_fleet_fair_share_recent{account="${a}",proc="dashboard"} 1`);
    expect(metrics).toContain(`gong_fleet_fair_share_recent{account="${b}",proc="dashboard"} 0`);
  });
});
