import {
  EntryType,
  MessageType,
  RawNode,
  Role,
  seededRandom,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type PersistedState,
  type Ready,
  type SnapshotMeta,
} from '@raft/core';
import { NodeFailedError, NodeStoppedError } from './errors.js';
import { Mailbox, TICK } from './mailbox.js';
import type { ResolvedOptions } from './options.js';
import { ProposalTracker } from './proposals.js';
import { ReadTracker } from './reads.js';
import { SnapshotReceiver } from './snapshot-receiver.js';
import { SnapshotSender } from './snapshot-sender.js';
import { installSnapshot, restoreSnapshot, takeSnapshot } from './snapshots.js';
import { TickClock } from './tick-clock.js';

/** What the driver tells its {@link RaftNode} about. */
export interface DriverHooks {
  /** `entry` committed and was applied; called in log order, exactly once per entry. */
  committed(entry: Entry): void;
  /** Role, term, leader, commit or applied index may have changed. */
  progressed(state: DriverView): void;
}

/** The node's state as far as the application cares. */
export interface DriverView {
  readonly role: Role;
  readonly term: number;
  readonly leader: NodeId;
  readonly commit: number;
  readonly applied: number;
  /** The cluster configuration as of the applied index. */
  readonly conf: ConfState;
}

/** An action on the core requested from outside the loop, run between two Readies. */
interface Control {
  run(): void;
  reject(error: unknown): void;
}

/**
 * The single serialized loop that drives the core: the only code that touches the {@link RawNode}.
 *
 * Each turn it feeds the core everything that arrived (messages and timer ticks in arrival order,
 * then the queued proposals as one batch, then one ReadIndex for the queued reads), and if the core has
 * a Ready it handles it in the order `ready.ts` prescribes — persist, send, apply, serve reads —
 * before calling `advance`. Nothing reaches the core while a Ready is being handled: inputs wait in
 * the {@link Mailbox} and the trackers, which is also where the next batch accumulates.
 *
 * Backpressure: committed entries are applied (awaiting the state machine) inside the turn, so the
 * core hands out no more committed entries until the current ones are applied, and a slow state
 * machine throttles the node rather than growing a queue. Proposals are bounded separately by the
 * {@link ProposalTracker}.
 */
export class Driver<R> {
  readonly proposals: ProposalTracker<R>;
  readonly reads: ReadTracker;
  private readonly mailbox = new Mailbox();
  private readonly core: RawNode;
  private controls: Control[] = [];
  private readonly unreachable = new Set<NodeId>();
  /** Snapshot transfers that ended, installed (true) or not (false), since the last turn, to report to the core. */
  private readonly snapshotsSent = new Map<NodeId, boolean>();
  /** Streams snapshots to followers in pieces (leader side). */
  private readonly snapshotSender: SnapshotSender;
  /** Assembles snapshots sent in pieces (follower side). */
  private readonly snapshotReceiver: SnapshotReceiver;
  /** An error met outside the loop (by a snapshot transfer) that the loop must stop on. */
  private failure: Error | undefined;
  /** Index of the latest snapshot, local or installed. */
  private snapshotIndex: number;
  /** Term of the entry at `applied`. */
  private appliedTerm: number;
  /** A commit-only hard state the core did not ask to sync: written with the next save. */
  private unsyncedHardState: HardState | undefined;
  private stopping = false;
  private role: Role = Role.Follower;
  private term = 0;
  private leader: NodeId = 0;
  private commit = 0;
  private applied: number;
  /** Callers of `snapshot()` waiting for the next turn. */
  private snapshotWaiters: { resolve(meta: SnapshotMeta | undefined): void; reject(error: unknown): void }[] = [];
  /** While this node leads: its ticks, counted on the monotonic clock instead of the timer's. */
  private leaderClock: TickClock | undefined;
  /** Ticks since unconfirmed reads were last asked again. */
  private ticksSinceReadRetry = 0;
  private conf: ConfState;

  constructor(
    private readonly options: ResolvedOptions<R>,
    persisted: PersistedState,
    private readonly hooks: DriverHooks,
  ) {
    this.proposals = new ProposalTracker<R>({
      maxEntries: options.maxUncommittedEntries,
      maxBytes: options.maxUncommittedBytes,
      timeoutMs: options.proposalTimeoutMs,
    });
    this.reads = new ReadTracker(options.readTimeoutMs);
    this.core = new RawNode(
      {
        id: options.id,
        electionTicks: options.electionTicks,
        heartbeatTicks: options.heartbeatTicks,
        random: seededRandom(options.seed),
        preVote: options.preVote,
        checkQuorum: options.checkQuorum,
        readOnly: options.readOnly,
        maxMessageBytes: options.maxMessageBytes,
        maxInflight: options.maxInflight,
      },
      persisted,
      bootstrapConf(options.voters),
    );
    // Entries up to the snapshot are in the state machine's snapshot; the rest will be replayed.
    this.applied = persisted.snapshot?.index ?? 0;
    this.appliedTerm = persisted.snapshot?.term ?? 0;
    this.snapshotIndex = this.applied;
    this.conf = this.core.status().conf;
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.mailbox.wake();
    };
    this.snapshotSender = new SnapshotSender({
      id: options.id,
      storage: options.storage,
      transport: options.transport,
      chunkBytes: options.snapshotChunkBytes,
      retryTicks: options.electionTicks,
      finished: (peer, ok) => {
        this.snapshotsSent.set(peer, ok);
        this.mailbox.wake();
      },
      failed: fail,
    });
    this.snapshotReceiver = new SnapshotReceiver({ id: options.id, storage: options.storage, transport: options.transport, failed: fail });
    this.observeCore();
  }

  /** The latest role, term, leader, commit and applied index. */
  get state(): DriverView {
    return { role: this.role, term: this.term, leader: this.leader, commit: this.commit, applied: this.applied, conf: this.conf };
  }

  /** Transport handler: queue a message for the core. */
  readonly deliver = (message: Message): void => this.mailbox.push(message);

  /** Accepts a command; see {@link RaftNode.propose}. */
  propose(command: Uint8Array): Promise<R> {
    const result = this.proposals.submit(command);
    this.mailbox.wake();
    return result;
  }

  /** Starts a read barrier; see {@link RaftNode.read}. */
  read(): Promise<number> {
    const result = this.reads.submit(performance.now());
    this.mailbox.wake();
    return result;
  }

  /**
   * Proposes a membership change; resolves once it is applied here (it is then in force on this
   * node). Rejects like a proposal: definite failures when refused, an unknown outcome on timeout.
   */
  changeMembership(change: ConfChange): Promise<void> {
    return this.control((core) => this.proposals.track(core.proposeConfChange(change), performance.now())).then(() => undefined);
  }

  /** Runs `action` on the core between two Readies; resolves with its result. */
  control<T>(action: (core: RawNode, state: DriverView) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.controls.push({ run: () => resolve(action(this.core, this.state)), reject });
      this.mailbox.wake();
    });
  }

  /**
   * Runs the loop until {@link Driver.stop} is called; rejects (ending the loop) on any error it
   * must not continue past: a failed storage write, a throwing state machine, a core fault.
   */
  async run(): Promise<void> {
    const ticker = setInterval(() => this.mailbox.push(TICK), this.options.tickMs);
    try {
      while (!this.stopping) {
        this.feed();
        if (this.failure !== undefined) throw this.failure;
        // Not while an assembled snapshot awaits the core's Ready: that Ready settles it first.
        if (this.snapshotWaiters.length > 0 && !this.snapshotReceiver.assembled) await this.snapshotOnRequest();
        if (!this.core.hasReady()) {
          // A snapshot assembled and stepped that the core did not even answer is not wanted.
          await this.snapshotReceiver.settle(undefined);
          await this.mailbox.wait();
          continue;
        }
        const ready = this.core.ready();
        await this.handle(ready);
        this.core.advance(ready);
        this.reads.release(this.applied);
        await this.maybeSnapshot();
        this.observeCore();
      }
    } finally {
      clearInterval(ticker);
      this.mailbox.close();
      this.snapshotSender.close();
      await this.snapshotReceiver.close();
    }
  }

  /** Ends the loop after the Ready in progress, if any, is fully handled. */
  stop(): void {
    this.stopping = true;
    this.mailbox.close();
  }

  /**
   * Answers everything still pending once the loop has ended: proposals and reads (see
   * {@link ProposalTracker.abort}) and controls.
   */
  abort(cause: Error | undefined): void {
    this.proposals.abort(cause);
    this.reads.abort(cause);
    for (const control of this.controls) control.reject(new NodeStoppedError({ cause }));
    this.controls = [];
    for (const waiter of this.snapshotWaiters) waiter.reject(new NodeStoppedError({ cause }));
    this.snapshotWaiters = [];
  }

  /** Writes the commit index the core did not ask to sync, so a restart replays up to it. */
  async flush(): Promise<void> {
    const hardState = this.unsyncedHardState;
    if (hardState === undefined) return;
    this.unsyncedHardState = undefined;
    await this.save({ hardState });
  }

  private feed(): void {
    const now = performance.now();
    const leaderTicks = this.leaderClock?.due(now) ?? 0;
    let ticks = 0;
    // Reads forwarded by followers, held back until the leader's clock has caught up (below).
    const forwardedReads: Message[] = [];
    for (const arrival of this.mailbox.take()) {
      if (arrival === TICK) {
        if (this.leaderClock !== undefined) continue;
        this.tick();
        ticks++;
      } else if (leaderTicks > 0 && arrival.type === MessageType.ReadIndex) {
        forwardedReads.push(arrival);
      } else if (arrival.type === MessageType.Snap && arrival.chunk !== undefined) {
        const whole = this.snapshotReceiver.receive(arrival, this.core.status());
        if (whole !== undefined) this.core.step(whole);
      } else if (arrival.type === MessageType.SnapResp) {
        this.snapshotSender.acknowledged(arrival);
      } else {
        this.core.step(arrival);
      }
    }
    // A leader's ticks come from the clock (see TickClock): after the messages that arrived
    // meanwhile, so that check-quorum counts the followers that answered during a stall, and before
    // any read, so that a leader that was stopped or starved knows its lease ran out.
    if (leaderTicks > 0 && this.core.status().role === Role.Leader) {
      for (let i = 0; i < leaderTicks; i++) this.tick();
      ticks += leaderTicks;
    }
    for (const read of forwardedReads) this.core.step(read);
    if (ticks > 0) {
      this.proposals.expire(now);
      this.reads.expire(now);
      // A read request lost with a message or a leader change is asked again after an election timeout.
      if (this.ticksSinceReadRetry >= this.options.electionTicks) {
        this.ticksSinceReadRetry = 0;
        this.reads.retryUnconfirmed();
      }
    }
    for (const peer of this.unreachable) this.core.reportUnreachable(peer);
    this.unreachable.clear();
    for (const [peer, sent] of this.snapshotsSent) this.core.reportSnapshot(peer, sent);
    this.snapshotsSent.clear();
    const controls = this.controls;
    if (controls.length > 0) {
      this.controls = [];
      for (const control of controls) {
        try {
          control.run();
        } catch (error) {
          control.reject(error);
        }
      }
    }
    this.proposals.proposeQueued((data) => this.core.propose(data), now);
    const context = this.reads.startBatch();
    if (context !== undefined) {
      try {
        this.core.readIndex(context);
      } catch (error) {
        // A refused read changed nothing, so it fails alone, whatever the reason; the node goes on.
        this.reads.failBatch(context, error);
      }
    }
    this.observeCore();
  }

  private tick(): void {
    this.core.tick();
    this.snapshotSender.tick();
    this.ticksSinceReadRetry++;
  }

  /** Handles one Ready in the order `ready.ts` prescribes. */
  private async handle(ready: Ready): Promise<void> {
    // A snapshot assembled from pieces is already streaming into storage: this commits it.
    const assembled = await this.snapshotReceiver.settle(ready.snapshot);
    if (ready.snapshot !== undefined && !assembled) await this.write(() => installSnapshot(this.options.storage, ready.snapshot!));
    // A leader may replicate its new entries while writing them itself (Raft thesis §10.2.1): they
    // count towards commitment on the leader only after `advance`, i.e. once they are durable here.
    const sendAppendsEarly = this.role === Role.Leader;
    if (sendAppendsEarly) {
      for (const message of ready.messages) if (message.type === MessageType.App) this.send(message);
    }
    // Committed entries below the first new entry were made durable by an earlier turn, so they
    // are applied now rather than after this turn's fsync: on a busy leader the acknowledgement that
    // commits a batch arrives while the next batch is being written, and waiting for that write too
    // would add a whole fsync to every write's latency. The rest wait for the write as before:
    // entries this Ready itself persists (a follower may be told they are committed), and anything
    // from the first configuration change on, which is in force only once `advance` has run.
    let committed = ready.committedEntries;
    if (ready.snapshot === undefined && committed.length > 0) {
      const firstNew = ready.entries[0]?.index ?? Infinity;
      let early = 0;
      while (early < committed.length && committed[early]!.index < firstNew && committed[early]!.type === EntryType.Normal) early++;
      if (early > 0) {
        await this.apply(early === committed.length ? committed : committed.slice(0, early));
        committed = committed.slice(early);
      }
    }
    await this.persist(ready);
    for (const message of ready.messages) {
      if (sendAppendsEarly && message.type === MessageType.App) continue;
      if (message.type === MessageType.Snap) this.snapshotSender.start(message);
      else this.send(message);
    }
    if (ready.snapshot !== undefined) {
      await restoreSnapshot(this.options.stateMachine, ready.snapshot, assembled ? this.options.storage : undefined);
      this.applied = ready.snapshot.meta.index;
      this.appliedTerm = ready.snapshot.meta.term;
      this.snapshotIndex = this.applied;
    }
    if (committed.length > 0) await this.apply(committed);
    for (const state of ready.readStates) this.reads.confirm(state);
  }

  private async persist(ready: Ready): Promise<void> {
    const hasEntries = ready.entries.length > 0;
    if (!hasEntries && ready.hardState === undefined) return;
    if (!hasEntries && !ready.mustSync) {
      // Only the commit index moved. Losing it in a crash is harmless (the leader re-sends it), so
      // it rides along with the next write instead of costing an fsync of its own.
      this.unsyncedHardState = ready.hardState;
      return;
    }
    const hardState = ready.hardState ?? this.unsyncedHardState;
    this.unsyncedHardState = undefined;
    await this.save(hasEntries ? { entries: ready.entries, hardState } : { hardState });
  }

  private save(update: { entries?: readonly Entry[]; hardState?: HardState | undefined }): Promise<void> {
    return this.write(() => this.options.storage.save(update));
  }

  /**
   * Runs a storage write; a failure stops the node (see NodeFailedError). A snapshot still being
   * assembled is abandoned first: the storage takes one write at a time.
   */
  private async write(operation: () => Promise<void>): Promise<void> {
    await this.snapshotReceiver.abort();
    try {
      await operation();
    } catch (error) {
      throw new NodeFailedError(
        'a storage write failed, so the node stopped rather than continue with a log it cannot trust ' +
          '(see cause); fix the storage (disk full? permissions?) and restart the node: it recovers ' +
          'from what was durably written',
        { cause: error },
      );
    }
  }

  /** Applies committed entries strictly in order, awaiting the state machine when it is async. */
  private async apply(entries: readonly Entry[]): Promise<void> {
    const stateMachine = this.options.stateMachine;
    for (const entry of entries) {
      let result: R | undefined;
      if (entry.type === EntryType.Normal && entry.data.byteLength > 0) {
        try {
          const applied = stateMachine.apply(entry.data, entry);
          result = isPromiseLike(applied) ? await applied : applied;
        } catch (error) {
          throw new NodeFailedError(
            `the state machine threw while applying entry ${entry.index} (term ${entry.term}); the node ` +
              'stopped because skipping a committed entry would make replicas diverge. Make apply() ' +
              'deterministic and report invalid commands in its result instead of throwing',
            { cause: error },
          );
        }
      }
      this.applied = entry.index;
      this.appliedTerm = entry.term;
      this.hooks.committed(entry);
      this.proposals.committed(entry, result);
    }
  }

  /**
   * Snapshots the state machine once `snapshotEntries` were applied since the last snapshot, then
   * compacts the log behind it (in the core's memory and in storage).
   */
  private async maybeSnapshot(): Promise<void> {
    const every = this.options.snapshotEntries;
    if (every === 0 || this.applied - this.snapshotIndex < every) return;
    await this.snapshotApplied();
  }

  /** Takes the snapshots `snapshot()` asked for (one covers every waiter). */
  private async snapshotOnRequest(): Promise<void> {
    const waiters = this.snapshotWaiters;
    this.snapshotWaiters = [];
    if (this.options.stateMachine.snapshot === undefined) {
      const error = new Error('the state machine has no snapshot() method; give it snapshot() and restore() to take snapshots');
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const meta = this.applied > this.snapshotIndex ? await this.snapshotApplied() : undefined;
    for (const waiter of waiters) waiter.resolve(meta);
  }

  /** Snapshots the state machine at the applied index and compacts the log behind it. */
  private async snapshotApplied(): Promise<SnapshotMeta> {
    const meta = { index: this.applied, term: this.appliedTerm, conf: this.core.status().conf };
    const { storage, stateMachine } = this.options;
    await this.write(() => takeSnapshot(storage, stateMachine, meta));
    this.core.compact(meta);
    await this.write(() => storage.compact(meta.index));
    this.snapshotIndex = meta.index;
    return meta;
  }

  /** Asks for a snapshot at the applied index at the next turn; see {@link RaftNode.snapshot}. */
  snapshot(): Promise<SnapshotMeta | undefined> {
    return new Promise((resolve, reject) => {
      this.snapshotWaiters.push({ resolve, reject });
      this.mailbox.wake();
    });
  }

  private send(message: Message): void {
    if (!this.options.transport.send(message)) {
      this.unreachable.add(message.to);
      this.mailbox.wake();
    }
  }

  /** Refreshes role, term, leader and commit from the core, and lets the node publish the change. */
  private observeCore(): void {
    const status = this.core.status();
    this.role = status.role;
    this.term = status.term;
    this.leader = status.leader;
    this.commit = status.commit;
    this.conf = status.conf;
    // An election timeout of ticks at once expires the lease (see TickClock).
    if (status.role !== Role.Leader) this.leaderClock = undefined;
    else this.leaderClock ??= new TickClock(this.options.tickMs, this.options.electionTicks, performance.now());
    this.snapshotSender.reconcile(status);
    this.snapshotReceiver.reconcile(status);
    this.hooks.progressed(this.state);
  }
}

/** The configuration a brand-new cluster starts with: every initial voter, nothing else. */
function bootstrapConf(voters: readonly NodeId[]): ConfState {
  return { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
