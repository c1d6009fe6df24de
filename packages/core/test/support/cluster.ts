import {
  EntryType,
  type MessageType,
  RawNode,
  seededRandom,
  type ConfState,
  type Entry,
  type Message,
  type NodeId,
  type NodeStatus,
  type PersistedState,
  type RaftConfig,
  type ReadState,
  type Ready,
} from '@raft/core';

/** Settings every test node shares unless a test overrides them. */
export type TestConfig = Partial<Omit<RaftConfig, 'id' | 'random'>>;

/** What a node made durable, as the runtime's storage would hold it. */
interface Disk {
  hardState: PersistedState['hardState'];
  snapshot: PersistedState['snapshot'];
  entries: Entry[];
}

/** A plain voter configuration. */
export function voters(...ids: NodeId[]): ConfState {
  return { voters: ids, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
}

/** Entries with the given terms, at indexes `first`, `first + 1`, … */
export function entriesWithTerms(terms: readonly number[], first = 1): Entry[] {
  return terms.map((term, i) => ({ term, index: first + i, type: EntryType.Normal, data: new Uint8Array(0) }));
}

export interface ClusterOptions {
  /** Member ids; default `[1, 2, 3]`. */
  readonly ids?: readonly NodeId[];
  /** Overrides of the shared test config (electionTicks 10, heartbeatTicks 1). */
  readonly config?: TestConfig;
  /** Seed of every node's PRNG (each node adds its id). */
  readonly seed?: number;
  /** Initial logs by node, as the terms of entries 1, 2, …; the hard state term is the last term. */
  readonly logs?: Readonly<Record<NodeId, readonly number[]>>;
  /** Initial current terms by node, where later than the last log term. */
  readonly terms?: Readonly<Record<NodeId, number>>;
  /** Whole initial durable states by node (snapshot and its configuration included), instead of `logs` and `terms`. */
  readonly persisted?: Readonly<Record<NodeId, PersistedState>>;
}

/**
 * A few RawNodes wired together by hand. Messages wait in a queue until {@link Cluster.deliver};
 * each node's Ready is handled as a runtime would ({@link Cluster.handleReady}): persist, queue the
 * messages, apply, advance. Links can be cut, messages dropped or held, and nodes crashed and
 * restarted from what they persisted.
 */
export class Cluster {
  readonly ids: readonly NodeId[];
  readonly conf: ConfState;
  readonly config: TestConfig;
  /** Every message that left a node, in order (whether delivered or not). */
  readonly sent: Message[] = [];
  /** Messages a test asked to hold back (see {@link Cluster.hold}), in order. */
  readonly held: Message[] = [];
  /** Entries each node's state machine applied since it (re)started. */
  readonly applied = new Map<NodeId, Entry[]>();
  /** Read states each node handed out since it (re)started. */
  readonly reads = new Map<NodeId, ReadState[]>();
  /** The Readies each node produced since it (re)started. */
  readonly readies = new Map<NodeId, Ready[]>();

  readonly #seed: number;
  readonly #nodes = new Map<NodeId, RawNode>();
  readonly #disks = new Map<NodeId, Disk>();
  readonly #restarts = new Map<NodeId, number>();
  readonly #cut = new Set<string>();
  #queue: Message[] = [];
  #drop: (m: Message) => boolean = () => false;
  #hold: (m: Message) => boolean = () => false;

  constructor(options: ClusterOptions = {}) {
    this.ids = options.ids ?? [1, 2, 3];
    this.conf = voters(...this.ids);
    this.config = { electionTicks: 10, heartbeatTicks: 1, ...options.config };
    this.#seed = options.seed ?? 1;
    for (const id of this.ids) {
      const terms = options.logs?.[id] ?? [];
      const term = options.terms?.[id] ?? (terms.length === 0 ? 0 : terms[terms.length - 1]!);
      const persisted = options.persisted?.[id];
      this.#disks.set(id, persisted ? { ...persisted, entries: [...persisted.entries] } : { hardState: { term, vote: 0, commit: 0 }, snapshot: undefined, entries: entriesWithTerms(terms) });
      this.#start(id);
    }
  }

  /** The live node `id`; throws if it is crashed. */
  node(id: NodeId): RawNode {
    const node = this.#nodes.get(id);
    if (node === undefined) throw new Error(`node ${id} is crashed; restart it first`);
    return node;
  }

  status(id: NodeId): NodeStatus {
    return this.node(id).status();
  }

  /** Terms of the entries node `id` persisted after its snapshot, in index order. */
  persistedTerms(id: NodeId): number[] {
    return this.#disks.get(id)!.entries.map((e) => e.term);
  }

  /** A copy of what node `id` persisted. */
  persisted(id: NodeId): PersistedState {
    const disk = this.#disks.get(id)!;
    return { hardState: disk.hardState, snapshot: disk.snapshot, entries: [...disk.entries] };
  }

  // ── Network faults ────────────────────────────────────────────────────────────────────────

  /** Cuts the links between `a` and each of `others`, both ways. */
  cut(a: NodeId, ...others: NodeId[]): void {
    for (const b of others) {
      this.#cut.add(`${a}>${b}`);
      this.#cut.add(`${b}>${a}`);
    }
  }

  /** Cuts every link of `id`. */
  isolate(id: NodeId): void {
    this.cut(id, ...this.ids.filter((other) => other !== id));
  }

  /** Restores every link and stops dropping and holding messages. */
  heal(): void {
    this.#cut.clear();
    this.#drop = () => false;
    this.#hold = () => false;
  }

  /** Silently drops every queued or future message matching `predicate` (until {@link Cluster.heal}). */
  drop(predicate: (m: Message) => boolean): void {
    this.#drop = predicate;
  }

  /** Keeps messages matching `predicate` in {@link Cluster.held} instead of delivering them. */
  hold(predicate: (m: Message) => boolean): void {
    this.#hold = predicate;
  }

  // ── Driving ───────────────────────────────────────────────────────────────────────────────

  /** Ticks the given live nodes (default: all) `times` times each, handling Readies as it goes. */
  tick(times = 1, ids: readonly NodeId[] = this.ids): void {
    for (let i = 0; i < times; i++) {
      for (const id of ids) if (this.#nodes.has(id)) this.node(id).tick();
      this.stabilize();
    }
  }

  /**
   * Handles node `id`'s Ready as a runtime does: persist snapshot, entries and hard state, queue
   * the messages, apply committed entries, record read states, advance.
   * @returns the Ready, or `undefined` when there was none.
   */
  handleReady(id: NodeId): Ready | undefined {
    const node = this.node(id);
    if (!node.hasReady()) return undefined;
    const ready = node.ready();
    this.#persist(id, ready, Number.POSITIVE_INFINITY);
    for (const m of ready.messages) this.sent.push(m);
    this.#queue.push(...ready.messages);
    this.readies.get(id)!.push(ready);
    this.applied.get(id)!.push(...ready.committedEntries);
    this.reads.get(id)!.push(...ready.readStates);
    node.advance(ready);
    return ready;
  }

  /**
   * Delivers every queued message once (messages they cause wait for the next call).
   * @returns how many were delivered.
   */
  deliver(): number {
    const queue = this.#queue;
    this.#queue = [];
    let delivered = 0;
    for (const m of queue) {
      if (this.#hold(m)) this.held.push(m);
      else if (this.#deliverable(m)) {
        this.node(m.to).step(m);
        delivered++;
      }
    }
    return delivered;
  }

  /** Steps one message into its recipient now, bypassing the queue and every fault. */
  stepInto(m: Message): void {
    this.node(m.to).step(m);
  }

  /** Handles Readies and delivers messages until nothing moves. */
  stabilize(): void {
    for (let round = 0; round < 10_000; round++) {
      let busy = false;
      for (const id of this.ids) if (this.#nodes.has(id) && this.handleReady(id) !== undefined) busy = true;
      if (this.deliver() > 0) busy = true;
      if (!busy && this.#queue.length === 0) return;
    }
    throw new Error('cluster did not quiesce within 10000 rounds');
  }

  /** Makes `id` campaign and runs the cluster until it settles. */
  campaign(id: NodeId): void {
    this.node(id).campaign();
    this.stabilize();
  }

  /** Campaigns `id` and checks that it became the leader. */
  elect(id: NodeId): void {
    this.campaign(id);
    const role = this.status(id).role;
    if (role !== 'leader') throw new Error(`node ${id} did not win its election (it is ${role})`);
  }

  /** Proposes a UTF-8 command on `id`. */
  propose(id: NodeId, command: string): { index: number; term: number } {
    return this.node(id).propose(new TextEncoder().encode(command));
  }

  // ── Crashes ───────────────────────────────────────────────────────────────────────────────

  /**
   * Crashes node `id`. Its pending Ready, if any, was being persisted: only its entries up to
   * `tornAfter` reached the disk (a torn write, which storage may lose since it never resolved),
   * and none of its messages left. The hard state of that Ready is lost with it.
   */
  crash(id: NodeId, tornAfter = 0): void {
    const node = this.node(id);
    if (node.hasReady()) this.#persist(id, { ...node.ready(), hardState: undefined }, tornAfter);
    this.#nodes.delete(id);
  }

  /** Rebuilds node `id` from what it persisted (crashing it first if it is live). */
  restart(id: NodeId): void {
    if (this.#nodes.has(id)) this.crash(id);
    this.#restarts.set(id, (this.#restarts.get(id) ?? 0) + 1);
    this.#start(id);
  }

  /**
   * Node `id`'s application snapshots its state at its applied index and compacts the log there.
   * @returns the snapshot's metadata.
   */
  compact(id: NodeId): { index: number; term: number } {
    const status = this.status(id);
    const disk = this.#disks.get(id)!;
    const term = disk.entries.find((e) => e.index === status.applied)!.term;
    const meta = { index: status.applied, term, conf: status.conf };
    this.node(id).compact(meta);
    disk.snapshot = meta;
    disk.entries = disk.entries.filter((e) => e.index > meta.index);
    return meta;
  }

  /** Messages sent so far of `type` from `from` to `to`. */
  sentOf(type: MessageType, from: NodeId, to: NodeId): Message[] {
    return this.sent.filter((m) => m.type === type && m.from === from && m.to === to);
  }

  #start(id: NodeId): void {
    const seed = this.#seed * 1000 + id * 10 + (this.#restarts.get(id) ?? 0);
    const config: RaftConfig = { electionTicks: 10, heartbeatTicks: 1, ...this.config, id, random: seededRandom(seed) };
    this.#nodes.set(id, new RawNode(config, this.persisted(id), this.conf));
    this.applied.set(id, []);
    this.reads.set(id, []);
    this.readies.set(id, []);
  }

  #deliverable(m: Message): boolean {
    return this.#nodes.has(m.to) && !this.#cut.has(`${m.from}>${m.to}`) && !this.#drop(m);
  }

  #persist(id: NodeId, ready: Ready, upTo: number): void {
    const disk = this.#disks.get(id)!;
    if (ready.snapshot !== undefined) {
      disk.snapshot = ready.snapshot.meta;
      disk.entries = [];
    }
    const entries = ready.entries.filter((e) => e.index <= upTo);
    if (entries.length > 0) {
      const first = entries[0]!.index;
      disk.entries = disk.entries.filter((e) => e.index < first).concat(entries);
    }
    if (ready.hardState !== undefined) disk.hardState = ready.hardState;
  }
}
