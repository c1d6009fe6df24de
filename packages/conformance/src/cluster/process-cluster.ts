import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { NodeId } from '@raft/core';
import type { NodeEvent, NodeProcessConfig, NodeProcessStatus, NodeReply, NodeRequest } from './protocol.js';

/** How a {@link ProcessCluster} runs its nodes. */
export interface ProcessClusterOptions {
  /** Ids of the founding members. */
  readonly ids: readonly NodeId[];
  /** Absolute path of a module exporting `createTransport` and `createStorage` (see `ClusterAdapters`). */
  readonly adapters: string;
  /** Each node keeps its data in `<dataDir>/node-<id>`. */
  readonly dataDir: string;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Applied entries between snapshots; `0` never snapshots. Default `0`. */
  readonly snapshotEntries?: number;
  /** Receives each line a node writes to stderr (its logs). */
  readonly onLog?: (id: NodeId, line: string) => void;
}

/** A request a node process answered with an error; `name` is the error class in the node. */
export class NodeRequestError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** With `NotLeaderError`: the leader the node knows, or 0. */
    readonly leader: NodeId | undefined,
  ) {
    super(message);
  }
}

interface Running {
  readonly child: ChildProcess;
  readonly pending: Map<number, { resolve(value: unknown): void; reject(error: Error): void }>;
  readonly exited: Promise<void>;
}

const NODE_PROCESS = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './node-process.ts' : './node-process.js', import.meta.url));

/**
 * Real Raft nodes as separate OS processes (`@raft/log` over the adapters a module provides), for
 * tests that must kill a process with SIGKILL and restart it from its data directory.
 */
export class ProcessCluster {
  readonly #nodes = new Map<NodeId, Running>();
  #nextRequest = 1;

  private constructor(readonly options: ProcessClusterOptions) {}

  /** Starts every founding member and resolves once each is running. */
  static async start(options: ProcessClusterOptions): Promise<ProcessCluster> {
    const cluster = new ProcessCluster(options);
    try {
      await Promise.all(options.ids.map((id) => cluster.startNode(id)));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Ids of the nodes whose process is running. */
  get running(): NodeId[] {
    return [...this.#nodes.keys()];
  }

  /**
   * Starts node `id` (again, after a kill, from its data directory). With `join`, it starts outside
   * the configuration and waits to be added.
   * @throws Error with the node's message when it fails to start.
   */
  async startNode(id: NodeId, join = false): Promise<void> {
    if (this.#nodes.has(id)) throw new Error(`node ${id} is already running`);
    const o = this.options;
    const dataDir = nodeDir(o.dataDir, id);
    await mkdir(dataDir, { recursive: true });
    const config: NodeProcessConfig = {
      id,
      peers: o.ids,
      join,
      dataDir,
      adapters: o.adapters,
      tickMs: o.tickMs ?? 20,
      electionTicks: o.electionTicks ?? 10,
      heartbeatTicks: o.heartbeatTicks ?? 2,
      snapshotEntries: o.snapshotEntries ?? 0,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', NODE_PROCESS, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pending: Running['pending'] = new Map();
    const exited = once(child, 'exit').then(() => {
      for (const request of pending.values()) request.reject(new Error(`node ${id} exited before answering`));
      pending.clear();
      this.#nodes.delete(id);
    });
    this.#nodes.set(id, { child, pending, exited });
    createInterface({ input: child.stderr! }).on('line', (line) => o.onLog?.(id, line));
    const started = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as NodeReply | NodeEvent;
        if ('event' in message) {
          if (message.event === 'started') resolve();
          else reject(new Error(`node ${id} failed: ${message.message}`));
          return;
        }
        const request = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) request?.resolve(message.result);
        else request?.reject(new NodeRequestError(message.error.name, message.error.message, message.error.leader));
      });
      void exited.then(() => reject(new Error(`node ${id} exited while starting (exit code ${child.exitCode})`)));
    });
    await started;
  }

  /** Kills node `id`'s process (SIGKILL by default: no chance to flush anything) and waits for it to exit. */
  async kill(id: NodeId, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const node = this.#node(id);
    node.child.kill(signal);
    await node.exited;
  }

  /** Sends a request to node `id` and waits for its answer. */
  request(id: NodeId, request: DistributiveOmit<NodeRequest, 'id'>): Promise<unknown> {
    const node = this.#node(id);
    const requestId = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      node.pending.set(requestId, { resolve, reject });
      node.child.stdin!.write(`${JSON.stringify({ ...request, id: requestId })}\n`);
    });
  }

  /** Proposes `value` on node `id`; resolves with its log position once applied there. */
  propose(id: NodeId, value: number): Promise<{ index: number; term: number }> {
    return this.request(id, { op: 'propose', value }) as Promise<{ index: number; term: number }>;
  }

  status(id: NodeId): Promise<NodeProcessStatus> {
    return this.request(id, { op: 'status' }) as Promise<NodeProcessStatus>;
  }

  /** Waits until one of `among` leads and all of them agree on it in the same term; returns its id. */
  async leader(among: readonly NodeId[] = this.running, timeoutMs = 20_000): Promise<NodeId> {
    let leader: NodeId = 0;
    await this.until(`a leader agreed on by nodes ${among.join(', ')}`, timeoutMs, async () => {
      const statuses = await Promise.all(among.map((id) => this.status(id)));
      const candidate = statuses.find((s) => s.role === 'leader');
      leader = candidate !== undefined && statuses.every((s) => s.leader === candidate.id && s.term === candidate.term) ? candidate.id : 0;
      return leader !== 0;
    });
    return leader;
  }

  /**
   * Re-checks `condition` (every 50 ms) until it holds.
   * @throws Error naming `what` after `timeoutMs`.
   */
  async until(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(await condition().catch(() => false))) {
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await delay(50);
    }
  }

  /** Stops every node gracefully (closing its stdin), killing any that has not exited within 5 s. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.#nodes.values()].map(async (node) => {
        node.child.stdin!.end();
        const timer = setTimeout(() => node.child.kill('SIGKILL'), 5_000);
        await node.exited;
        clearTimeout(timer);
      }),
    );
  }

  #node(id: NodeId): Running {
    const node = this.#nodes.get(id);
    if (node === undefined) throw new Error(`node ${id} is not running`);
    return node;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function nodeDir(dataDir: string, id: NodeId): string {
  return join(dataDir, `node-${id}`);
}
