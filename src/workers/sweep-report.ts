/**
 * `sweep-report`: the fan-in of a coaching sweep. Runs once every `sweep-manager` child finished or
 * failed for good, builds the account report (managers whose job failed are listed as missing),
 * stores it for the CLI and, for scheduled runs, writes the dated files itself.
 */
import { z } from 'zod';
import { buildSweepReport, type ManagerSection, type SweepReport } from '../reports/sweep-model.ts';
import { writeSweepReport } from '../reports/sweep-write.ts';
import { defineJob } from './define-job.ts';
import { reportKey } from './run-report.ts';

export const SweepReportPayload = z.object({
  runId: z.string().min(1),
  accountId: z.string().min(1),
  window: z.object({ from: z.string(), to: z.string() }),
  thresholds: z.object({ newHireDays: z.number(), minManagerListens: z.number(), maxCallsWithoutScorecard: z.number() }),
  /** Requests the producer made before enqueuing (roster, activity, scorecards). */
  upstreamRequests: z.number().int().min(0),
  /** Scheduled runs only: where the report job writes the files. Optional, so older jobs stay valid. */
  output: z.object({ dir: z.string().min(1), base: z.string().min(1) }).optional(),
});

/** Finished reports stay in Redis for a day, like the flagship's. */
const REPORT_TTL_SECONDS = 24 * 3600;

export const sweepReport = defineJob({
  name: 'sweep-report',
  queue: 'flows',
  schema: SweepReportPayload,
  attempts: 3,
  backoffMs: 5_000,
  timeoutMs: 120_000,
  async process(p, { job, services }) {
    const managers: ManagerSection[] = [];
    for (const value of Object.values(await job.getChildrenValues())) {
      const v = value as { kind?: string; section?: ManagerSection };
      if (v.kind === 'sweep-manager' && v.section) managers.push(v.section);
    }
    const missing: SweepReport['missing'] = [];
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
      const [, queueName, id] = key.split(':');
      if (!queueName || !id) continue;
      const child = await services.queues.queue(queueName as never).getJob(id);
      const m = (child?.data as { manager?: { id: string; name: string } } | undefined)?.manager;
      missing.push({ managerId: m?.id ?? id, name: m?.name ?? id, reason: `failed after ${child?.attemptsMade ?? '?'} attempts: ${reason}` });
    }
    const report = buildSweepReport({ ...p, managers, missing, upstreamRequests: p.upstreamRequests + managers.length });
    await services.redis.set(reportKey(services.prefix, p.runId), JSON.stringify(report), 'EX', REPORT_TTL_SECONDS);
    const paths = p.output ? await writeSweepReport(report, p.output.dir, p.output.base) : undefined;
    return { runId: p.runId, managers: managers.length, missing: missing.length, flaggedReps: report.stats.flaggedReps, ...(paths ? { paths } : {}) };
  },
});
