/**
 * Tool schemas and result shapes other than the sandbox's default profile: snake_case arguments
 * with Gong's filter fields flattened to the top level, the seed's request-status tool
 * (`get_single_…_by_id`, the id being the clientRequestId), no workspaces/integrations/extensive
 * tools, and results unwrapped (`{result, next_cursor}`) or bare arrays. The tools array is built
 * by hand; the fleet stand-in maps each call back onto the sandbox's Truto proxy.
 */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME } from '../../src/sandbox/gong/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { INITECH_FOLLOW_UP_TASK } from '../../src/sandbox/world/deals-account.ts';
import { BUILTIN_TOOLS, callTruto, runAgent, trutoTools, type AgentRun, type ToolOutcome, type TrutoTool } from './agent-harness.ts';

const DAY = 86_400_000;
let sb: Sandbox;
let dealsId: string;
let coachingId: string;

beforeAll(async () => {
  sb = await startSandbox({
    gongPerSecond: 10_000, trutoPerAccountPer10s: 100_000, crmProcessingMs: 0,
    llm: { latencyBaseMs: 0, latencyPerOutputTokenMs: 0, contextWindowTokens: 128_000 },
  });
  dealsId = sb.world.accountIdOf('deals');
  coachingId = sb.world.accountIdOf('coaching');
});

afterAll(async () => {
  await sb?.close();
});

const str = { type: 'string' };
const strs = { type: 'array', items: { type: 'string' } };
type Shape = 'unwrapped' | 'array' | 'object';

/** Snake_case, flat tools, each with the catalog tool it maps to and the shape its result comes back in. */
const SNAKE: Array<{ name: string; target: string; shape: Shape; properties: Record<string, unknown>; required: string[] }> = [
  { name: 'list_all_gong_users', target: 'list_all_gong_users', shape: 'unwrapped', properties: { limit: { type: 'integer' }, next_cursor: str }, required: [] },
  { name: 'list_all_gong_calls', target: 'list_all_gong_calls', shape: 'array', properties: { from_date_time: str, to_date_time: str, limit: { type: 'integer' }, next_cursor: str }, required: [] },
  { name: 'create_a_gong_calls_transcript', target: 'create_a_gong_calls_transcript', shape: 'array', properties: { from_date_time: str, to_date_time: str, call_ids: strs }, required: [] },
  { name: 'create_a_gong_activity_aggregate_by_period', target: 'create_a_gong_activity_aggregate_by_period', shape: 'array', properties: { from_date: str, to_date: str, user_ids: strs, aggregation_period: str }, required: ['from_date', 'to_date', 'aggregation_period'] },
  { name: 'create_a_gong_task', target: 'create_a_gong_task', shape: 'unwrapped', properties: { user_id: str, status: strs, types: strs, task_action: strs }, required: ['user_id', 'status', 'types', 'task_action'] },
  { name: 'update_a_gong_task_by_id', target: 'update_a_gong_task_by_id', shape: 'object', properties: { id: str, user_id: str, status: str, due_date: str }, required: ['id', 'user_id'] },
  { name: 'create_a_gong_crm_entity', target: 'create_a_gong_crm_entity', shape: 'object', properties: { integration_id: str, object_type: str, client_request_id: str, data_file: { type: 'string', format: 'binary' } }, required: ['integration_id', 'object_type', 'client_request_id', 'data_file'] },
  { name: 'get_single_gong_crm_request_status_by_id', target: 'list_all_gong_crm_request_status', shape: 'object', properties: { id: str, integration_id: str }, required: ['id', 'integration_id'] },
];

const TOOLS: ChatCompletionTool[] = [
  ...SNAKE.map((t): ChatCompletionTool => ({ type: 'function', function: { name: t.name, description: `${t.name} (snake_case)`, parameters: { type: 'object', properties: t.properties, required: t.required } } })),
  BUILTIN_TOOLS.find((t) => t.type === 'function' && t.function.name === 'read_result')!,
];

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The records of a Truto/Gong body: Truto's `result`, or the first array in Gong's body. */
function records(body: Record<string, unknown>): unknown[] {
  if (Array.isArray(body['result'])) return body['result'];
  return (Object.values(body).find(Array.isArray) as unknown[] | undefined) ?? [];
}

function executor(catalog: TrutoTool[], accountId: string, seen: Array<{ name: string; args: Record<string, unknown> }>) {
  return async (name: string, args: Record<string, unknown>): Promise<ToolOutcome> => {
    seen.push({ name, args });
    const spec = SNAKE.find((t) => t.name === name)!;
    const target = catalog.find((t) => t.name === spec.target)!;
    const filterProps = (target.body_schema.properties['filter']?.['properties'] ?? {}) as Record<string, unknown>;
    const mapped: Record<string, unknown> = {};
    const filter: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      const key = name.startsWith('get_single_gong_crm_request_status') && k === 'id' ? 'clientRequestId' : camel(k);
      if (key in filterProps) filter[key] = v;
      else mapped[key] = v;
    }
    if (Object.keys(filter).length > 0 || target.required.includes('filter')) mapped['filter'] = filter;
    const out = await callTruto(sb, accountId, target, mapped);
    if (out.status !== 'ok') return out;
    const body = out.result as Record<string, unknown>;
    if (spec.shape === 'object') return { status: 'ok', result: Array.isArray(body['result']) ? body['result'][0] : body };
    const items = records(body);
    return { status: 'ok', result: spec.shape === 'array' ? items : { result: items, next_cursor: body['next_cursor'] ?? null } };
  };
}

async function run(question: string, accountId: string, maxResultChars?: number): Promise<{ run: AgentRun; seen: Array<{ name: string; args: Record<string, unknown> }> }> {
  const catalog = await trutoTools(sb, accountId);
  const seen: Array<{ name: string; args: Record<string, unknown> }> = [];
  const result = await runAgent(question, { sandbox: sb, accountId, tools: TOOLS, execute: executor(catalog, accountId, seen), ...(maxResultChars ? { maxResultChars } : {}) });
  return { run: result, seen };
}

const today = (): number => Math.floor(Date.now() / DAY) * DAY;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('snake_case flat tools and unwrapped results', () => {
  it('activity: flat snake_case aggregate arguments, numbers from a bare array result', async () => {
    const account = sb.world.account(coachingId)!;
    const john = account.users.find((u) => u.firstName === 'John' && u.lastName === 'Doe')!;
    const from = today() - 20 * DAY;
    const to = today() - 3 * DAY;
    const hosted = account.calls.filter((c) => c.primaryUserId === john.id && c.startedMs >= from && c.startedMs < to + DAY).length;
    const own = account.coachingEvents.filter((e) => e.kind === 'self_listen' && e.reviewerUserId === john.id && e.atMs >= from && e.atMs < to + DAY).length;
    const { run: r, seen } = await run(`Pull the activity aggregate for John Doe from ${isoDay(from)} to ${isoDay(to)}. How many calls did he host compared to his total call listens?`, coachingId);
    expect(seen.find((s) => s.name === 'create_a_gong_activity_aggregate_by_period')!.args).toEqual({
      from_date: isoDay(from), to_date: isoDay(to + DAY), user_ids: [john.id], aggregation_period: 'MONTH',
    });
    expect(r.answer).toContain(`Calls hosted: **${hosted}**`);
    expect(r.answer).toContain(`Call listens: **${own}** in total`);
  });

  it('task update: snake_case task list and update arguments', async () => {
    const task = sb.world.account(dealsId)!.tasks.find((t) => t.title === INITECH_FOLLOW_UP_TASK)!;
    const { run: r, seen } = await run('Mark the follow-up email task for the Initech deal as DONE, as I have verified the contract was sent.', dealsId);
    expect(seen.find((s) => s.name === 'list_all_gong_calls')!.args).toHaveProperty('from_date_time');
    expect(seen.find((s) => s.name === 'create_a_gong_task')!.args).toEqual({ user_id: task.userId, status: ['OPEN', 'DONE', 'DISMISSED'], types: ['FLOW', 'MANUAL'], task_action: ['CALL'] });
    expect(seen.find((s) => s.name === 'update_a_gong_task_by_id')!.args).toEqual({ id: task.id, user_id: task.userId, status: 'DONE' });
    expect(task.status).toBe('DONE');
    expect(r.answer).toContain('is now DONE');
  });

  it('CRM update: the integration id from the question, snake_case upload, the seed\'s get_single status tool', async () => {
    const account = sb.world.account(dealsId)!;
    const acme = sb.world.findDeal(dealsId, ACME)!;
    const without = await run("Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Proposal', using client request ID 99290. Then check the status of that request.", dealsId);
    expect(without.seen).toEqual([]);
    expect(without.run.answer).toContain('I need the CRM integration id');

    const { run: r, seen } = await run(`Update the Acme Corp CRM entity in Gong to reflect a new deal stage of 'Proposal', using client request ID 99290 and integration ${account.integration.integrationId}. Then check the status of that request.`, dealsId);
    const upload = seen.find((s) => s.name === 'create_a_gong_crm_entity')!.args;
    expect(upload).toMatchObject({ integration_id: account.integration.integrationId, object_type: 'DEAL', client_request_id: '99290' });
    expect(JSON.parse(String(upload['data_file']))).toMatchObject({ objectId: acme.crmId, stage: 'Proposal' });
    expect(seen.find((s) => s.name === 'get_single_gong_crm_request_status_by_id')!.args).toEqual({ id: '99290', integration_id: account.integration.integrationId });
    expect(r.answer).toContain('**DONE**');
  });

  it('transcript: a bare-array result read whole through read_result slices when no summarizer is offered', async () => {
    const account = sb.world.account(dealsId)!;
    const acme = sb.world.findDeal(dealsId, ACME)!;
    const call = account.calls.find((c) => c.dealCrmId === acme.crmId && sb.world.plantedFacts(c.id).some((f) => f.category === 'objection'))!;
    const objections = sb.world.plantedFacts(call.id).filter((f) => f.category === 'objection');
    const { run: r } = await run(`Retrieve the transcript for call ID ${call.id} and summarize the customer's objections.`, dealsId, 16_000);
    const names = r.steps.map((s) => s.name);
    expect(names[0]).toBe('create_a_gong_calls_transcript');
    expect(names.slice(1).every((n) => n === 'read_result')).toBe(true);
    expect(names.length).toBeGreaterThan(2);
    expect(r.steps[0]!.args).toEqual({ call_ids: [call.id] });
    for (const f of objections) expect(r.answer).toContain(`"${f.text}" [${r.steps[0]!.ref}:${call.id}@`);
    expect(r.answer).toContain('Speaker names were not available');
  });
});
