/**
 * Fleet-wide metrics read from Redis at scrape time: jobs by queue and state; per governor bucket
 * (one per Gong account, Truto token and LLM model) the upstream requests, 429s, time spent
 * waiting for a slot, calls today and blocked-until; and fair sharing's counters per account (jobs
 * waiting or running, jobs finished, its share of the last minutes' work). Every process reads the
 * same numbers, so scrape them from one place (the dashboard), or aggregate with max(), never sum().
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { sharesByAccount } from '../queues/fair/index.ts';
import { DEFAULT_SHARE_WINDOW_MINUTES, JOB_STATES, readFleetState, splitBucket, type FleetSnapshot, type FleetStateSources } from './fleet-state.ts';

/** One Redis read serves every metric of a scrape. */
const SNAPSHOT_REUSE_MS = 1_000;

export function registerFleetMetrics(registry: Registry, src: FleetStateSources): void {
  let last: { at: number; snap: Promise<FleetSnapshot> } | undefined;
  const snapshot = (): Promise<FleetSnapshot> => {
    const now = Date.now();
    if (!last || now - last.at > SNAPSHOT_REUSE_MS) last = { at: now, snap: readFleetState(src) };
    return last.snap;
  };
  const bucketLabels = ['kind', 'bucket'] as const;
  // Counters whose value lives in Redis: reset and re-add the stored total on every scrape.
  const storedCounter = (name: string, help: string, pick: (b: FleetSnapshot['buckets'][number]) => number) =>
    new Counter({
      name,
      help,
      labelNames: bucketLabels,
      registers: [registry],
      async collect() {
        const snap = await snapshot();
        this.reset();
        for (const b of snap.buckets) {
          this.inc(bucketLabelsOf(b.bucket), pick(b));
        }
      },
    });

  new Gauge({
    name: 'gong_fleet_queue_jobs',
    help: 'Jobs in each queue by BullMQ state, fleet-wide.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      this.reset();
      for (const q of snap.queues) for (const s of JOB_STATES) this.set({ queue: q.name, state: s }, q.counts[s]);
    },
  });
  storedCounter('gong_fleet_upstream_requests_total', 'Requests the governor let through, per bucket (account = Gong company via Truto).', (b) => b.totalCalls);
  storedCounter('gong_fleet_upstream_429_total', '429 responses seen, per bucket.', (b) => b.rateLimited429s);
  storedCounter('gong_fleet_governor_wait_seconds_total', 'Time callers were told to wait for a slot, per bucket.', (b) => b.totalWaitMs / 1000);
  // Gauges per bucket; `pick` returns null for buckets the gauge does not apply to.
  const storedGauge = (name: string, help: string, pick: (b: FleetSnapshot['buckets'][number], atMs: number) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: bucketLabels,
      registers: [registry],
      async collect() {
        const snap = await snapshot();
        this.reset();
        for (const b of snap.buckets) {
          const value = pick(b, snap.atMs);
          if (value !== null) this.set(bucketLabelsOf(b.bucket), value);
        }
      },
    });
  storedGauge('gong_fleet_governor_calls_today', "Calls today against the bucket's daily budget (Gong: 10,000 per company by default).", (b) =>
    b.dailyLimit !== null ? b.callsToday : null,
  );
  storedGauge('gong_fleet_governor_daily_budget_left', "Calls left in the bucket's daily budget.", (b) => b.dailyBudgetLeft);
  storedGauge(
    'gong_fleet_governor_blocked_seconds',
    'Seconds until a bucket blocked by a 429 or ratelimit-reset may send again (0 = not blocked).',
    (b, atMs) => (b.blockedUntilMs ? Math.max(0, (b.blockedUntilMs - atMs) / 1000) : 0),
  );
  registerFairShareMetrics(registry, snapshot);
}

/** Fair sharing per account: what waits, what got done (rate() it for shares), and the recent share. */
function registerFairShareMetrics(registry: Registry, snapshot: () => Promise<FleetSnapshot>): void {
  const labelNames = ['queue', 'lane', 'account'] as const;
  new Gauge({
    name: 'gong_fleet_fair_jobs_pending',
    help: 'Jobs enqueued and not finished yet (waiting, delayed or running), per queue, lane and account. Approximate; exact again when a queue drains.',
    labelNames,
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      this.reset();
      for (const p of snap.fair.pending) this.set({ queue: p.queue, lane: p.lane, account: p.accountId }, p.count);
    },
  });
  new Counter({
    name: 'gong_fleet_fair_jobs_finished_total',
    help: 'Jobs completed or failed for good, per queue, lane and account (a share of work: rate(x) / ignoring(account) sum(rate(x))).',
    labelNames,
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      this.reset();
      for (const f of snap.fair.finishedTotal) this.inc({ queue: f.queue, lane: f.lane, account: f.accountId }, f.count);
    },
  });
  new Gauge({
    name: 'gong_fleet_fair_share_recent',
    help: `Share (0-1) of all jobs the fleet finished in the last ${DEFAULT_SHARE_WINDOW_MINUTES} minutes that were the account's.`,
    labelNames: ['account'],
    registers: [registry],
    async collect() {
      const snap = await snapshot();
      this.reset();
      for (const a of sharesByAccount(snap.fair)) this.set({ account: a.accountId }, a.share);
    },
  });
}

function bucketLabelsOf(bucket: string): { kind: string; bucket: string } {
  const { kind, id } = splitBucket(bucket);
  return { kind, bucket: id };
}
