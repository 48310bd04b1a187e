/**
 * `sweep-report`: the fan-in of a coaching sweep. Runs once every `sweep-manager` child finished or
 * failed for good, builds the account report (managers whose job failed are listed as missing),
 * stores it for the CLI and, for scheduled runs, writes the dated files itself.
 */
import { catalog } from '../queues/catalog.ts';
import { REPORT_TTL_SECONDS, reportKey } from '../queues/keys.ts';
import { buildSweepReport, type ManagerSection, type SweepReport } from '../reports/sweep-model.ts';
import { writeSweepReport } from '../reports/sweep-write.ts';
import { ignoredChildFailures } from './child-failures.ts';
import { implement } from './define-job.ts';

export const sweepReport = implement(catalog['sweep-report'], async (p, { job, services }) => {
  const managers: ManagerSection[] = [];
  for (const value of Object.values(await job.getChildrenValues())) {
    const v = value as { kind?: string; section?: ManagerSection };
    if (v.kind === 'sweep-manager' && v.section) managers.push(v.section);
  }
  const missing: SweepReport['missing'] = [];
  for (const { jobId, child, reason } of await ignoredChildFailures(job, services.queues)) {
    const m = (child?.data as { manager?: { id: string; name: string } } | undefined)?.manager;
    missing.push({ managerId: m?.id ?? jobId, name: m?.name ?? jobId, reason: `failed after ${child?.attemptsMade ?? '?'} attempts: ${reason}` });
  }
  const report = buildSweepReport({ ...p, managers, missing, upstreamRequests: p.upstreamRequests + managers.length });
  await services.redis.set(reportKey(services.prefix, p.runId), JSON.stringify(report), 'EX', REPORT_TTL_SECONDS);
  const paths = p.output ? await writeSweepReport(report, p.output.dir, p.output.base) : undefined;
  return { runId: p.runId, managers: managers.length, missing: missing.length, flaggedReps: report.stats.flaggedReps, ...(paths ? { paths } : {}) };
});
