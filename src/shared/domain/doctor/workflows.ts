/**
 * What each workflow can do with an account's capabilities, as `doctor` reports it: runs fully,
 * runs degraded (and what is lost), or cannot run (and why). The rules are the ones the producers
 * and jobs apply when they degrade (discover.ts, locate-deal.ts, deals/context.ts, plan-sweep.ts,
 * crm-sync, tasks); a capability counts as usable when it is present and its probe was not refused
 * (forbidden) or failed.
 */
import type { CapabilityId } from '../../upstream/index.ts';
import type { CapabilityCheck } from './probes.ts';

export const WORKFLOWS = ['summarize', 'autopsy', 'sweep', 'crm-sync', 'tasks', 'ask'] as const;
export type WorkflowName = (typeof WORKFLOWS)[number];

export interface WorkflowVerdict {
  workflow: WorkflowName;
  verdict: 'full' | 'degraded' | 'cannot';
  /** What is lost (degraded) or why it cannot run. */
  notes: string[];
}

/** The facts the rules read, from the checks. */
export interface CapabilityFacts {
  usable(id: CapabilityId): boolean;
  /** One line on why a capability is not usable. */
  why(id: CapabilityId): string;
  /** Whether the resolved tool offers an optional argument (e.g. the CRM context selector). */
  supports(id: CapabilityId, path: string): boolean;
  /** Whether the resolved tool requires an argument (e.g. coaching's workspace id). */
  requires(id: CapabilityId, path: string): boolean;
}

export function factsFrom(checks: readonly CapabilityCheck[], tool: Pick<CapabilityFacts, 'supports' | 'requires'>): CapabilityFacts {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const usable = (id: CapabilityId) => {
    const s = byId.get(id)?.status;
    return s === 'ok' || s === 'not-exercised' || s === 'skipped';
  };
  const why = (id: CapabilityId) => {
    const c = byId.get(id);
    if (!c) return `${id}: unknown`;
    if (c.status === 'absent') return `no ${c.label} tool${c.likelyScope ? ` (usually needs ${c.likelyScope})` : ''}`;
    if (c.status === 'forbidden') return `${c.tool} is forbidden${c.missingScopes?.length ? `: missing scope ${c.missingScopes.join(', ')}` : ''}`;
    if (c.status === 'failed') return `${c.tool} failed${c.httpStatus ? ` (${c.httpStatus})` : ''}`;
    if (c.status === 'unusable') return `${c.tool} cannot be called: ${c.detail}`;
    return `${c.label}: ${c.status}`;
  };
  return { usable, why, supports: (id, p) => usable(id) && tool.supports(id, p), requires: (id, p) => tool.requires(id, p) };
}

type Rule = (f: CapabilityFacts) => Omit<WorkflowVerdict, 'workflow'>;

const verdict = (cannot: string[], lost: string[]): Omit<WorkflowVerdict, 'workflow'> =>
  cannot.length ? { verdict: 'cannot', notes: cannot } : { verdict: lost.length ? 'degraded' : 'full', notes: lost };

/** Finding calls: details, else the list, else (summarize --call-ids only) none. */
function callsLost(f: CapabilityFacts, lost: string[]): boolean {
  if (f.usable('call-details')) {
    if (!f.supports('call-details', 'contentSelector.exposedFields.parties')) lost.push('speakers unnamed: the call-details tool offers no parties');
    return true;
  }
  if (f.usable('calls')) {
    lost.push(`speakers unnamed (${f.why('call-details')}: calls come from the calls list without parties)`);
    return true;
  }
  return false;
}

const RULES: Record<WorkflowName, Rule> = {
  summarize(f) {
    const cannot: string[] = [];
    const lost: string[] = [];
    if (!f.usable('transcripts')) cannot.push(`cannot read transcripts: ${f.why('transcripts')}`);
    if (!callsLost(f, lost)) {
      if (f.usable('transcripts')) lost.push(`only with --call-ids, without titles or dates: ${f.why('calls')}`);
      else cannot.push(`cannot find calls: ${f.why('calls')}`);
    }
    return verdict(cannot, lost);
  },
  autopsy(f) {
    const cannot: string[] = [];
    const lost: string[] = [];
    if (!f.usable('transcripts')) cannot.push(`cannot read transcripts: ${f.why('transcripts')}`);
    if (!callsLost(f, lost)) cannot.push(`cannot find calls to tie to the deal: ${f.why('call-details')}; ${f.why('calls')} (summarize --call-ids may still work)`);
    const context = f.usable('call-details') && f.supports('call-details', 'contentSelector.context');
    if (!context) {
      lost.push("calls tied to the deal by their titles, not CRM context (a call whose title doesn't name the deal is left out)");
      if (f.usable('tasks')) lost.push("the deal's CRM id, stage and amount come from the reps' Engage tasks");
      else lost.push("the deal's CRM id, stage and amount are unknown");
    }
    if (!f.usable('tasks')) lost.push(`no Engage task follow-up: ${f.why('tasks')}`);
    if (!f.usable('brief')) lost.push(`no AI brief: ${f.why('brief')}`);
    return verdict(cannot, lost);
  },
  sweep(f) {
    const cannot: string[] = [];
    const lost: string[] = [];
    for (const id of ['users', 'coaching', 'scorecards'] as const) if (!f.usable(id)) cannot.push(f.why(id));
    if (!f.usable('activity')) {
      if (f.usable('calls')) lost.push(`calls hosted counted from the calls list (${f.why('activity')}; more requests)`);
      else cannot.push(`${f.why('activity')}, and ${f.why('calls')}`);
    }
    if (f.usable('coaching') && f.requires('coaching', 'workspace-id') && !f.usable('workspaces')) {
      if (f.usable('calls')) lost.push("the workspace id comes from the calls' metadata (no workspaces tool)");
      else cannot.push(`the coaching tool requires a workspace id: ${f.why('workspaces')}, ${f.why('calls')}`);
    }
    return verdict(cannot, lost);
  },
  'crm-sync'(f) {
    const cannot: string[] = [];
    const lost: string[] = [];
    if (!f.usable('crm-upload')) cannot.push(`cannot upload: ${f.why('crm-upload')}`);
    if (!f.usable('crm-status')) cannot.push(`cannot poll Gong's processing status: ${f.why('crm-status')}`);
    if (!f.usable('crm-integrations')) lost.push(`--integration-id is required and used unchecked (${f.why('crm-integrations')})`);
    return verdict(cannot, lost);
  },
  tasks(f) {
    const cannot: string[] = [];
    const lost: string[] = [];
    if (!f.usable('tasks')) cannot.push(`cannot list tasks: ${f.why('tasks')}`);
    if (!f.usable('task-update')) lost.push(`tasks set cannot write: ${f.why('task-update')}`);
    if (!f.usable('users')) lost.push(`--user must be a Gong user id (no email look-up: ${f.why('users')})`);
    return verdict(cannot, lost);
  },
  ask(f) {
    const reads: CapabilityId[] = ['calls', 'call-details', 'transcripts', 'users', 'activity', 'coaching', 'scorecards', 'tasks', 'crm-entities', 'crm-status', 'brief', 'workspaces'];
    const missing = reads.filter((id) => !f.usable(id));
    if (missing.length === reads.length) return { verdict: 'cannot', notes: ['no read tool is usable'] };
    return verdict([], missing.map((id) => f.why(id)));
  },
};

export function assessWorkflows(f: CapabilityFacts): WorkflowVerdict[] {
  return WORKFLOWS.map((workflow) => ({ workflow, ...RULES[workflow](f) }));
}
