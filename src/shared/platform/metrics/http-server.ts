/**
 * A worker's small HTTP endpoint for orchestrators and Prometheus: `GET /metrics` (text exposition)
 * and `GET /healthz` (200 while serving, 503 while stopping or when Redis does not answer), on
 * node:http so a worker needs no web framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Health {
  ok: boolean;
  /** Short reasons, e.g. ['stopping'] or ['redis: Connection is closed.']. */
  problems: string[];
  [detail: string]: unknown;
}

export interface MetricsServerOptions {
  registry: Registry;
  /** Answers /healthz. */
  health: () => Promise<Health>;
  /** Port; 0 picks a free one. Required. */
  port: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    const reply = async () => {
      if (path === '/metrics') {
        const body = await opts.registry.metrics();
        res.writeHead(200, { 'content-type': opts.registry.contentType }).end(body);
      } else if (path === '/healthz') {
        const h = await opts.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
      }
    };
    reply().catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${err.message}\n`);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
