import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_HTML } from '../dashboard/page.js';
import { sendError, sendJson, sendText } from '../http/responses.js';
import { LocalKvCluster } from '../local-cluster/local-cluster.js';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  readonly nodes: number;
  /** `zmq`, `nats`, or the path of a built transport module, as the local cluster takes it. */
  readonly transport: string;
  readonly storage: 'file' | 'level' | 'lmdb' | 'memory';
  /** Where each node keeps its data (`<dataDir>/node-<id>`) and the generated cluster file. */
  readonly dataDir: string;
  /** Dashboard port; 0 picks a free one. */
  readonly dashboardPort: number;
  /** Extra flags for every node (e.g. NATS servers). */
  readonly nodeArgs?: readonly string[];
  /** Where node output goes; defaults to discarding it. */
  readonly onNodeOutput?: (id: number, line: string) => void;
}

/** A running demo cluster and its dashboard. */
export interface RunningDemo {
  readonly dashboardUrl: string;
  readonly nodes: readonly { readonly id: number; readonly http: string }[];
  /** Resolves with the leader's id once every running node agrees on one; rejects after `timeoutMs`. */
  waitForLeader(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts a local cluster of `raft-kv` processes on loopback plus the dashboard that watches and
 * disturbs it. Ports are picked free and written to a cluster file, so several demos can coexist.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const cluster = await LocalKvCluster.start({
    nodes: options.nodes,
    transport: options.transport,
    storage: options.storage,
    dataDir: options.dataDir,
    nodeArgs: options.nodeArgs ?? [],
    ...(options.onNodeOutput && { onNodeOutput: options.onNodeOutput }),
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => sendError(res, 500, 'internal', { detail: (error as Error).message }));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' && req.method === 'GET') return sendText(res, 200, DASHBOARD_HTML, 'text/html; charset=utf-8');
    if (url.pathname === '/api/cluster' && req.method === 'GET') {
      const views = await Promise.all(cluster.members.map(({ id }) => describe(cluster, id)));
      return sendJson(res, 200, { transport: options.transport, storage: options.storage, nodes: views });
    }
    const control = /^\/api\/nodes\/([0-9]+)\/(kill|restart|partition|heal)$/.exec(url.pathname);
    if (control && req.method === 'POST') return controlNode(res, Number(control[1]), control[2]!);
    const kv = /^\/api\/kv\/(.+)$/.exec(url.pathname);
    if (kv) return proxyKv(req, res, kv[1]!);
    sendError(res, 404, 'no_such_route');
  };

  const controlNode = async (res: ServerResponse, id: number, action: string): Promise<void> => {
    if (!cluster.members.some((m) => m.id === id)) return sendError(res, 404, 'no_such_node', { detail: `node ${id} is not part of this demo` });
    if (action === 'kill') {
      await cluster.kill(id);
    } else if (action === 'restart') {
      if (cluster.isRunning(id)) return sendError(res, 409, 'already_running');
      // The dashboard shows the node coming up; the request need not wait for it.
      cluster.restart(id).catch(() => {});
    } else {
      if (!cluster.isRunning(id)) return sendError(res, 409, 'not_running', { detail: `start node ${id} before partitioning it` });
      const refused = await cluster.network(id, { isolated: action === 'partition' }).then(() => undefined, (error: Error) => error);
      if (refused) return sendError(res, 502, 'node_unreachable', { detail: refused.message });
    }
    sendJson(res, 200, { ok: true });
  };

  const proxyKv = async (req: IncomingMessage, res: ServerResponse, key: string): Promise<void> => {
    const views = await Promise.all(cluster.members.map(({ id }) => describe(cluster, id)));
    const target = views.find((v) => v.status?.role === 'leader' && !v.partitioned) ?? views.find((v) => v.alive && !v.partitioned);
    if (!target) return sendError(res, 503, 'unavailable', { detail: 'no node is running' });
    const body = req.method === 'PUT' ? await readAll(req) : undefined;
    const reply = await fetch(`${target.http}/v1/kv/${key}`, { method: req.method ?? 'GET', body, signal: AbortSignal.timeout(5_000) }).catch(
      (error: Error) => error,
    );
    if (reply instanceof Error) return sendError(res, 504, 'timeout', { detail: reply.message });
    sendText(res, reply.status, await reply.text(), reply.headers.get('content-type') ?? 'text/plain');
  };

  await new Promise<void>((done) => server.listen(options.dashboardPort, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    dashboardUrl: `http://127.0.0.1:${port}/`,
    nodes: cluster.members,
    waitForLeader: (timeoutMs) => cluster.waitForLeader(timeoutMs),
    async stop() {
      await cluster.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

async function describe(cluster: LocalKvCluster, id: number) {
  const http = cluster.httpOf(id);
  const alive = cluster.isRunning(id);
  const partitioned = cluster.networkOf(id).isolated === true;
  const view = { id, http, alive, partitioned, status: undefined as undefined | { role: string; commitIndex: number }, log: [] as unknown[] };
  if (!alive) return view;
  const [status, log] = await Promise.all([getJson(`${http}/v1/status`), getJson(`${http}/v1/demo/log?tail=12`)]);
  view.status = status as typeof view.status;
  view.log = Array.isArray(log) ? log : [];
  return view;
}

async function getJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(400) });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
