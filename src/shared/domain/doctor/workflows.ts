/**
 * What each workflow can do with an account's capabilities, as `doctor` reports it: runs fully,
 * runs degraded (and what is lost), or cannot run (and why). The rules are the ones the producers
 * and jobs apply when they degrade (discover.ts, locate-deal.ts, deals/context.ts, plan-sweep.ts,
 * crm-sync, tasks); a capability counts as usable when it is present and its probe was not refused
 * (forbidden) or failed.
 */
import { CAPABILITIES, CAPABILITY_IDS, capabilityOfTool, type CapabilityId, type TrutoTool } from '../../upstream/index.ts';
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
  /** Listed tools no capability knows (by name or resource + method): `ask` offers them as writes. */
  unknownTools: string[];
}

export function factsFrom(
  checks: readonly CapabilityCheck[],
  tool: Pick<CapabilityFacts, 'supports' | 'requires'> & { tools?: readonly TrutoTool[] },
): CapabilityFacts {
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
  return {
    usable,
    why,
    supports: (id, p) => usable(id) && tool.supports(id, p),
    requires: (id, p) => tool.requires(id, p),
    unknownTools: (tool.tools ?? []).filter((t) => !capabilityOfTool(t)).map((t) => t.name),
  };
}

type Rule = (f: CapabilityFacts) => Omit<WorkflowVerdict, 'workflow'>;

/** Every read capability (what `ask` may call without approval). */
const CAPABILITY_READS = CAPABILITY_IDS.filter((id) => CAPABILITIES[id].access === 'read');

/**
 * The kinds of question `ask` is tested on (docs/agent-protocol.md §6) and the capabilities their
 * tools serve; each entry of `needs` lists alternatives (any one will do).
 */
const ASK_TOPICS: readonly { about: string; needs: readonly (readonly CapabilityId[])[] }[] = [
  { about: 'activity questions (calls hosted, listens)', needs: [['users'], ['activity']] },
  { about: 'deal-brief questions', needs: [['brief'], ['tasks'], ['calls', 'call-details']] },
  { about: 'transcript questions', needs: [['transcripts']] },
  { about: 'coaching and scorecard questions', needs: [['users'], ['coaching'], ['scorecards']] },
  { about: 'task updates', needs: [['tasks'], ['task-update']] },
  { about: 'CRM updates', needs: [['crm-upload'], ['crm-status']] },
];

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
    // The agent is offered every listed tool and classifies each by the capability it serves
    // (agent/classify.ts): reads run at once, writes wait for a person, unknown tools count as writes.
    const reads = CAPABILITY_READS.filter((id) => f.usable(id));
    if (reads.length === 0) {
      const unknown = f.unknownTools.length ? `; the ${f.unknownTools.length} listed tool(s) no capability knows would each wait for approval` : '';
      return { verdict: 'cannot', notes: [`no tool the fleet knows as a read is usable${unknown}`] };
    }
    const lost: string[] = [];
    for (const topic of ASK_TOPICS) {
      const missing = topic.needs.filter((alternatives) => !alternatives.some((id) => f.usable(id)));
      if (missing.length) lost.push(`cannot answer ${topic.about}: ${missing.map((alternatives) => alternatives.map((id) => f.why(id)).join(', nor ')).join('; ')}`);
    }
    if (f.usable('transcripts') && !f.usable('call-details')) lost.push(`transcript answers name speakers by Gong's speaker ids (${f.why('call-details')})`);
    const needsWorkspace = f.usable('brief') || (f.usable('coaching') && f.requires('coaching', 'workspace-id'));
    if (needsWorkspace && !f.usable('workspaces') && (f.usable('calls') || f.usable('call-details'))) lost.push(`the workspace id comes from a call's metadata (${f.why('workspaces')})`);
    if (f.usable('users') && !f.usable('users-extensive')) lost.push(`join dates are read from the users list (${f.why('users-extensive')})`);
    if (f.usable('crm-upload') && !f.usable('crm-integrations')) lost.push(`a CRM update needs the integration id in the question (${f.why('crm-integrations')})`);
    // The built-ins run the fleet's own pipelines, so they can or cannot exactly as those can.
    for (const [builtin, workflow] of [['summarize_calls', 'summarize'], ['deal_autopsy', 'autopsy']] as const) {
      const v = RULES[workflow](f);
      if (v.verdict === 'cannot') lost.push(`built-in ${builtin} cannot run: ${v.notes[0]}`);
      else if (v.verdict === 'degraded') lost.push(`built-in ${builtin} runs degraded (see ${workflow})`);
    }
    if (f.unknownTools.length) {
      lost.push(`${f.unknownTools.length} listed tool(s) no capability knows (${f.unknownTools.slice(0, 5).join(', ')}${f.unknownTools.length > 5 ? ', …' : ''}) are offered as writes: each call waits for approval`);
    }
    return verdict([], lost);
  },
};

export function assessWorkflows(f: CapabilityFacts): WorkflowVerdict[] {
  return WORKFLOWS.map((workflow) => ({ workflow, ...RULES[workflow](f) }));
}
