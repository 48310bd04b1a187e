/**
 * A GONG_FLEET_PREFIX with `:` in it (the config allows `{gf:prod}`) must not lose why calls went
 * missing. BullMQ names a failed child by its key, `<prefix>:<queue>:<jobId>`; splitting that on
 * every `:` looked the child up in a queue called `prod}` and reported "no summary was produced"
 * instead of the failure. Real Redis, real sandbox over HTTP, in-process workers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSummarize } from '../../src/producers/summarize.ts';
import { waitForReport } from '../../src/producers/wait.ts';
import { launchRun } from '../../src/queues/flows.ts';
import { parseJobKey } from '../../src/queues/keys.ts';
import type { RunReport } from '../../src/reports/model.ts';
import type { CallRef } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { failOneCall, startTestFleet, type TestFleet } from '../helpers/fleet.ts';


describe('parseJobKey', () => {
  it('strips a prefix that contains colons as a whole', () => {
    expect(parseJobKey('{gf:prod}', '{gf:prod}:llm:r-ab12.sum.acct-1.42')).toEqual({ queueName: 'llm', jobId: 'r-ab12.sum.acct-1.42' });
    expect(parseJobKey('{gong-fleet}', '{gong-fleet}:upstream:r-1.tb.0')).toEqual({ queueName: 'upstream', jobId: 'r-1.tb.0' });
  });
  it('refuses keys of another prefix or without a job id', () => {
    expect(parseJobKey('{gf:prod}', '{gf:test}:llm:1')).toBeUndefined();
    expect(parseJobKey('{gf:prod}', '{gf:prod}:llm')).toBeUndefined();
  });
});

describe('a run under a prefix with colons, one child failing for good', () => {
  const prefix = `{gf:colon-${randomBytes(4).toString('hex')}}`;
  let fleet: TestFleet;
  let workers: WorkerFleet | undefined;
  let doomed: CallRef;
  let report: RunReport;

  beforeAll(async () => {
    fleet = await startTestFleet({ sandbox: { callsPerAccount: 8 }, prefix });
    const to = new Date();
    const plan = await planSummarize(fleet.services, { accountId: fleet.accountId, from: new Date(to.getTime() - 30 * 86_400_000), to });
    doomed = failOneCall(fleet, plan);
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
    report = await waitForReport(fleet.services, await launchRun(fleet.services, plan), { timeoutMs: 50_000, pollMs: 100 });
  }, 60_000);

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it('runs under that prefix', () => {
    expect(fleet.services.prefix).toBe(prefix);
  });

  it('lists the failed call as missing with the reason its job failed', () => {
    const entry = report.calls.find((c) => c.callId === doomed.callId);
    expect(entry?.status).toBe('missing');
    expect(entry?.reason).toContain(`summarize-call failed after ${jobs['summarize-call'].attempts} attempts`);
    expect(entry?.reason).toMatch(/LLM request failed \(500\)/);
    expect(report.stats.missing).toBe(1);
  });
});
