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
    // The injected sleep decides lateness, not the machine: "on time" returns at once (a loaded
    // machine could stall a real timer past any tolerance), "late" overshoots every wait by 400 ms.
    let late = false;
    const sleep = (ms: number) => (late ? new Promise<void>((r) => setTimeout(r, ms + 400)) : Promise.resolve());
    const g = new RateGovernor({ redis, prefix, sleep });
    const gate = trutoGate(g, 'k-late-test', { lateToleranceMs: 150 });

    await gate.acquire({ bucket: 'acct-on-time' });
    await gate.acquire({ bucket: 'acct-on-time' }); // waits one gap, on time
    expect((await g.state('acct-on-time')).totalCalls).toBe(2);

    await gate.acquire({ bucket: 'acct-late' }); // first slot is now: no sleep, no lateness
    late = true; // every timer now fires 400 ms late
    await gate.acquire({ bucket: 'acct-late' });
    // The second request's timer fired 400 ms late, so it gave that slot up and booked again; by
    // then the account's next slot is already due (no wait, so nothing to be late for): 3 bookings.
    expect((await g.state('acct-late')).totalCalls).toBe(3);
  });
});
