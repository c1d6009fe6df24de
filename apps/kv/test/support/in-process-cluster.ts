import { RaftNode } from '@raft/log';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { snapshotRoute } from '../../src/http/snapshot-route.js';
import { KvStateMachine, type AppliedCommand } from '../../src/kv/kv-state-machine.js';
import { RaftKvService } from '../../src/kv/raft-kv-service.js';
import { KvStore } from '../../src/kv/store.js';

/** One member: its Raft node and its HTTP API. */
export interface InProcessMember {
  readonly id: number;
  readonly node: RaftNode<AppliedCommand>;
  readonly http: RunningHttpServer;
}

/**
 * A KV cluster inside the test process: real Raft nodes over an in-memory network, each with its
 * real HTTP API on a free loopback port.
 */
export class InProcessKvCluster {
  readonly network = new MemoryNetwork();
  readonly members: InProcessMember[] = [];
  private readonly urls = new Map<number, string>();

  static async start(size: number, maxBodyBytes = 64 * 1024): Promise<InProcessKvCluster> {
    const cluster = new InProcessKvCluster();
    const ids = Array.from({ length: size }, (_, i) => i + 1);
    for (const id of ids) {
      const store = new KvStore();
      const node = new RaftNode<AppliedCommand>({
        id,
        peers: ids,
        transport: cluster.network.endpoint(id),
        storage: new MemoryStorage(),
        stateMachine: new KvStateMachine(store),
        tickMs: 5,
        electionTicks: 10,
      });
      await node.start();
      const http = await startHttpServer({
        host: '127.0.0.1',
        port: 0,
        service: new RaftKvService(node, store),
        selfId: id,
        httpAddressOf: (other) => cluster.urls.get(other),
        maxBodyBytes,
        requestTimeoutMs: 3_000,
        metrics: async () => '',
        extraRoutes: [snapshotRoute(() => node.snapshot())],
      });
      cluster.urls.set(id, http.url);
      cluster.members.push({ id, node, http });
    }
    return cluster;
  }

  /** Waits until a leader is known to every member; returns it. */
  async leader(timeoutMs = 10_000): Promise<InProcessMember> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const statuses = this.members.map((m) => m.node.currentStatus);
      const leader = statuses.find((s) => s.role === 'leader');
      if (leader && statuses.every((s) => s.leader === leader.id && s.term === leader.term)) return this.members.find((m) => m.id === leader.id)!;
      if (performance.now() > deadline) throw new Error(`no agreed leader within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  follower(leader: InProcessMember): InProcessMember {
    return this.members.find((m) => m.id !== leader.id)!;
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map(async (m) => {
      await m.http.close();
      await m.node.stop();
    }));
  }
}
