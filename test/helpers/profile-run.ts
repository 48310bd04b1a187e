/**
 * Every workflow on one sandbox Truto profile, in-process (the sandbox over HTTP, a real Redis,
 * workers in this process), reduced to the facts the profile matrix compares: which calls, which
 * tasks, which numbers, what each report says it lost, and what reached the sandbox.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planAutopsy } from '../../src/producers/autopsy.ts';
import { launchCrmSync, prepareCrmSync, waitForCrmSync } from '../../src/producers/crm-sync.ts';
import { askStoreOf, startAsk, waitForAsk } from '../../src/producers/ask.ts';
import { runDoctor, type DoctorReport } from '../../src/producers/doctor.ts';
import { planSummarize } from '../../src/producers/summarize.ts';
import { planTaskUpdate, runTaskUpdate } from '../../src/producers/tasks.ts';
import { waitForReport, waitForSweep } from '../../src/producers/wait.ts';
import { launchRun, launchSweep } from '../../src/queues/flows.ts';
import { buildAskReport, type AskReport } from '../../src/reports/ask-model.ts';
import type { RunReport } from '../../src/reports/model.ts';
import type { SweepReport } from '../../src/reports/sweep-model.ts';
import { ACME } from '../../src/sandbox/gong/index.ts';
import type { SandboxOptions } from '../../src/sandbox/index.ts';
import { LlmCache, planSweep, readWrites, type CrmSyncState } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { acmeBriefSteps } from '../sandbox/agent-expected.ts';
import { startTestFleet, type TestFleet } from './fleet.ts';

export interface ProfileRun {
  label: string;
  summarize: RunReport;
  autopsy: RunReport;
  sweep: SweepReport;
  crm: CrmSyncState;
  /**
   * `patches`: PATCH requests that reached the sandbox, `rateLimited`: 429s during the step (a
   * refused PATCH is re-sent after its wait), `audited`: writes the fleet recorded for the task.
   */
  tasks: { written: boolean; repeatNeeded: boolean; patches: number; rateLimited: number; audited: number; taskId: string };
  doctor: DoctorReport;
  /** `ask` with the deal-brief question (docs/agent-protocol.md §6 #2): its report (answer, step log). */
  ask: AskReport;
  /** Proxy requests the sandbox answered for the whole profile, by tool, and by workflow (in run order). */
  upstream: { requests: number; rateLimited: number; byTool: Record<string, number>; byWorkflow: Record<string, number> };
  /** Argument keys the sandbox's Truto received but the tool's schema does not declare. */
  unknownArgs: Record<string, Record<string, number>>;
  /** Ground truth from the sandbox's world. */
  truth: {
    /** Ids of the Globex deal's OPEN tasks. */
    globexOpenTasks: string[];
    coaching: ReturnType<TestFleet['sandbox']['world']['coachingTruth']>;
    /** The next steps Gong's brief of the Acme deal lists, and the OPEN tasks' titles of that deal. */
    acmeBrief: { steps: string[]; openTasks: string[] };
  };
  wallMs: number;
}

const D = '2026-03-10T09:30:00Z';

export interface ProfileRunOptions {
  label: string;
  truto: NonNullable<SandboxOptions['truto']>;
  /** LLM results shared across profiles (same transcripts and speakers → same summaries). */
  llmCachePrefix: string;
}

export async function runProfile(opts: ProfileRunOptions): Promise<ProfileRun> {
  const started = Date.now();
  const fleet = await startTestFleet({
    label: `mx-${opts.label}`,
    sandbox: { truto: opts.truto, crmProcessingMs: 1_000 },
    env: { CRM_POLL_FIRST_MS: '300', CRM_POLL_MAX_MS: '600' },
  });
  const dir = mkdtempSync(join(tmpdir(), 'gf-mx-'));
  fleet.services.llmCache = new LlmCache({ redis: fleet.redis, prefix: opts.llmCachePrefix, ttlSeconds: 3600, model: fleet.env.OPENAI_MODEL ?? 'sandbox' });
  const workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 8 });
  try {
    const deals = fleet.accountId;
    const world = fleet.sandbox.world;
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    fleet.sandbox.resetStats();
    const byWorkflow: Record<string, number> = {};
    let mark = 0;
    const step = (name: string) => {
      const now = fleet.sandbox.stats().proxyRequests;
      byWorkflow[name] = now - mark;
      mark = now;
    };

    const sPlan = await planSummarize(fleet.services, { accountId: deals, from, to });
    const summarize = await waitForReport(fleet.services, await launchRun(fleet.services, sPlan), { timeoutMs: 300_000 });
    step('summarize');

    const aPlan = await planAutopsy(fleet.services, { accountId: deals, deal: 'Globex Corporation' });
    const autopsy = await waitForReport(fleet.services, await launchRun(fleet.services, aPlan), { timeoutMs: 120_000 });
    step('autopsy');

    const coachingId = world.accountIdOf('coaching');
    const sweepPlan = await planSweep(fleet.services, { accountId: coachingId });
    const sweep = await waitForSweep(fleet.services, await launchSweep(fleet.services, sweepPlan), { timeoutMs: 120_000 });
    step('sweep');

    const path = join(dir, 'accounts.ldjson');
    writeFileSync(path, `${[{ objectId: 'mx-1', modifiedDate: D, name: 'Matrix One' }, { objectId: 'mx-2', modifiedDate: D, name: 'Matrix Two' }].map((x) => JSON.stringify(x)).join('\n')}\n`);
    // The seed tool set has no CRM-integrations tool: the id is given, as a user would with --integration-id.
    const integrationId = world.account(deals)!.integration.integrationId;
    const prepared = await prepareCrmSync(fleet.services, { accountId: deals, objectType: 'ACCOUNT', filePath: path, integrationId, requestedBy: 'matrix@test' });
    const { state } = await launchCrmSync(fleet.services, prepared);
    const crm = await waitForCrmSync(fleet.services, state.clientRequestId, { timeoutMs: 60_000 });
    step('crm-sync');

    const globex = world.findDeal(deals, 'Globex Corporation')!;
    // A task of another deal, so the autopsy's OPEN list stays the world's.
    const task = world.account(deals)!.tasks.find((t) => t.status === 'OPEN' && t.dealCrmId !== globex.crmId)!;
    const patches = () => fleet.sandbox.stats().accounts[deals]?.byPath['PATCH /proxy/tasks/:id'] ?? 0;
    const limited = () => fleet.sandbox.stats().accounts[deals]?.rateLimited ?? 0;
    const limitedBefore = limited();
    const change = await planTaskUpdate(fleet.services, { accountId: deals, user: task.userId, taskId: task.id, status: 'DONE' });
    const first = await runTaskUpdate(fleet.services, deals, change, 'matrix@test', { timeoutMs: 60_000 });
    const again = await planTaskUpdate(fleet.services, { accountId: deals, user: task.userId, taskId: task.id, status: 'DONE' });
    step('tasks');

    const doctor = await runDoctor(fleet.services, { accountId: deals, integrationId });
    step('doctor');

    const question = 'Get the current Deal Brief for the Acme Corp opportunity and tell me what the next steps are for the technical evaluation.';
    const asked = await waitForAsk(fleet.services, (await startAsk(fleet.services, { accountId: deals, question })).runId, { timeoutMs: 90_000 });
    const ask = await buildAskReport(askStoreOf(fleet.services), asked);
    step('ask');
    const stats = fleet.sandbox.stats();
    return {
      label: opts.label,
      summarize,
      autopsy,
      sweep,
      crm,
      tasks: {
        written: first.written,
        repeatNeeded: again.needed,
        patches: patches(),
        rateLimited: limited() - limitedBefore,
        audited: (await readWrites(fleet.redis, fleet.prefix)).filter((w) => w.target.includes(`task ${task.id} `)).length,
        taskId: task.id,
      },
      doctor,
      ask,
      upstream: { requests: stats.proxyRequests, rateLimited: Object.values(stats.accounts).reduce((n, a) => n + a.rateLimited, 0), byTool: stats.requestsByTool, byWorkflow },
      unknownArgs: stats.unknownArgs,
      truth: {
        globexOpenTasks: world.account(deals)!.tasks.filter((t) => t.dealCrmId === globex.crmId && t.status === 'OPEN').map((t) => t.id).sort(),
        coaching: world.coachingTruth(coachingId),
        acmeBrief: {
          steps: acmeBriefSteps(fleet.sandbox).steps,
          openTasks: world.account(deals)!.tasks.filter((t) => t.dealCrmId === world.findDeal(deals, ACME)!.crmId && t.status === 'OPEN').map((t) => t.title),
        },
      },
      wallMs: Date.now() - started,
    };
  } finally {
    await workers.close(5_000);
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
