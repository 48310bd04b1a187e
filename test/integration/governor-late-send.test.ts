/**
 * A slot whose timer fires late (a stalled event loop) is given up and a new one booked, because a
 * late send followed by on-time sends of other processes would put four arrivals into Gong's strict
 * sliding second. Real Redis; the stall is an injected sleep that overshoots.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RateGovernor, trutoGate } from '../../src/shared/upstream/index.ts';
import { deletePrefix, testRedis, uniquePrefix } from '../helpers/redis.ts';

const redis = testRedis();
const prefix = `${uniquePrefix('late')}:gov`;
afterAll(async () => {
  await deletePrefix(redis, prefix.replace(':gov', ''));
  redis.disconnect();
});

describe('truto gate and late timers', () => {
  it('rebooks when the wait overshoots by more than the tolerance, and not otherwise', async () => {
    let overshootMs = 0;
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms + overshootMs));
    const g = new RateGovernor({ redis, prefix, sleep });
    // A generous tolerance keeps the on-time case on time even on a loaded CI machine.
    const gate = trutoGate(g, 'k-late-test', { lateToleranceMs: 150 });

    await gate.acquire({ bucket: 'acct-on-time' });
    await gate.acquire({ bucket: 'acct-on-time' }); // waits one gap, on time
    expect((await g.state('acct-on-time')).totalCalls).toBe(2);

    await gate.acquire({ bucket: 'acct-late' }); // first slot is now: no sleep, no lateness
    overshootMs = 400; // every timer now fires 400 ms late
    await gate.acquire({ bucket: 'acct-late' });
    // The second request's timer was late, so it gave its slot up and booked again (at most 3 times).
    const calls = (await g.state('acct-late')).totalCalls;
    expect(calls).toBeGreaterThan(2);
    expect(calls).toBeLessThanOrEqual(5);
  });
});
