/**
 * The in-process Gong v2 API: routes a GongRequest to its handler after the scope check and turns
 * every failure into Gong's `{requestId, errors:[string]}` body. Pure (no I/O); the sandbox's HTTP
 * server wraps it.
 */
import type { GongApi, GongRequest, GongResponse } from '../types.ts';
import type { WorldCall } from '../world/types.ts';
import type { World } from '../world/world.ts';
import { getBrief } from './briefs.ts';
import { callsExtensive } from './calls-extensive.ts';
import { callTranscripts, getCall, listCalls } from './calls.ts';
import { createCrmStore, crmHandlers } from './crm.ts';
import { errorBody, GongHttpError, newRequestId, type Handler } from './http.ts';
import { aggregateByPeriod, answeredScorecards, coaching } from './stats.ts';
import { listTasks, updateTask } from './tasks.ts';
import { getUser, listUsers, listWorkspaces, usersExtensive } from './users.ts';

export interface GongApiOptions {
  /** How long an uploaded CRM file takes to go PENDING → IN_PROGRESS → DONE/FAILED. Default 3000. */
  crmProcessingMs?: number;
  /** Clock for CRM processing, task updates and late transcripts (ms since epoch). Default `Date.now`. */
  clock?: () => number;
  /**
   * Read on every request: calls that ended less than `minutes` ago are still being processed, so
   * their transcript is empty (`shape: 'empty'`, the spec's one entry per call) or left out
   * (`'omit'`). Default `{minutes: 0, shape: 'empty'}`: every transcript is ready.
   */
  lateTranscripts?: () => LateTranscripts;
}

export interface LateTranscripts {
  /** A call's transcript stays empty for this long after the call ended. 0 = off. */
  minutes: number;
  shape: 'empty' | 'omit';
}

interface Route {
  method: GongRequest['method'];
  pattern: RegExp;
  /** Names of the capture groups of `pattern`, in order. */
  params: string[];
  scope: string;
  handler: Handler;
}

function route(method: Route['method'], path: string, scope: string, handler: Handler): Route {
  const params: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  })}/?$`);
  return { method, pattern, params, scope, handler };
}

export function createGongApi(world: World, opts: GongApiOptions = {}): GongApi {
  const clock = opts.clock ?? Date.now;
  const crm = crmHandlers(createCrmStore(), opts.crmProcessingMs ?? 3000);
  const late = opts.lateTranscripts ?? ((): LateTranscripts => ({ minutes: 0, shape: 'empty' }));
  const routes: Route[] = [
    route('GET', '/v2/calls', 'api:calls:read:basic', listCalls),
    route('POST', '/v2/calls/extensive', 'api:calls:read:extensive', callsExtensive),
    route('POST', '/v2/calls/transcript', 'api:calls:read:transcript', callTranscripts),
    route('GET', '/v2/calls/{id}', 'api:calls:read:basic', getCall),
    route('GET', '/v2/users', 'api:users:read', listUsers),
    route('POST', '/v2/users/extensive', 'api:users:read', usersExtensive),
    route('GET', '/v2/users/{id}', 'api:users:read', getUser),
    route('GET', '/v2/workspaces', 'api:workspaces:read', listWorkspaces),
    route('POST', '/v2/stats/activity/aggregate-by-period', 'api:stats:user-actions', aggregateByPeriod),
    route('POST', '/v2/stats/activity/scorecards', 'api:stats:scorecards', answeredScorecards),
    route('GET', '/v2/coaching', 'api:coaching:read', coaching),
    route('GET', '/v2/crm/integrations', 'api:crm:integrations:read', crm['listIntegrations']!),
    route('POST', '/v2/crm/entities', 'api:crm:upload', crm['uploadEntities']!),
    route('GET', '/v2/crm/request-status', 'api:crm:upload', crm['requestStatus']!),
    route('GET', '/v2/crm/entities', 'api:crm:get-objects', crm['getEntities']!),
    route('POST', '/v2/tasks', 'api:tasks:read', listTasks),
    route('PATCH', '/v2/tasks/{taskId}', 'api:tasks:write', updateTask),
    route('GET', '/v2/entities/get-brief', 'api:ai-briefer:read', getBrief),
  ];

  return {
    handle(req: GongRequest): GongResponse {
      const clockMs = clock();
      const requestId = newRequestId(clockMs);
      const account = world.account(req.accountId);
      if (!account) return errorBody(requestId, 401, 'Access denied: unknown account');
      const path = req.path.split('?')[0] ?? req.path;
      let methodMismatch = false;
      for (const r of routes) {
        const m = r.pattern.exec(path);
        if (!m) continue;
        if (r.method !== req.method) {
          methodMismatch = true;
          continue;
        }
        if (!account.info.scopes.includes(r.scope)) {
          return errorBody(requestId, 403, `Access denied: the token is missing scope ${r.scope}`);
        }
        const params: Record<string, string> = {};
        r.params.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
        const { minutes, shape } = late();
        const transcriptPending = (call: WorldCall): boolean =>
          minutes > 0 && clockMs - (call.startedMs + call.durationSec * 1000) < minutes * 60_000;
        try {
          return r.handler({ req, world, account, requestId, clockMs, params, transcriptPending, pendingTranscripts: shape });
        } catch (err) {
          if (err instanceof GongHttpError) return errorBody(requestId, err.status, err.message, err.headers);
          return errorBody(requestId, 500, 'Failed to complete the operation due to an unexpected error');
        }
      }
      if (methodMismatch) return errorBody(requestId, 405, `Request method '${req.method}' is not supported`);
      return errorBody(requestId, 404, `No endpoint ${req.method} ${path}`);
    },
  };
}
