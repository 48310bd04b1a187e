/**
 * Who may see the dashboard. On loopback it may run open (only this machine can reach it); bound
 * to anything else it needs credentials from config (basic auth user + password, or a bearer
 * token) and refuses to start without them. Configured credentials are enforced on loopback too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { BadInputError } from '../shared/platform/index.ts';

export interface DashboardCredentials {
  /** Basic-auth user; needs `password`. Default none. */
  user?: string;
  /** Basic-auth password. Default none. */
  password?: string;
  /** Bearer token (Authorization: Bearer …). Default none. */
  token?: string;
}

export type AuthPolicy = { mode: 'open' } | { mode: 'required'; basic?: { user: string; password: string }; token?: string };

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The policy for a bind address, or a BadInputError naming what is missing. */
export function authPolicy(host: string, creds: DashboardCredentials): AuthPolicy {
  if ((creds.user === undefined) !== (creds.password === undefined)) {
    throw new BadInputError('dashboard: set both DASHBOARD_USER and DASHBOARD_PASSWORD, or neither');
  }
  const basic = creds.user !== undefined && creds.password !== undefined ? { user: creds.user, password: creds.password } : undefined;
  if (basic || creds.token) return { mode: 'required', ...(basic ? { basic } : {}), ...(creds.token ? { token: creds.token } : {}) };
  if (isLoopback(host)) return { mode: 'open' };
  throw new BadInputError(
    `dashboard: refusing to bind ${host} without credentials; set DASHBOARD_USER and DASHBOARD_PASSWORD or DASHBOARD_TOKEN, or use --host 127.0.0.1`,
  );
}

/** Express middleware enforcing the policy; a browser gets a basic-auth prompt. */
export function requireAuth(policy: AuthPolicy) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (policy.mode === 'open' || isAuthorized(policy, req.headers.authorization)) return next();
    if (policy.basic) res.setHeader('www-authenticate', 'Basic realm="gong-fleet", charset="UTF-8"');
    res.status(401).type('text/plain').send('authentication required\n');
  };
}

export function isAuthorized(policy: Extract<AuthPolicy, { mode: 'required' }>, header: string | undefined): boolean {
  if (!header) return false;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (policy.token && scheme?.toLowerCase() === 'bearer') return safeEqual(value, policy.token);
  if (policy.basic && scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return false;
    // Both halves are compared, always, so the time taken says nothing about which one was wrong.
    const userOk = safeEqual(decoded.slice(0, i), policy.basic.user);
    const passwordOk = safeEqual(decoded.slice(i + 1), policy.basic.password);
    return userOk && passwordOk;
  }
  return false;
}

/** Constant-time comparison of digests, so length differences don't leak either. */
function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
