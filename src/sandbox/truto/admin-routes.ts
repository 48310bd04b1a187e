/**
 * The sandbox's own control routes under `/_sandbox/` (no auth: they exist only for tests and
 * benchmarks): health, stats, fault settings, rate-limit reset, forced 429s on one account,
 * growing an account's calls (optionally calls that just ended), late transcripts, revoking a
 * scope from an account's live token, and the Truto profile being played.
 */
import { FaultOptionsSchema, type FaultOptions } from '../faults.ts';
import { handleAgentAdmin, type AgentControl } from '../llm/agent/admin-routes.ts';
import type { LateTranscripts } from '../gong/api.ts';
import type { SandboxAccountInfo } from '../types.ts';
import { trutoError, type HttpReply } from './envelope.ts';

export interface SandboxControl {
  accounts(): readonly SandboxAccountInfo[];
  /** `endedSecondsAgo`: the calls ended that long ago (by the sandbox clock) instead of 3-72 h ago. */
  addCalls(accountId: string, count: number, endedSecondsAgo?: number): string[] | Promise<string[]>;
  stats(): unknown;
  resetStats(): void;
  faults(): FaultOptions;
  setFaults(f: FaultOptions): void;
  resetLimits(): void;
  /** See `Sandbox.force429`. */
  force429(accountId: string, resetSeconds: number, count?: number): void;
  uptimeMs(): number;
  lateTranscripts(): LateTranscripts;
  setLateTranscripts(l: LateTranscripts): void;
  /** See `Sandbox.revokeScope`. */
  revokeScope(accountId: string, scope: string): void;
  /** The Truto profile being played (tools, argStyle, bodies, rateHeaders, listUnscopedTools). */
  profile(): unknown;
  /** The model's tool-calling controls under `/_sandbox/agent` (see llm/agent/admin-routes.ts). */
  agent?: AgentControl;
}

/** Most calls one admin request may add: generation is lazy, but ids and metadata are not. */
const MAX_ADDED_CALLS = 10_000;

/** Longest forced 429 period: a day, Gong's longest (daily quota) reset. */
const MAX_FORCED_SECONDS = 86_400;

/** Longest late-transcript delay, and how long ago an added call may have ended: a week. */
const MAX_LATE_MINUTES = 7 * 24 * 60;
const MAX_ENDED_SECONDS = 7 * 86_400;

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
  if (route === 'GET /_sandbox/profile') return ok({ profile: control.profile() });
  if (route === 'GET /_sandbox/late-transcripts') return ok(control.lateTranscripts());
  if (route === 'POST /_sandbox/late-transcripts') {
    const { minutes, shape } = (body ?? {}) as { minutes?: unknown; shape?: unknown };
    if (typeof minutes !== 'number' || !(minutes >= 0) || minutes > MAX_LATE_MINUTES) {
      return trutoError(400, `minutes must be a number from 0 to ${MAX_LATE_MINUTES}`);
    }
    if (shape !== undefined && shape !== 'empty' && shape !== 'omit') return trutoError(400, 'shape must be "empty" or "omit"');
    control.setLateTranscripts({ minutes, shape: shape ?? control.lateTranscripts().shape });
    return ok(control.lateTranscripts());
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
    const { count, endedSecondsAgo } = (body ?? {}) as { count?: unknown; endedSecondsAgo?: unknown };
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_ADDED_CALLS) {
      return trutoError(400, `count must be an integer from 1 to ${MAX_ADDED_CALLS}`);
    }
    if (endedSecondsAgo !== undefined && (typeof endedSecondsAgo !== 'number' || !(endedSecondsAgo >= 0) || endedSecondsAgo > MAX_ENDED_SECONDS)) {
      return trutoError(400, `endedSecondsAgo must be a number from 0 to ${MAX_ENDED_SECONDS}`);
    }
    const callIds = await control.addCalls(accountId, count, endedSecondsAgo);
    return ok({ callIds });
  }
  const revoke = /^POST \/_sandbox\/accounts\/([^/]+)\/revoke-scope$/.exec(route);
  if (revoke?.[1]) {
    const accountId = decodeURIComponent(revoke[1]);
    if (!control.accounts().some((a) => a.id === accountId)) {
      return trutoError(404, `Integrated account ${accountId} not found`);
    }
    const scope = (body as { scope?: unknown } | null | undefined)?.scope;
    if (typeof scope !== 'string' || scope === '') return trutoError(400, 'scope must be a Gong scope, e.g. api:calls:read:transcript');
    control.revokeScope(accountId, scope);
    return ok({ ok: true, accountId, scope });
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
