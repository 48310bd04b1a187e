/**
 * The dashboard on a real Redis: auth policy (open on loopback, refused off loopback without
 * credentials, 401 without them when configured), the governor panel, fleet /metrics, the
 * read-only guard, and Bull Board itself driven in headless Chromium.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPolicy, startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';
import { startTestFleet, type TestFleet } from '../helpers/fleet.ts';

const CHROMIUM = '/usr/bin/chromium';
const USER = 'ops';
const PASSWORD = 'correct-horse-battery';
const WRITE_ACTIONS = /retry|remove|clean|promote|pause|add job|duplicate|empty/i;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('dashboard', () => {
  let fleet: TestFleet;
  let readOnly: Dashboard;
  let writable: Dashboard;
  const jobId = 'dash-visible-job-1';

  beforeAll(async () => {
    fleet = await startTestFleet({ label: 'dash' });
    // A job nobody serves (no workers here) stays waiting, so the board has something to show.
    await fleet.services.queues.enqueue('truto-tool', { accountId: fleet.accountId, tool: 'list_all_gong_users' }, { jobId });
    await fleet.services.governor.reserveTruto(fleet.accountId, 'tokenhash');
    const common = { connection: fleet.redis, prefix: fleet.prefix, governor: fleet.services.governor, port: 0 };
    readOnly = await startDashboard({ ...common, credentials: { user: USER, password: PASSWORD } });
    writable = await startDashboard({ ...common, allowWrites: true, credentials: { token: 'a-bearer-token-of-length' } });
  });

  afterAll(async () => {
    await readOnly?.close();
    await writable?.close();
    await fleet?.close();
  });

  it('refuses to bind off loopback without credentials, before binding anything', async () => {
    expect(() => authPolicy('0.0.0.0', {})).toThrow(BadInputError);
    expect(() => authPolicy('10.1.2.3', { user: 'x' })).toThrow(/both DASHBOARD_USER and DASHBOARD_PASSWORD/);
    expect(authPolicy('127.0.0.1', {})).toEqual({ mode: 'open' });
    expect(authPolicy('0.0.0.0', { token: 't'.repeat(20) }).mode).toBe('required');
    await expect(
      startDashboard({ connection: fleet.redis, prefix: fleet.prefix, governor: fleet.services.governor, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/refusing to bind 0\.0\.0\.0 without credentials/);
  });

  it('requires the configured credentials, and only those', async () => {
    expect((await fetch(`${readOnly.url}/queues`)).status).toBe(401);
    expect((await fetch(`${readOnly.url}/queues`, { headers: { authorization: basic(USER, 'wrong-password') } })).status).toBe(401);
    expect((await fetch(`${readOnly.url}/queues`, { headers: { authorization: basic(USER, PASSWORD) } })).status).toBe(200);
    expect((await fetch(`${writable.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${writable.url}/metrics`, { headers: { authorization: 'Bearer a-bearer-token-of-length' } })).status).toBe(200);
    expect((await fetch(`${readOnly.url}/healthz`)).status).toBe(200); // orchestrators probe without credentials
  });

  it('serves fleet-wide metrics and the governor panel from Redis', async () => {
    const auth = { authorization: basic(USER, PASSWORD) };
    const metrics = await (await fetch(`${readOnly.url}/metrics`, { headers: auth })).text();
    // Fair sharing gives every job a priority, so a queued job is in BullMQ's 'prioritized' state.
    expect(metrics).toMatch(/gong_fleet_queue_jobs\{queue="upstream",state="prioritized",proc="dashboard"\} 1/);
    expect(metrics).toMatch(new RegExp(`gong_fleet_upstream_requests_total\\{kind="account",bucket="${fleet.accountId}",proc="dashboard"\\} 1`));
    const panel = await (await fetch(`${readOnly.url}/governor`, { headers: auth })).text();
    expect(panel).toContain(`data-bucket="account:${fleet.accountId}"`);
    expect(panel).toMatch(/1 \/ 10000/); // calls today against Gong's daily budget
  });

  it('refuses write requests in read-only mode even when sent directly', async () => {
    const res = await fetch(`${readOnly.url}/queues/api/queues/upstream/${jobId}/remove`, {
      method: 'DELETE',
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(res.status).toBe(405);
    expect(await fleet.services.queues.queue('upstream').getJob(jobId)).toBeDefined();
  });

  it.skipIf(!existsSync(CHROMIUM))('shows queues and the job in Chromium, with no write buttons when read-only', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const denied = await browser.newContext();
      expect((await denied.request.get(`${readOnly.url}/queues`)).status()).toBe(401);
      await denied.close();

      const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
      const page = await context.newPage();
      await page.goto(`${readOnly.url}/queues`);
      for (const q of ['upstream', 'llm', 'flows', 'writes']) await page.getByText(q, { exact: true }).first().waitFor({ timeout: 15_000 });
      await page.goto(`${readOnly.url}/queues/queue/upstream?status=prioritized`);
      await page.getByText(jobId).first().waitFor({ timeout: 15_000 });
      const writeButtons = page.getByRole('button', { name: WRITE_ACTIONS });
      expect(await writeButtons.count()).toBe(0);
      const readOnlyButtons = await page.locator('button').count();
      await context.close();

      // Bull Board's job and queue actions are icon buttons (retry, promote, duplicate, remove, the
      // queue menu): with writes allowed the same page has them, so the read-only check can fail.
      const rw = await browser.newContext({ extraHTTPHeaders: { authorization: 'Bearer a-bearer-token-of-length' } });
      const rwPage = await rw.newPage();
      await rwPage.goto(`${writable.url}/queues/queue/upstream?status=prioritized`);
      await rwPage.getByText(jobId).first().waitFor({ timeout: 15_000 });
      await expect.poll(() => rwPage.locator('button').count(), { timeout: 10_000 }).toBeGreaterThan(readOnlyButtons);
      await rw.close();
    } finally {
      await browser.close();
    }
  });
});
if (!existsSync(CHROMIUM)) console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
