/**
 * Scenario d: what the governor costs a call when nothing has to wait: the Lua reserve (two
 * buckets, account and token, as every Truto call does) and the observe after the response, each
 * one Redis round trip. Distinct accounts, and a token limit nobody reaches, so every reserve is
 * granted at once and only the machinery is timed.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateGovernor } from '../../src/shared/upstream/index.ts';
import { deleteKeysUnder } from '../../src/shared/platform/index.ts';

export interface OverheadResult {
  calls: number;
  parallel: number;
  reserveSequentialMs: number[];
  reserveParallelMs: number[];
  observeMs: number[];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Reserves `calls` slots one at a time, then `calls` more with `parallel` in flight. */
export async function measureOverhead(redis: Redis, calls = 2000, parallel = 8): Promise<OverheadResult> {
  const tag = `{gf-bench-ovh-${randomBytes(4).toString('hex')}}`;
  const governor = new RateGovernor({ redis, prefix: `${tag}:gov`, truto: { trutoPerTokenPer10s: 1_000_000_000 } });
  const token = 'bench-token-hash';
  const ok = { status: 200, headers: { 'ratelimit-limit': '50;w=10', 'ratelimit-remaining': '42', 'ratelimit-reset': '10' } };
  try {
    for (let i = 0; i < 200; i++) await governor.reserveTruto(`warm-${i}`, token); // script cache, connection
    const reserveSequentialMs: number[] = [];
    const observeMs: number[] = [];
    for (let i = 0; i < calls; i++) {
      reserveSequentialMs.push(await timed(() => governor.reserveTruto(`seq-${i}`, token)));
      observeMs.push(await timed(() => governor.observeTruto(`seq-${i}`, ok)));
    }
    const reserveParallelMs: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < calls) {
          const i = next++;
          reserveParallelMs.push(await timed(() => governor.reserveTruto(`par-${i}`, token)));
        }
      }),
    );
    return { calls, parallel, reserveSequentialMs, reserveParallelMs, observeMs };
  } finally {
    await deleteKeysUnder(redis, tag);
  }
}
