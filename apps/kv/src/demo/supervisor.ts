import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DASHBOARD_HTML } from '../dashboard/page.js';
import { sendError, sendJson, sendText } from '../http/responses.js';
import { freePorts } from './free-ports.js';
import { nodeCommand } from './node-command.js';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  readonly nodes: number;
  readonly transport: 'zmq' | 'nats';
  readonly storage: 'file' | 'lmdb' | 'memory';
  /** Where each node keeps its data (`<dataDir>/node-<id>`) and the generated cluster file. */
  readonly dataDir: string;
  /** Dashboard port; 0 picks a free one. */
  readonly dashboardPort: number;
  /** Extra flags for every node (e.g. NATS servers). */
  readonly nodeArgs?: readonly string[];
  /** Where node output goes; defaults to discarding it. */
  readonly onNodeOutput?: (id: number, line: string) => void;
}

interface DemoNode {
  readonly id: number;
  readonly http: string;
  process: ChildProcess | undefined;
  partitioned: boolean;
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
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
  const ports = await freePorts(ids.length * 2);
  const members = Object.fromEntries(
    ids.map((id, i) => [String(id), { raft: `tcp://127.0.0.1:${ports[2 * i]}`, http: `http://127.0.0.1:${ports[2 * i + 1]}` }]),
  );
  const clusterFile = join(dataDir, 'cluster.json');
  writeFileSync(clusterFile, JSON.stringify({ members }, null, 2));
  const nodes: DemoNode[] = ids.map((id) => ({ id, http: members[String(id)]!.http, process: undefined, partitioned: false }));

  const launch = (node: DemoNode): void => {
    const args = [
      '--id', String(node.id),
      '--peers', ids.filter((p) => p !== node.id).join(','),
      '--cluster', clusterFile,
      '--transport', options.transport,
      '--storage', options.storage,
      '--data-dir', join(dataDir, `node-${node.id}`),
      '--demo',
      ...(options.nodeArgs ?? []),
    ];
    const { command, argv } = nodeCommand(args);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    node.process = child;
    node.partitioned = false;
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) if (line) options.onNodeOutput?.(node.id, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', () => {
      if (node.process === child) node.process = undefined;
    });
  };
  nodes.forEach(launch);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => sendError(res, 500, 'internal', { detail: (error as Error).message }));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' && req.method === 'GET') return sendText(res, 200, DASHBOARD_HTML, 'text/html; charset=utf-8');
    if (url.pathname === '/api/cluster' && req.method === 'GET') {
      const views = await Promise.all(nodes.map(describe));
      return sendJson(res, 200, { transport: options.transport, storage: options.storage, nodes: views });
    }
    const control = /^\/api\/nodes\/([0-9]+)\/(kill|restart|partition|heal)$/.exec(url.pathname);
    if (control && req.method === 'POST') return controlNode(res, Number(control[1]), control[2]!);
    const kv = /^\/api\/kv\/(.+)$/.exec(url.pathname);
    if (kv) return proxyKv(req, res, kv[1]!);
    sendError(res, 404, 'no_such_route');
  };

  const controlNode = async (res: ServerResponse, id: number, action: string): Promise<void> => {
    const node = nodes.find((n) => n.id === id);
    if (!node) return sendError(res, 404, 'no_such_node', { detail: `node ${id} is not part of this demo` });
    if (action === 'kill') {
      node.process?.kill('SIGKILL');
      node.process = undefined;
    } else if (action === 'restart') {
      if (node.process) return sendError(res, 409, 'already_running');
      launch(node);
    } else {
      if (!node.process) return sendError(res, 409, 'not_running', { detail: `start node ${id} before partitioning it` });
      const isolated = action === 'partition';
      const reply = await fetch(`${node.http}/v1/demo/isolate`, {
        method: 'POST',
        body: JSON.stringify({ isolated }),
        signal: AbortSignal.timeout(2_000),
      }).catch((error: Error) => error);
      if (reply instanceof Error || !reply.ok) return sendError(res, 502, 'node_unreachable', { detail: `node ${id} did not accept the partition change` });
      node.partitioned = isolated;
    }
    sendJson(res, 200, { ok: true });
  };

  const proxyKv = async (req: IncomingMessage, res: ServerResponse, key: string): Promise<void> => {
    const views = await Promise.all(nodes.map(describe));
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
    nodes: nodes.map(({ id, http }) => ({ id, http })),
    async waitForLeader(timeoutMs: number) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const statuses = (await Promise.all(nodes.map((n) => getJson(`${n.http}/v1/status`)))) as ({ role: string; leader: number; term: number; id: number } | undefined)[];
        const leader = statuses.find((st) => st?.role === 'leader');
        if (leader && statuses.every((st) => st?.leader === leader.id && st.term === leader.term)) return leader.id;
        if (performance.now() > deadline) throw new Error(`no leader agreed on by all nodes within ${timeoutMs} ms; run with --verbose to see the nodes' logs`);
        await delay(100);
      }
    },
    async stop() {
      await Promise.all(nodes.map((n) => stopProcess(n.process)));
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

async function describe(node: DemoNode) {
  const alive = node.process !== undefined;
  const view = { id: node.id, http: node.http, alive, partitioned: node.partitioned, status: undefined as undefined | { role: string; commitIndex: number }, log: [] as unknown[] };
  if (!alive) return view;
  const [status, log] = await Promise.all([getJson(`${node.http}/v1/status`), getJson(`${node.http}/v1/demo/log?tail=12`)]);
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

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
  });
}
