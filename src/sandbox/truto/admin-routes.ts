/**
 * The sandbox's own control routes under `/_sandbox/` (no auth: they exist only for tests and
 * benchmarks): health, stats, fault settings, rate-limit reset, forced 429s on one account, and
 * growing an account's calls.
 */
import { FaultOptionsSchema, type FaultOptions } from '../faults.ts';
import { handleAgentAdmin, type AgentControl } from '../llm/agent/admin-routes.ts';
import type { SandboxAccountInfo } from '../types.ts';
import { trutoError, type HttpReply } from './envelope.ts';

export interface SandboxControl {
  accounts(): readonly SandboxAccountInfo[];
  addCalls(accountId: string, count: number): string[] | Promise<string[]>;
  stats(): unknown;
  resetStats(): void;
  faults(): FaultOptions;
  setFaults(f: FaultOptions): void;
  resetLimits(): void;
  /** See `Sandbox.force429`. */
  force429(accountId: string, resetSeconds: number, count?: number): void;
  uptimeMs(): number;
  /** The model's tool-calling controls under `/_sandbox/agent` (see llm/agent/admin-routes.ts). */
  agent?: AgentControl;
}

/** Most calls one admin request may add: generation is lazy, but ids and metadata are not. */
const MAX_ADDED_CALLS = 10_000;

/** Longest forced 429 period: a day, Gong's longest (daily quota) reset. */
const MAX_FORCED_SECONDS = 86_400;

const ok = (body: unknown): HttpReply => ({ status: 200, headers: {}, body });

export async function handleAdmin(control: SandboxControl, method: string, path: string, body: unknown): Promise<HttpReply> {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  if (control.agent && /^\/_sandbox\/agent(\/|$)/.test(path)) return handleAgentAdmin(control.agent, method, path, body);
  if (route === 'GET /_sandbox/health') {
    return ok({ ok: true, accounts: control.accounts().length, uptimeMs: control.uptimeMs() });
  }
  if (route === 'GET /_sandbox/stats') return ok(control.stats());
  if (route === 'POST /_sandbox/stats/reset') {
    control.resetStats();
    return ok({ ok: true });
  }
  if (route === 'GET /_sandbox/faults') return ok({ faults: control.faults() });
  if (route === 'POST /_sandbox/faults') {
    const parsed = FaultOptionsSchema.safeParse(body ?? {});
    if (!parsed.success) {
      return trutoError(400, `Invalid fault options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
    }
    control.setFaults(parsed.data as FaultOptions);
    return ok({ faults: control.faults() });
  }
  if (route === 'POST /_sandbox/limits/reset') {
    control.resetLimits();
    return ok({ ok: true });
  }
  const addCalls = /^POST \/_sandbox\/accounts\/([^/]+)\/calls$/.exec(route);
  if (addCalls?.[1]) {
    const accountId = decodeURIComponent(addCalls[1]);
    if (!control.accounts().some((a) => a.id === accountId)) {
      return trutoError(404, `Integrated account ${accountId} not found`);
    }
    const count = (body as { count?: unknown } | null | undefined)?.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_ADDED_CALLS) {
      return trutoError(400, `count must be an integer from 1 to ${MAX_ADDED_CALLS}`);
    }
    const callIds = await control.addCalls(accountId, count);
    return ok({ callIds });
  }
  const force = /^POST \/_sandbox\/accounts\/([^/]+)\/force-429$/.exec(route);
  if (force?.[1]) {
    const accountId = decodeURIComponent(force[1]);
    if (!control.accounts().some((a) => a.id === accountId)) {
      return trutoError(404, `Integrated account ${accountId} not found`);
    }
    const { resetSeconds, count } = (body ?? {}) as { resetSeconds?: unknown; count?: unknown };
    if (typeof resetSeconds !== 'number' || !(resetSeconds > 0) || resetSeconds > MAX_FORCED_SECONDS) {
      return trutoError(400, `resetSeconds must be a number from 0 (exclusive) to ${MAX_FORCED_SECONDS}`);
    }
    if (count !== undefined && (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)) {
      return trutoError(400, 'count must be a positive integer when given');
    }
    control.force429(accountId, resetSeconds, count);
    return ok({ ok: true, accountId, resetSeconds, ...(count !== undefined ? { count } : {}) });
  }
  return trutoError(404, `No sandbox admin route ${route}`);
}
