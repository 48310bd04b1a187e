/**
 * The sweep's HTML page in headless Chromium: a one-manager sweep on the sandbox, written to disk,
 * opened from file:// with the network cut off. The charts must render (non-blank screenshots,
 * one bar per rep and series) and the page must make no request at all.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSweep } from '../../src/producers/wait.ts';
import { launchSweep } from '../../src/queues/flows.ts';
import { planSweep } from '../../src/shared/domain/index.ts';
import type { SweepReport } from '../../src/reports/sweep-model.ts';
import { writeSweepReport, type SweepPaths } from '../../src/reports/sweep-write.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { jobs } from '../../src/workers/jobs.ts';
import { startWorkers } from '../../src/workers/start-workers.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('sweep-html: no chromium binary (apt-get install -y chromium); skipping the browser test');

describe.skipIf(!CHROMIUM)('sweep HTML report renders in headless Chromium', () => {
  let fleet: TestFleet;
  let workers: { close(ms?: number): Promise<void> };
  let browser: Browser;
  let dir: string;
  let report: SweepReport;
  let paths: SweepPaths;

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'swhtml' });
    workers = startWorkers({ connection: fleet.redis, prefix: fleet.prefix, jobs, services: fleet.services, logger: silentLogger, concurrency: 4 });
    const account = fleet.sandbox.world.accountIdOf('coaching');
    const plan = await planSweep(fleet.services, { accountId: account, manager: 'Mike Brennan' });
    report = await waitForSweep(fleet.services, await launchSweep(fleet.services, plan), { timeoutMs: 60_000 });
    dir = await mkdtemp(join(tmpdir(), 'sweep-html-'));
    paths = await writeSweepReport(report, dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workers?.close(5_000);
    await fleet?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws the charts offline: bars per rep, flags marked, non-blank pixels', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(paths.html).href);
    expect(requests).toEqual([]);
    const m = report.managers[0]!;
    expect(await page.locator('#headline').textContent()).toBe(report.headline);
    expect(await page.locator('svg.chart').count()).toBe(4);
    const activityBars = page.locator('svg.chart-activity rect.bar');
    expect(await activityBars.count()).toBe(m.reps.length * 2);
    const hosted = await page.locator('svg.chart-activity rect.bar[data-series="Calls hosted"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(hosted).toEqual(m.reps.map((r) => r.callsHosted));
    const widths = await activityBars.evaluateAll((els) => els.map((e) => (e as unknown as { getBBox(): { width: number } }).getBBox().width));
    expect(widths.filter((w) => w > 0).length).toBeGreaterThan(m.reps.length);
    expect(await page.locator('#flagged tr[data-user-id]').count()).toBe(m.totals.flaggedReps);
    expect(m.totals.flaggedReps).toBeGreaterThan(0); // Mike's team always has neglected new hires

    const chart = await page.locator('svg.chart-activity').screenshot();
    await page.setContent('<html><body style="margin:0;background:#fff"><div style="width:640px;height:200px"></div></body></html>');
    const blank = await page.locator('div').screenshot();
    expect(chart.length).toBeGreaterThan(blank.length * 3);
    await page.close();
  });
});
