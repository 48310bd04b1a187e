/**
 * `gong-fleet crm-sync`: upload an LDJSON file of one CRM type to Gong and wait (spinner) until
 * Gong has really processed it: DONE, or FAILED with Gong's per-line errors. `--no-wait` returns
 * after enqueueing and prints the id for `gong-fleet crm-sync status <id>`.
 */
import type { Command } from 'commander';
import type { FleetServices } from '../../app/index.ts';
import { requireSetting } from '../../config/index.ts';
import { crmStore, describeCrmSync, launchCrmSync, prepareCrmSync, waitForCrmSync } from '../../producers/crm-sync.ts';
import { printWorkerNotice, queuesFor, withWorkerWatch } from '../../producers/worker-watch.ts';
import { currentActor, isClientRequestId, readRequestStatus, type CrmSyncState } from '../../shared/domain/index.ts';
import { BadInputError } from '../../shared/platform/index.ts';
import { createCliContext, handleSignals, type CliContext } from '../context.ts';
import { openSession } from '../session.ts';

/** Connects, builds services and (with --local-worker) serves the writes queue in this process. */
export async function openWriteSession(ctx: CliContext, localWorker: boolean): Promise<FleetServices> {
  requireSetting(ctx.config, 'TRUTO_API_KEY', 'set it to your Truto API token (or run `gong-fleet sandbox` for a local one)');
  handleSignals(ctx);
  return openSession(ctx, { localWorker, queues: ['writes'], concurrency: 4 });
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner on a TTY; elsewhere one line whenever the phase or Gong's status changes. */
function spinner(stream: NodeJS.WriteStream = process.stderr) {
  let frame = 0;
  let last = '';
  return {
    update(s: CrmSyncState) {
      const waited = ((Date.now() - (s.uploadedAtMs ?? s.createdAtMs)) / 1000).toFixed(0);
      const line = `${s.phase}${s.gongStatus ? ` · Gong ${s.gongStatus}` : ''} · ${s.polls} polls · ${waited} s`;
      if (stream.isTTY) stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${line}`);
      else if (line.replace(/ · \d+ s$/, '') !== last.replace(/ · \d+ s$/, '')) stream.write(`${line}\n`);
      last = line;
    },
    done() {
      if (stream.isTTY && last) stream.write('\r\x1b[2K');
    },
  };
}

function report(state: CrmSyncState, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(state)}\n`);
  else {
    for (const line of describeCrmSync(state)) process.stderr.write(`${line}\n`);
    process.stdout.write(`${state.clientRequestId}\n`);
  }
  // Only Gong's DONE is success; FAILED, TIMED_OUT and ERROR exit 1.
  if (state.phase !== 'DONE') process.exitCode = 1;
}

interface SyncFlags {
  account?: string;
  type?: string;
  file?: string;
  integrationId?: string;
  json?: boolean;
  wait: boolean;
  dryRun?: boolean;
  localWorker?: boolean;
}

export function registerCrmSync(program: Command): void {
  const cmd = program
    .command('crm-sync')
    .description('upload an LDJSON file of CRM entities to Gong and wait until Gong has processed it')
    .option('--account <id>', 'Truto integrated account id')
    .option('--type <type>', 'ACCOUNT | CONTACT | DEAL | LEAD | BUSINESS_USER | STAGE (one type per file)')
    .option('--file <path>', 'LDJSON file, one entity per line')
    .option('--integration-id <id>', "Gong CRM integration (default: the company's only one)")
    .option('--json', 'print the final state as JSON on stdout')
    .option('--no-wait', 'return after enqueueing; check later with `crm-sync status <id>`')
    .option('--dry-run', 'validate the file, resolve the integration and print the request id; upload nothing')
    .option('--local-worker', 'run the writes worker in this process')
    .action(async (o: SyncFlags) => {
      const missing = (['account', 'type', 'file'] as const).filter((k) => !o[k]);
      if (missing.length > 0) throw new BadInputError(`crm-sync needs ${missing.map((k) => `--${k}`).join(', ')}`);
      const ctx = createCliContext({}, { proc: 'cli' });
      try {
        const services = await openWriteSession(ctx, !!o.localWorker && !o.dryRun);
        const prepared = await prepareCrmSync(services, {
          accountId: o.account!,
          objectType: o.type!,
          filePath: o.file!,
          ...(o.integrationId ? { integrationId: o.integrationId } : {}),
          requestedBy: await currentActor(),
        });
        const s = prepared.state;
        if (o.dryRun) {
          process.stderr.write(`dry run: would upload ${s.entities} ${s.objectType} entities (${s.bytes} bytes) to integration ${s.integrationId} as ${s.clientRequestId}; nothing uploaded\n`);
          process.stdout.write(o.json ? `${JSON.stringify({ dryRun: true, ...s })}\n` : `${s.clientRequestId}\n`);
          return;
        }
        const { state, resumed } = await launchCrmSync(services, prepared);
        process.stderr.write(`${resumed ? 'resuming' : 'queued'} ${state.clientRequestId}: ${state.entities} ${state.objectType} entities → integration ${state.integrationId}\n`);
        if (!o.wait) {
          process.stderr.write(`not waiting; check with: gong-fleet crm-sync status ${state.clientRequestId}\n`);
          process.stdout.write(o.json ? `${JSON.stringify(state)}\n` : `${state.clientRequestId}\n`);
          return;
        }
        const spin = spinner();
        const final = await withWorkerWatch(
          { queues: services.queues, needed: queuesFor(['crm-upload', 'crm-poll']), onChange: (m) => printWorkerNotice(m) },
          () => waitForCrmSync(services, state.clientRequestId, { onProgress: (x) => spin.update(x) }),
        ).finally(() => spin.done());
        report(final, !!o.json);
      } finally {
        await ctx.shutdown();
      }
    });

  cmd
    .command('status <clientRequestId>')
    .description('the state of a CRM sync: its phase, Gong status and per-line errors')
    .option('--json', 'print the state as JSON on stdout')
    .action(async (id: string, _o: unknown, sub: Command) => {
      // `--json` after `status` is parsed by crm-sync itself too; read it from either.
      const o = sub.optsWithGlobals<{ json?: boolean }>();
      if (!isClientRequestId(id)) throw new BadInputError(`"${id}" is not a crm-sync request id (they look like gf- and 32 hex digits)`);
      const ctx = createCliContext({}, { proc: 'cli' });
      try {
        const services = await openSession(ctx);
        const store = crmStore(services);
        let state = await store.get(id);
        if (!state) throw new BadInputError(`no CRM sync ${id} in this fleet (prefix ${services.prefix}); it may have expired`);
        if (state.phase === 'TIMED_OUT') state = await recheck(services, state);
        report(state, !!o.json);
      } finally {
        await ctx.shutdown();
      }
    });
}

/** A sync that outlived its bounded wait: ask Gong once more (a read) and record a final answer. */
async function recheck(services: FleetServices, state: CrmSyncState): Promise<CrmSyncState> {
  const status = await readRequestStatus(services.truto, state);
  if (status.status !== 'DONE' && status.status !== 'FAILED') return { ...state, gongStatus: status.status };
  return crmStore(services).update(state.clientRequestId, {
    phase: status.status,
    gongStatus: status.status,
    finishedAtMs: Date.now(),
    totalSuccessCount: status.totalSuccessCount ?? 0,
    totalErrorCount: status.totalErrorCount ?? 0,
    errors: (status.errors ?? []).map((e) => ({ line: e.line, description: e.description })),
  });
}
