import type { Storage, Transport } from '@raft/core';
import { RaftNode } from '@raft/log';
import type { Logger } from 'pino';
import type { KvOptions } from '../config/options.js';
import { memberRoutes } from '../http/member-routes.js';
import { startHttpServer } from '../http/server.js';
import { snapshotRoute } from '../http/snapshot-route.js';
import { KvStateMachine, type AppliedCommand } from '../kv/kv-state-machine.js';
import { RaftKvService } from '../kv/raft-kv-service.js';
import { KvStore } from '../kv/store.js';
import { KvMetrics } from '../observability/metrics.js';
import { createTransport, openStorage } from './adapters.js';
import { demoRoutes } from './demo-routes.js';
import { FaultSwitch } from './fault-switch.js';
import { RecentLog } from './recent-log.js';

/** A running `raft-kv` node: its Raft node and its HTTP API. */
export interface RunningKvNode {
  /** Base URL of the HTTP API. */
  readonly url: string;
  readonly node: RaftNode<AppliedCommand>;
  /** The KV operations the HTTP API serves (e.g. `status()`, as `GET /v1/status` answers). */
  readonly service: RaftKvService;
  /** Stops the HTTP API, then the Raft node (which closes transport and storage). */
  stop(): Promise<void>;
}

/** Times every durable write into the fsync histogram. */
function timed(storage: Storage, metrics: KvMetrics): Storage {
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (property === 'save') {
        return async (update: Parameters<Storage['save']>[0]) => {
          const done = metrics.fsyncDuration.startTimer();
          try {
            await target.save(update);
          } finally {
            done();
          }
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * What a program embedding raft-kv nodes provides itself instead of what `options` names: e.g. the
 * endpoints of one in-process `MemoryNetwork` for `--transport memory`.
 */
export interface ProvidedAdapters {
  readonly transport?: Transport;
  readonly storage?: Storage;
}

/** Builds and starts one `raft-kv` node from validated options. */
export async function startKvNode(options: KvOptions, logger: Logger, provided: ProvidedAdapters = {}): Promise<RunningKvNode> {
  const store = new KvStore();
  const metrics = new KvMetrics();
  const recent = new RecentLog(200);
  const faults = new FaultSwitch(provided.transport ?? (await createTransport(options, (message) => logger.warn(message))));
  const node = new RaftNode<AppliedCommand>({
    id: options.id,
    peers: options.peers,
    join: options.join,
    snapshotEntries: options.snapshotEntries,
    transport: faults,
    storage: timed(provided.storage ?? (await openStorage(options)), metrics),
    stateMachine: new KvStateMachine(store),
    tickMs: options.tickMs,
    electionTicks: options.electionTicks,
    heartbeatTicks: options.heartbeatTicks,
    readOnly: options.readMode,
    proposalTimeoutMs: options.requestTimeoutMs,
    readTimeoutMs: options.requestTimeoutMs,
  });
  node.committed$.subscribe((entry) => recent.add(entry));
  let role = '';
  node.status$.subscribe((status) => {
    metrics.observeStatus({ role: status.role, term: status.term, leader: status.leader, commitIndex: status.commit, appliedIndex: status.applied });
    if (status.role !== role) logger.info({ role: status.role, term: status.term, leader: status.leader }, `now ${status.role}`);
    role = status.role;
  });
  await node.start();
  const service = new RaftKvService(node, store, metrics);
  const http = await startHttpServer({
    host: options.listen.host,
    port: options.listen.port,
    service,
    selfId: options.id,
    httpAddressOf: (id) => options.members.get(id)?.http,
    maxBodyBytes: options.maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs,
    metrics: () => metrics.render(),
    extraRoutes: [
      snapshotRoute(() => node.snapshot()),
      memberRoutes({ service, selfId: options.id, httpAddressOf: (id) => options.members.get(id)?.http, requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.demo ? [demoRoutes(faults, recent)] : []),
    ],
  });
  logger.info({ url: http.url, transport: options.transport, storage: options.storage, dataDir: options.dataDir, readMode: options.readMode }, 'raft-kv node listening');
  return {
    url: http.url,
    node,
    service,
    async stop() {
      await http.close();
      await node.stop();
    },
  };
}
