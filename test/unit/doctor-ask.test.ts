/**
 * `doctor`'s verdict on `ask`, from the capability layer: which kinds of question the listed tools
 * can answer, what the built-ins (the summarize and autopsy pipelines) can do, and listed tools no
 * capability knows, which the agent offers as writes (each call waits for approval).
 */
import { describe, expect, it } from 'vitest';
import { assessWorkflows, factsFrom, type CapabilityCheck } from '../../src/shared/domain/index.ts';
import { CAPABILITIES, CAPABILITY_IDS, type CapabilityId, type TrutoTool } from '../../src/shared/upstream/index.ts';

/** Checks with every capability ok except the ones given as absent. */
function checks(absent: CapabilityId[] = []): CapabilityCheck[] {
  return CAPABILITY_IDS.map((id) => ({
    id,
    label: CAPABILITIES[id].label,
    access: CAPABILITIES[id].access,
    ...(absent.includes(id) ? { status: 'absent' as const, detail: 'absent', likelyScope: CAPABILITIES[id].scope } : { tool: `${id}-tool`, status: 'ok' as const, detail: 'ok' }),
  }));
}

const everything = { supports: () => true, requires: () => true };
const askOf = (c: CapabilityCheck[], tools: TrutoTool[] = []) => assessWorkflows(factsFrom(c, { ...everything, tools })).find((w) => w.workflow === 'ask')!;

describe("doctor's ask verdict", () => {
  it('runs fully when every capability is usable and every listed tool is known (renamed ones by resource + method)', () => {
    const renamed: TrutoTool = { name: 'fetch_transcripts', resource: 'calls_transcript', method: 'create' };
    expect(askOf(checks(), [renamed])).toEqual({ workflow: 'ask', verdict: 'full', notes: [] });
  });

  it('says which questions cannot be answered and which built-in cannot run', () => {
    const v = askOf(checks(['transcripts', 'brief']));
    expect(v.verdict).toBe('degraded');
    expect(v.notes).toContain('cannot answer transcript questions: no transcripts by call ids tool (usually needs api:calls:read:transcript)');
    expect(v.notes).toContain('cannot answer deal-brief questions: no AI brief tool (usually needs api:ai-briefer:read)');
    expect(v.notes.find((n) => n.startsWith('built-in summarize_calls cannot run: cannot read transcripts'))).toBeDefined();
    expect(v.notes.find((n) => n.startsWith('built-in deal_autopsy cannot run'))).toBeDefined();
  });

  it('names the seed-style losses: speaker ids, workspace from a call, join dates from the users list, the integration id', () => {
    const v = askOf(checks(['call-details', 'workspaces', 'users-extensive', 'crm-integrations', 'call-by-id', 'user-by-id']));
    expect(v.verdict).toBe('degraded');
    expect(v.notes.some((n) => n.startsWith("transcript answers name speakers by Gong's speaker ids"))).toBe(true);
    expect(v.notes.some((n) => n.startsWith("the workspace id comes from a call's metadata"))).toBe(true);
    expect(v.notes.some((n) => n.startsWith('join dates are read from the users list'))).toBe(true);
    expect(v.notes.some((n) => n.startsWith('a CRM update needs the integration id in the question'))).toBe(true);
    expect(v.notes).toContain('built-in deal_autopsy runs degraded (see autopsy)');
  });

  it('tools no capability knows are offered as writes; with no known read at all it cannot run', () => {
    const odd: TrutoTool = { name: 'list_all_gong_meetings', resource: 'meetings', method: 'list' };
    const v = askOf(checks(), [odd]);
    expect(v.verdict).toBe('degraded');
    expect(v.notes).toEqual(['1 listed tool(s) no capability knows (list_all_gong_meetings) are offered as writes: each call waits for approval']);
    const reads = CAPABILITY_IDS.filter((id) => CAPABILITIES[id].access === 'read');
    expect(askOf(checks(reads), [odd])).toEqual({
      workflow: 'ask',
      verdict: 'cannot',
      notes: ['no tool the fleet knows as a read is usable; the 1 listed tool(s) no capability knows would each wait for approval'],
    });
  });
});
