/**
 * Engage tasks on the sandbox: list by email, set a status through the task-update write job,
 * idempotency (same status → no PATCH, from the command and from the job), --dry-run, bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTaskUpdate } from '../../src/producers/tasks.ts';
import { readWrites } from '../../src/shared/domain/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers, type WorkerFleet } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';
import { runCli } from '../helpers/processes.ts';

describe('tasks list / set', () => {
  let fleet: TestFleet;
  let workers: WorkerFleet;
  let task: { id: string; userId: string; status: string };
  let email: string;
  const patches = () => fleet.sandbox.stats().accounts[fleet.accountId]?.byPath['PATCH /proxy/tasks/:id'] ?? 0;
  const cli = (args: string[]) => runCli(args, fleet.env, 45_000);
  const worldTask = (id: string) => fleet.sandbox.world.account(fleet.accountId)!.tasks.find((t) => t.id === id)!;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'tasks', sandbox: { callsPerAccount: 8 } });
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: fleet.services.logger, queues: ['writes'], concurrency: 2 });
    const account = fleet.sandbox.world.account(fleet.accountId)!;
    const open = account.tasks.find((t) => t.status === 'OPEN' && t.type === 'MANUAL') ?? account.tasks.find((t) => t.status === 'OPEN');
    if (!open) throw new Error('sandbox has no OPEN task');
    task = { id: open.id, userId: open.userId, status: open.status };
    email = account.users.find((u) => u.id === open.userId)!.emailAddress;
  });

  afterAll(async () => {
    await workers?.close(5_000);
    await fleet?.close();
  });

  it('lists a rep’s tasks by email, filtered by status', async () => {
    const [all, done] = await Promise.all([
      cli(['tasks', 'list', '--account', fleet.accountId, '--user', email, '--json']),
      cli(['tasks', 'list', '--account', fleet.accountId, '--user', task.userId, '--status', 'DONE', '--json']),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const listed = JSON.parse(all.stdout) as { userId: string; tasks: { id: string; status: string }[] };
    expect(listed.userId).toBe(task.userId);
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
    const expected = fleet.sandbox.world.account(fleet.accountId)!.tasks.filter((t) => t.userId === task.userId);
    expect(listed.tasks).toHaveLength(expected.length);
    expect((JSON.parse(done.stdout) as typeof listed).tasks.every((t) => t.status === 'DONE')).toBe(true);
  });

  it('sets a status once; the same status again, or --dry-run, writes nothing', async () => {
    const before = patches();
    const dry = await cli(['tasks', 'set', '--account', fleet.accountId, '--task', task.id, '--status', 'DONE', '--user', task.userId, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/dry run: would set task \d+ .* OPEN → DONE; nothing written/);
    expect(patches()).toBe(before);
    expect(worldTask(task.id).status).toBe('OPEN');

    const set = await cli(['tasks', 'set', '--account', fleet.accountId, '--task', task.id, '--status', 'done', '--user', email, '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ taskId: task.id, from: 'OPEN', to: 'DONE', written: true });
    expect(patches()).toBe(before + 1);
    expect(worldTask(task.id).status).toBe('DONE');
    const [rec] = await readWrites(fleet.redis, fleet.prefix, 1);
    expect(rec).toMatchObject({ tool: 'update_a_gong_task_by_id', accountId: fleet.accountId, outcome: 'status OPEN → DONE', who: expect.stringContaining('@') });

    const again = await cli(['tasks', 'set', '--account', fleet.accountId, '--task', task.id, '--status', 'DONE', '--user', task.userId]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already DONE; nothing written/);
    expect(patches()).toBe(before + 1);
  });

  it('the write job itself re-checks: a job for a status the task already has makes no PATCH', async () => {
    const before = patches();
    const change = { taskId: task.id, userId: task.userId, from: 'OPEN', to: 'DONE' as const, needed: true, title: 't' };
    // As if the command planned before someone else closed the task (or a retry after a crash).
    const r = await runTaskUpdate(fleet.services, fleet.accountId, change, 'test@host', { timeoutMs: 20_000 });
    expect(r).toMatchObject({ written: false, from: 'DONE', to: 'DONE' });
    expect(patches()).toBe(before);
    // And back to OPEN through the job: one PATCH.
    const back = await runTaskUpdate(fleet.services, fleet.accountId, { ...change, from: 'DONE', to: 'OPEN' as never }, 'test@host', { timeoutMs: 20_000 });
    expect(back).toMatchObject({ written: true, from: 'DONE', to: 'OPEN' });
    expect(patches()).toBe(before + 1);
  });

  it('bad input: unknown task, bad status, unknown user → one line, exit 2, no write', async () => {
    const before = patches();
    const [unknownTask, badStatus, unknownUser] = await Promise.all([
      cli(['tasks', 'set', '--account', fleet.accountId, '--task', '999999999', '--status', 'DONE', '--user', task.userId]),
      cli(['tasks', 'set', '--account', fleet.accountId, '--task', task.id, '--status', 'FINISHED', '--user', task.userId]),
      cli(['tasks', 'list', '--account', fleet.accountId, '--user', 'nobody@nowhere.example']),
    ]);
    expect(unknownTask.code).toBe(2);
    expect(unknownTask.stderr.trim()).toMatch(/^gong-fleet: unknown task 999999999 for user \d+ on account/);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/--status must be one of OPEN, DONE, DISMISSED, got "FINISHED"/);
    expect(unknownUser.code).toBe(2);
    expect(unknownUser.stderr).toMatch(/no Gong user with email nobody@nowhere.example/);
    expect(patches()).toBe(before);
  });
});
