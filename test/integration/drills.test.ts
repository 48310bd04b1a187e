/**
 * The Redis-restart drill as a test: a private redis-server with AOF is killed mid-run and
 * restarted; the run must complete with every call in the report. (The kill -9 drill takes
 * minutes and runs as `bench/drills/kill-workers.ts`; see docs/reliability.md.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redisRestartDrill } from '../../bench/drills/redis-restart.ts';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasRedisServer) console.warn('drills test skipped: no redis-server on PATH for a private AOF instance');

describe('drills', () => {
  it.skipIf(!hasRedisServer)('a run completes after Redis is killed and restarted from its AOF', async () => {
    const r = await redisRestartDrill({ calls: 20, downMs: 2_000 });
    expect(r.summarizedBeforeRestart).toBeGreaterThan(0);
    expect(r.summarizedBeforeRestart).toBeLessThan(r.calls); // Redis really went away mid-run
    expect(r.missing).toBe(0);
    expect(r.pass).toBe(true);
    // Generous: a limit on how long a hung drill may take, not a performance target.
  }, 240_000);
});
