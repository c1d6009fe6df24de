import { afterEach } from 'vitest';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { merge, filter, firstValueFrom, startWith, throwError, timeout, type Observable } from 'rxjs';
import { RaftNode, Role, type Entry, type LogPosition, type NodeId, type RaftNodeOptions, type Transport } from '../../src/index.js';
import { ProbedStorage } from './probed-storage.js';

/** Commands in these tests are 4-byte big-endian numbers, so histories compare as number arrays. */
export function command(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

export function commandValue(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
}

/**
 * A state machine that records what it applied; `apply` resolves with the entry's position, so a
 * proposer learns where its command landed.
 */
export class RecordingStateMachine {
  readonly values: number[] = [];
  readonly positions: LogPosition[] = [];

  apply(data: Uint8Array, position: LogPosition): LogPosition {
    this.values.push(commandValue(data));
    this.positions.push({ index: position.index, term: position.term });
    return { index: position.index, term: position.term };
  }
}

/**
 * A {@link RecordingStateMachine} that can also snapshot and restore its values, so that its node
 * compacts its log and can be caught up from a snapshot.
 */
export class SnapshottingStateMachine extends RecordingStateMachine {
  snapshots = 0;
  restores = 0;

  snapshot(): Uint8Array {
    this.snapshots++;
    return new TextEncoder().encode(JSON.stringify(this.values));
  }

  async restore(data: AsyncIterable<Uint8Array>): Promise<void> {
    this.restores++;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of data) text += decoder.decode(chunk, { stream: true });
    this.values.splice(0, this.values.length, ...(JSON.parse(text + decoder.decode()) as number[]));
    this.positions.length = 0;
  }
}

/** How a {@link TestCluster} node is started. */
export interface StartOptions {
  /** Join the running cluster (made of the ids it was started with) instead of founding it. */
  readonly join?: boolean;
}

/** One node of a {@link TestCluster}, with everything it applied and emitted in this incarnation. */
export interface Member {
  readonly id: NodeId;
  readonly node: RaftNode<LogPosition>;
  readonly stateMachine: RecordingStateMachine | SnapshottingStateMachine;
  /** Every entry `committed$` emitted, from the start of this incarnation (replay included). */
  readonly committed: Entry[];
  readonly storage: ProbedStorage;
}

export type ClusterOptions = Partial<
  Omit<RaftNodeOptions<LogPosition>, 'id' | 'peers' | 'transport' | 'storage' | 'stateMachine' | 'join'>
> & {
  /** Give every node a state machine with snapshot() and restore(). */
  readonly snapshots?: boolean;
  /** Makes each node's state machine (instead of the one `snapshots` picks). */
  readonly stateMachine?: (id: NodeId) => SnapshottingStateMachine;
  /** Wraps each node's network endpoint, e.g. to watch or drop some messages. */
  readonly transport?: (id: NodeId, endpoint: Transport) => Transport;
};

/** Deadline of every wait in the tests: generous, since two test files share two cores. */
export const WAIT_MS = 10_000;

/** Clusters started and not yet stopped, for {@link stopClustersAfterEach}. */
const liveClusters = new Set<TestCluster>();

/** Stops, after each test of the calling suite, every cluster the test started and left running. */
export function stopClustersAfterEach(): void {
  afterEach(async () => {
    await Promise.all([...liveClusters].map((cluster) => cluster.stop()));
  });
}

/**
 * A cluster of real {@link RaftNode}s in one process over a `MemoryNetwork` and `MemoryStorage`,
 * with real timers at a small tick. Nodes can be stopped and restarted from their storage.
 */
export class TestCluster {
  readonly network = new MemoryNetwork();
  readonly members = new Map<NodeId, Member>();
  private readonly storages = new Map<NodeId, MemoryStorage>();
  private constructor(
    readonly ids: readonly NodeId[],
    private readonly options: ClusterOptions,
  ) {}

  static async start(size: number, options: ClusterOptions = {}): Promise<TestCluster> {
    const ids = Array.from({ length: size }, (_, i) => i + 1);
    const cluster = new TestCluster(ids, { tickMs: 5, electionTicks: 10, heartbeatTicks: 1, ...options });
    liveClusters.add(cluster);
    await Promise.all(ids.map((id) => cluster.startNode(id)));
    return cluster;
  }

  member(id: NodeId): Member {
    const member = this.members.get(id);
    if (member === undefined) throw new Error(`node ${id} is not running`);
    return member;
  }

  get running(): Member[] {
    return [...this.members.values()];
  }

  /** Starts node `id`: a fresh one, or a restart from the storage it had when it was stopped. */
  async startNode(id: NodeId, start: StartOptions = {}): Promise<Member> {
    let storage = this.storages.get(id);
    storage = storage === undefined ? new MemoryStorage() : storage.reopen();
    this.storages.set(id, storage);
    const probed = new ProbedStorage(storage);
    const { snapshots, stateMachine: makeStateMachine, transport: wrapTransport, ...options } = this.options;
    const stateMachine = makeStateMachine?.(id) ?? (snapshots ? new SnapshottingStateMachine() : new RecordingStateMachine());
    const endpoint = this.network.endpoint(id);
    const node = new RaftNode<LogPosition>({
      ...options,
      id,
      peers: this.ids,
      join: start.join ?? false,
      transport: wrapTransport?.(id, endpoint) ?? endpoint,
      storage: probed,
      stateMachine,
    });
    const member: Member = { id, node, stateMachine, committed: [], storage: probed };
    node.committed$.subscribe((entry) => member.committed.push(entry));
    await node.start();
    this.members.set(id, member);
    return member;
  }

  async stopNode(id: NodeId): Promise<void> {
    const member = this.member(id);
    this.members.delete(id);
    await member.node.stop();
  }

  async stop(): Promise<void> {
    liveClusters.delete(this);
    await Promise.all(this.running.map((member) => this.stopNode(member.id)));
  }

  /**
   * Waits until one of `among` leads and every one of them agrees on it in the same term.
   */
  async leader(among: readonly NodeId[] = [...this.members.keys()]): Promise<Member> {
    let leader: Member | undefined;
    await this.until(`a leader agreed on by nodes ${among.join(', ')}`, () => {
      const statuses = among.map((id) => this.member(id).node.currentStatus);
      const candidate = statuses.find((status) => status.role === Role.Leader);
      if (candidate === undefined) return false;
      const agreed = statuses.every((status) => status.leader === candidate.id && status.term === candidate.term);
      leader = agreed ? this.member(candidate.id) : undefined;
      return agreed;
    });
    return leader as Member;
  }

  /** Waits until every node in `ids` has applied at least `index`. */
  async applied(index: number, ids: readonly NodeId[] = [...this.members.keys()]): Promise<void> {
    await this.until(`nodes ${ids.join(', ')} to apply index ${index}`, () =>
      ids.every((id) => this.member(id).node.currentStatus.applied >= index),
    );
  }

  /**
   * Waits until `condition` holds, re-checking whenever a running node's status changes. Fails
   * loudly, naming `what`, after {@link WAIT_MS}.
   */
  async until(what: string, condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    const changes: Observable<unknown> = merge(...this.running.map((member) => member.node.status$));
    await firstValueFrom(
      changes.pipe(
        startWith(undefined),
        filter(() => condition()),
        timeout({ first: timeoutMs, with: () => throwError(() => new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)) }),
      ),
    );
  }
}
