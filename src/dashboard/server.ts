/**
 * The operations dashboard: Bull Board over every queue of the catalog, the governor panel, and
 * Prometheus `/metrics` with the fleet-wide series, behind the auth policy of its bind address.
 * Read-only unless `allowWrites`: Bull Board hides its action buttons and, in case a request gets
 * through anyway, every non-GET request under the board is refused with 405.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { FairAccounting } from '../queues/fair/index.ts';
import { QUEUE_NAMES, type QueueName } from '../queues/names.ts';
import type { RateGovernor } from '../shared/upstream/index.ts';
import { createRegistry, registerProcessMetrics, silentLogger, type Logger } from '../shared/platform/index.ts';
import { authPolicy, requireAuth, type DashboardCredentials } from './auth.ts';
import { registerFleetMetrics } from './fleet-metrics.ts';
import { governorRouter } from './governor-panel.ts';

/** Where Bull Board is mounted; `/` redirects there. */
export const BOARD_PATH = '/queues';

export interface DashboardOptions {
  /** Redis connection; the caller owns it. */
  connection: Redis;
  /** Hash-tagged key prefix of the fleet, e.g. `{gong-fleet}`. */
  prefix: string;
  governor: RateGovernor;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Required whenever `host` is not loopback. Default none. */
  credentials?: DashboardCredentials;
  /** Enables Bull Board's retry/remove/clean/promote actions. Default false. */
  allowWrites?: boolean;
  /** Queues shown. Default every queue of the catalog. */
  queues?: readonly QueueName[];
  logger?: Logger;
}

export interface Dashboard {
  url: string;
  port: number;
  readOnly: boolean;
  close(): Promise<void>;
}

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const host = opts.host ?? '127.0.0.1';
  const policy = authPolicy(host, opts.credentials ?? {}); // throws before anything binds
  const readOnly = !opts.allowWrites;
  const logger = opts.logger ?? silentLogger;
  const queues = (opts.queues ?? QUEUE_NAMES).map((name) => {
    const q = new Queue(name, { connection: opts.connection, prefix: opts.prefix });
    q.on('error', (err) => logger.debug({ queue: name, err: { message: err.message } }, 'queue error'));
    return q;
  });

  const board = new ExpressAdapter();
  board.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: readOnly, allowRetries: !readOnly })),
    serverAdapter: board,
    options: {
      uiConfig: {
        boardTitle: readOnly ? 'gong-fleet (read-only)' : 'gong-fleet',
        miscLinks: [{ text: 'Governor', url: '/governor' }, { text: 'Metrics', url: '/metrics' }],
        hideDocsLink: true,
      },
    },
  });

  const registry = createRegistry({ proc: 'dashboard' });
  registerProcessMetrics(registry);
  const fairAccounting = new FairAccounting(opts.connection, opts.prefix);
  registerFleetMetrics(registry, { queues, governor: opts.governor, fairAccounting });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(requireAuth(policy));
  app.get('/', (_req, res) => res.redirect(BOARD_PATH));
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(registry.contentType).send(await registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  app.use(governorRouter({ queues, governor: opts.governor, fairAccounting }, BOARD_PATH));
  if (readOnly) {
    app.use(BOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'GET' || req.method === 'HEAD') return next();
      res.status(405).type('text/plain').send('dashboard is read-only; start it with --allow-writes to retry or remove jobs\n');
    });
  }
  app.use(BOARD_PATH, board.getRouter());
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    logger.warn({ err: { message: err.message } }, 'dashboard request failed');
    res.status(500).type('text/plain').send(`error: ${err.message}\n`);
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 3000, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    readOnly,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
