/**
 * One worker-like process of the governor benchmark. It runs `concurrency` slots that take the
 * next account round-robin and make one cheap Truto read (`get_single_gong_call_by_id`) for it,
 * from `startAtMs` until `endAtMs`, then prints one JSON line (`ChildReport`) on stdout.
 *
 * governed: the Truto client's gate is the fleet's `trutoGate` over the shared RateGovernor. A
 *   short wait sleeps in the slot (the slot is booked); a long one parks the account in this
 *   process until `retryAfterMs`, freeing the slot, as a BullMQ worker parks the job as delayed.
 * naive: no gate. On a 429 the slot sleeps `retry-after` (else capped exponential backoff with
 *   jitter) and retries the same call, like a client with a retry loop and nothing shared.
 *
 * argv[2]: ChildArgs as JSON (without the times). It prints `ready` once its tools are cached,
 * then reads `{startAtMs, endAtMs}` as one JSON line on stdin.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { RateGovernor, RateLimitWaitError, trutoGate, type Reservation, type ObservedResponse, TrutoClient, TrutoRateLimitError } from '../../src/shared/upstream/index.ts';
import type { ChildArgs, ChildReport } from './types.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Times every governor round trip (the Lua reserve and observe), the fleet's per-call overhead. */
class TimedGovernor extends RateGovernor {
  readonly reserveMs: number[] = [];
  readonly observeMs: number[] = [];
  override async reserveTruto(accountId: string, tokenHash: string, opts = {}): Promise<Reservation> {
    const t = performance.now();
    try {
      return await super.reserveTruto(accountId, tokenHash, opts);
    } finally {
      this.reserveMs.push(performance.now() - t);
    }
  }
  override async observeTruto(accountId: string, r: ObservedResponse): Promise<void> {
    const t = performance.now();
    try {
      await super.observeTruto(accountId, r);
    } finally {
      this.observeMs.push(performance.now() - t);
    }
  }
}

const redis = args.mode === 'governed' ? new Redis(args.redisUrl, { maxRetriesPerRequest: null }) : undefined;
const governor = redis
  ? new TimedGovernor({
      redis,
      prefix: args.prefix,
      truto: { gongPerSecond: args.gongPerSecond, trutoPerAccountPer10s: args.trutoPerAccountPer10s, trutoPerTokenPer10s: args.trutoPerTokenPer10s },
    })
  : undefined;
const truto = new TrutoClient({
  baseUrl: args.baseUrl,
  apiKey: args.apiKey,
  ...(governor ? { gate: trutoGate(governor, args.apiKey) } : {}),
});

const report: ChildReport = { pid: process.pid, ok: {}, seen429: {}, parked: 0, errors: 0, reserveMs: [], observeMs: [] };
const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
const parkedUntil = new Map<string, number>();
let next = args.processIndex; // processes start at different accounts so they don't move in lockstep

/** The next account not parked in this process, or the ms until one is free. */
function pick(): string | number {
  let soonest = Infinity;
  for (let i = 0; i < args.accounts.length; i++) {
    const account = args.accounts[(next + i) % args.accounts.length]!;
    const until = parkedUntil.get(account) ?? 0;
    if (until <= Date.now()) {
      next = (next + i + 1) % args.accounts.length;
      return account;
    }
    soonest = Math.min(soonest, until - Date.now());
  }
  return soonest;
}

async function callOnce(account: string): Promise<void> {
  const callIds = args.callIds[account] ?? [];
  const id = callIds[Math.floor(Math.random() * callIds.length)];
  for (let attempt = 1; Date.now() < args.endAtMs; attempt++) {
    try {
      await truto.callTool(account, 'get_single_gong_call_by_id', { id });
      bump(report.ok, account);
      return;
    } catch (err) {
      if (err instanceof RateLimitWaitError) {
        // Governed, long wait: free the slot and come back when the slot enters the horizon.
        report.parked += 1;
        parkedUntil.set(account, Math.max(parkedUntil.get(account) ?? 0, Date.now() + err.retryAfterMs));
        return;
      }
      if (!(err instanceof TrutoRateLimitError)) {
        report.errors += 1;
        return;
      }
      bump(report.seen429, account);
      if (governor) {
        // The gate has already learned the block; a worker would delay the job by the reset.
        parkedUntil.set(account, Date.now() + (err.resetMs ?? 1000));
        return;
      }
      const backoffMs = Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await sleep(Math.min(err.resetMs ?? backoffMs, args.endAtMs - Date.now()));
    }
  }
}

async function slot(): Promise<void> {
  while (Date.now() < args.endAtMs) {
    const picked = pick();
    if (typeof picked === 'number') {
      await sleep(Math.min(picked, args.endAtMs - Date.now()));
      continue;
    }
    await callOnce(picked);
  }
}

// Tool discovery is per process and cached: do it, and warm the HTTP pool and code paths on an
// unmeasured account (a cold first request can leave ~100 ms late), then say ready and wait.
await Promise.all(args.accounts.map((a) => truto.listTools(a)));
const warm = new TrutoClient({ baseUrl: args.baseUrl, apiKey: args.apiKey });
const listed = await warm.callTool(args.warmupAccount, 'list_all_gong_calls', { limit: 5 }).catch(() => undefined);
const warmIds = ((listed?.body as { result?: { id: string }[] } | undefined)?.result ?? []).map((c) => c.id);
await Promise.all(
  Array.from({ length: args.concurrency }, (_, i) =>
    warm.callTool(args.warmupAccount, 'get_single_gong_call_by_id', { id: warmIds[i % Math.max(1, warmIds.length)] ?? 'x' }).catch(() => undefined),
  ),
);
process.stdout.write('ready\n');
const go = await new Promise<string>((resolve) => {
  let buf = '';
  process.stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
  });
});
Object.assign(args, JSON.parse(go) as Pick<ChildArgs, 'startAtMs' | 'endAtMs'>);
process.stdin.destroy();
await sleep(args.startAtMs - Date.now());
await Promise.all(Array.from({ length: args.concurrency }, () => slot()));
if (governor) {
  report.reserveMs = governor.reserveMs;
  report.observeMs = governor.observeMs;
}
process.stdout.write(`${JSON.stringify(report)}\n`);
await redis?.quit();
