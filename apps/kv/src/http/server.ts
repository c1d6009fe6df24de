import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleKvRoute, type KvRouteOptions } from './kv-routes.js';
import { sendError, sendJson, sendText } from './responses.js';

/** An extra route: return `true` when it handled the request. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions extends KvRouteOptions {
  readonly host: string;
  readonly port: number;
  /** Prometheus exposition text for `GET /metrics`. */
  readonly metrics: () => Promise<string>;
  /** Routes tried after the API's own (the dashboard, demo controls). */
  readonly extraRoutes?: readonly Route[];
}

/** A running HTTP API. */
export interface RunningHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:8001`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the KV HTTP API: `/v1/kv/*`, `/v1/status`, `/metrics`, then any extra routes. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    void route(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal', { detail: (error as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  // The KV routes, which every read and write takes, need only the path and the query string; a
  // WHATWG URL parse costs more than the rest of the routing, so it is left to the other routes.
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (await handleKvRoute(req, res, path, queryAt < 0 ? '' : target.slice(queryAt + 1), options)) return;
  const url = new URL(target, 'http://localhost');
  if (url.pathname === '/v1/status' && req.method === 'GET') {
    sendJson(res, 200, options.service.status());
    return;
  }
  if (url.pathname === '/metrics' && req.method === 'GET') {
    sendText(res, 200, await options.metrics(), 'text/plain; version=0.0.4; charset=utf-8');
    return;
  }
  for (const extra of options.extraRoutes ?? []) if (await extra(req, res, url)) return;
  sendError(res, 404, 'no_such_route', { detail: `${req.method} ${url.pathname} is not part of the API` });
}
