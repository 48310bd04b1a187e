import { defineConfig } from 'vitest/config';

/**
 * Tests that measure request timing against Gong's sliding-second limit (0 429s, at most 3 requests
 * in any second). The sandbox that measures arrivals runs in the test process, so on a loaded
 * two-core machine an event-loop stall there bunches arrivals that were sent well spaced. They run
 * after everything else, one file at a time, so the measurement is of the governor, not of the load.
 */
const TIMING = [
  'test/integration/ask-rate-limit.test.ts',
  'test/integration/governor-e2e.test.ts',
  'test/integration/governor-multiprocess.test.ts',
  'test/integration/governor-late-send.test.ts',
];

export default defineConfig({
  test: {
    // Integration tests start sandboxes, private redis-servers and worker processes; two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: TIMING, fileParallelism: true, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
