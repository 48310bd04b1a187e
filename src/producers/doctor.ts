/**
 * Producer: `doctor`, the first command to run against a real account. It reads the account's
 * `/tools` (has_description=false), resolves every capability, makes at most one cheap read per
 * capability under the governor (never a write), and says per workflow whether it runs fully,
 * degraded (what is lost) or not at all (why). Nothing is enqueued.
 */
import {
  assertAccount,
  assessWorkflows,
  factsFrom,
  probeCapabilities,
  type CapabilityCheck,
  type WorkflowVerdict,
} from '../shared/domain/index.ts';
import { loadCapabilitiesRetried } from '../shared/upstream/index.ts';
import type { ProducerServices } from './services.ts';

export interface DoctorRequest {
  accountId: string;
  /** A CRM integration id for the CRM probes when the account lists no integrations tool. */
  integrationId?: string;
}

export interface DoctorReport {
  accountId: string;
  /** Tools `/tools` lists with has_description=false. */
  tools: number;
  /** How many of them have no description (Truto hides those by default). */
  undocumentedTools: number;
  checks: CapabilityCheck[];
  workflows: WorkflowVerdict[];
  /** `summarize` can run (fully or degraded): doctor's exit code is 0 then, 1 otherwise. */
  summarizeCanRun: boolean;
}

export async function runDoctor(services: Pick<ProducerServices, 'truto'>, req: DoctorRequest): Promise<DoctorReport> {
  await assertAccount(services, req.accountId);
  const caps = await loadCapabilitiesRetried(services.truto, req.accountId);
  const checks = await probeCapabilities(caps, req.integrationId ? { integrationId: req.integrationId } : {});
  const workflows = assessWorkflows(factsFrom(checks, caps));
  return {
    accountId: req.accountId,
    tools: caps.tools.length,
    undocumentedTools: caps.tools.filter((t) => !t.description).length,
    checks,
    workflows,
    summarizeCanRun: workflows.find((w) => w.workflow === 'summarize')?.verdict !== 'cannot',
  };
}

const STATUS_TEXT: Record<CapabilityCheck['status'], string> = {
  ok: 'ok',
  absent: 'absent',
  unusable: 'unusable',
  forbidden: 'forbidden',
  failed: 'failed',
  skipped: 'not probed',
  'not-exercised': 'present (not exercised)',
};

function statusOf(c: CapabilityCheck): string {
  if (c.status === 'forbidden') return `forbidden (${c.missingScopes?.length ? c.missingScopes.join(', ') : 'no scope named'})`;
  if (c.status === 'failed') return `failed (${c.httpStatus ?? c.detail})`;
  return STATUS_TEXT[c.status];
}

const VERDICT_TEXT: Record<WorkflowVerdict['verdict'], string> = { full: 'runs fully', degraded: 'runs degraded', cannot: 'cannot run' };

/** The report as text lines: capability → tool → status, then one line per workflow. */
export function describeDoctor(r: DoctorReport): string[] {
  const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));
  const lines = [
    `doctor: integrated account ${r.accountId}: ${r.tools} tools listed (${r.undocumentedTools} without a description, listed with has_description=false)`,
    '',
    `${pad('capability', 44)}${pad('tool', 46)}status`,
  ];
  for (const c of r.checks) {
    lines.push(`${pad(`${c.label} (${c.access})`, 44)}${pad(c.tool ?? '—', 46)}${statusOf(c)}`);
    if (c.status === 'absent') {
      lines.push(`${' '.repeat(44)}likely cause (not confirmed): no ${c.likelyScope} scope, or the integration does not map it; closest listed: ${c.closest?.length ? c.closest.join(', ') : 'none'}`);
    } else if (c.status !== 'ok' && c.status !== 'not-exercised') {
      lines.push(`${' '.repeat(44)}${c.detail}`);
    }
  }
  lines.push('', 'workflows');
  for (const w of r.workflows) {
    lines.push(`${pad(w.workflow, 10)}${VERDICT_TEXT[w.verdict]}${w.notes.length ? `: ${w.notes[0]}` : ''}`);
    for (const n of w.notes.slice(1)) lines.push(`${' '.repeat(10)}${' '.repeat(VERDICT_TEXT[w.verdict].length + 2)}${n}`);
  }
  return lines;
}
