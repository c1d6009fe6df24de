import {
  ConfChangeTransition,
  ConfChangeType,
  EMPTY,
  NotLeaderError,
  ProposalDroppedError,
  type ConfChange,
  type ConfChangeSingle,
  type SnapshotMeta,
  Role,
  type Entry,
  type NodeId,
} from '@raft/core';
import { BehaviorSubject, Subject, distinctUntilChanged, filter, firstValueFrom, map, throwError, timeout, type Observable } from 'rxjs';
import { Driver, type DriverView } from './driver.js';
import { LeadershipTransferError, NodeFailedError, NodeStoppedError } from './errors.js';
import { restoreFromStorage } from './snapshots.js';
import { resolveOptions, type RaftNodeOptions, type ResolvedOptions } from './options.js';
import { sameStatus, type Lifecycle, type RaftStatus } from './status.js';

/**
 * One member of a Raft cluster: drives the consensus core with real time, a transport, a storage
 * and a state machine, and exposes the replicated log as RxJS streams.
 *
 * ```ts
 * const node = new RaftNode({ id: 1, peers: [2, 3], transport, storage, stateMachine });
 * node.committed$.subscribe((entry) => audit(entry)); // before start(), to see the replay too
 * await node.start();
 * const result = await node.propose(command); // on the leader; resolves once applied here
 * ```
 *
 * Guarantees: entries are persisted before any message that depends on them is sent; committed
 * entries are applied strictly in log order, once each per node lifetime (after a restart, the
 * committed log is replayed from storage); an uncommitted entry is never applied; a proposal never
 * rejects with a definite failure while its entry could still commit (see `errors.ts`).
 *
 * @typeParam R - what the state machine's `apply` returns, and so what `propose` resolves with.
 */
export class RaftNode<R = unknown> {
  /** This node's id. */
  readonly id: NodeId;

  /**
   * Every committed entry — commands, leader no-ops (empty `data`) and membership changes — in log
   * order, each once, emitted right after the state machine applied it. Hot: subscribe before
   * {@link RaftNode.start} to also see the entries replayed from storage. Emission is synchronous
   * inside the node's loop, which waits for each `next` to return before it goes on: a subscriber
   * that does its work synchronously is back-pressured; one that hands work off asynchronously must
   * bound its own queue (or do that work in the state machine, whose promises the node awaits).
   * Completes when the node stops.
   */
  readonly committed$: Observable<Entry>;

  /**
   * Role, term, leader, commit and applied index, and the node's lifecycle. Emits on change and
   * replays the current value to each new subscriber. A node that fails emits a last status with
   * `lifecycle: 'failed'` and the `error`; the stream completes when the node stops either way.
   */
  readonly status$: Observable<RaftStatus>;

  /** The leader this node believes in (`0` while none is known); emits on change, replays the current one. */
  readonly leader$: Observable<NodeId>;

  /**
   * Settles when the node has stopped and released its transport and storage: resolves after a
   * {@link RaftNode.stop}, rejects with a {@link NodeFailedError} if the node stopped itself
   * because it could not safely continue (a storage write failed, the state machine threw).
   */
  readonly stopped: Promise<void>;

  private readonly options: ResolvedOptions<R>;
  private readonly committed = new Subject<Entry>();
  private readonly status: BehaviorSubject<RaftStatus>;
  private lifecycle: Lifecycle = 'starting';
  private driver: Driver<R> | undefined;
  private starting: Promise<void> | undefined;
  private stopRequested = false;
  private shuttingDown: Promise<void> | undefined;
  /** Settles once the loop has ended and everything is released. */
  private loopDone: Promise<void> | undefined;
  /** The first error met while closing the transport or storage, for `stop()` to report. */
  private closeError: unknown;
  private settleStopped!: (error: Error | undefined) => void;

  /**
   * Validates `options`; starts nothing (see {@link RaftNode.start}).
   *
   * @throws {@link RaftOptionsError} naming the invalid option.
   */
  constructor(options: RaftNodeOptions<R>) {
    this.options = resolveOptions(options);
    this.id = this.options.id;
    this.status = new BehaviorSubject<RaftStatus>({
      id: this.id,
      lifecycle: 'starting',
      role: Role.Follower,
      term: 0,
      leader: 0,
      commit: 0,
      applied: 0,
      conf: { voters: this.options.voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
    });
    this.committed$ = this.committed.asObservable();
    this.status$ = this.status.asObservable();
    this.leader$ = this.status$.pipe(
      map((status) => status.leader),
      distinctUntilChanged(),
    );
    this.stopped = new Promise<void>((resolve, reject) => {
      this.settleStopped = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Observed through `stop()` and `status$` too; a caller that ignores `stopped` must not crash the process.
    this.stopped.catch(() => {});
  }

  /**
   * Loads the node's state from storage, starts the transport and the node's loop. Resolves once
   * the node is running; committed entries found in storage are then replayed to the state machine
   * and `committed$`. Call once.
   *
   * @throws {@link NodeFailedError} if the storage cannot be loaded or the transport not started
   *   (both are closed again).
   */
  start(): Promise<void> {
    this.starting ??= this.launch();
    return this.starting;
  }

  /** The current status (the value {@link RaftNode.status$} last emitted). */
  get currentStatus(): RaftStatus {
    return this.status.value;
  }

  /**
   * Replicates `command` and resolves with the state machine's result once this node applied it.
   * Only the leader accepts proposals; proposals made in the same turn of the event loop are
   * appended, persisted and replicated as one batch.
   *
   * Rejects with a definite failure (nothing will be applied): `NotLeaderError` (with the leader's
   * id as a hint), `ProposalDroppedError` (e.g. an empty command, a leadership transfer in
   * progress), {@link OverloadedError}, {@link NodeStoppedError}, {@link EntrySupersededError};
   * or with an {@link OutcomeUnknownError} (such as {@link ProposalTimeoutError}) when the entry
   * was appended and may still commit.
   */
  propose(command: Uint8Array): Promise<R> {
    if (!(command instanceof Uint8Array)) {
      return Promise.reject(new TypeError(`propose expects the command as a Uint8Array, got ${typeof command}`));
    }
    if (command.byteLength === 0) {
      return Promise.reject(
        new ProposalDroppedError('empty commands are reserved for leader no-ops; propose at least one byte'),
      );
    }
    return this.running()?.propose(command) ?? Promise.reject(new NodeStoppedError());
  }

  /**
   * A linearizable read barrier: resolves with a read index once this node's state machine has
   * applied at least that index, so a read of the local state machine made afterwards reflects
   * every write committed before `read()` was called. Works on followers (the leader confirms the
   * index). Reads in the same turn share one confirmation round.
   *
   * Rejects with `NotLeaderError` when no leader is known, {@link ReadTimeoutError} after
   * `readTimeoutMs`, or {@link NodeStoppedError}. A read changes nothing, so retrying is always safe.
   */
  read(): Promise<number> {
    return this.running()?.read() ?? Promise.reject(new NodeStoppedError());
  }

  /**
   * Changes the cluster's membership (on the leader); resolves once the change is applied on this
   * node, when the new configuration is in force here. One change at a time: a second one is
   * refused with `ProposalDroppedError` until the first is applied. With the `Auto` transition a
   * single voter change applies directly and larger ones pass through a joint configuration that
   * is left automatically (Raft thesis §4.3).
   *
   * Rejects like {@link RaftNode.propose}: `NotLeaderError`, `ProposalDroppedError` (or its
   * subclass `ConfChangeError`, saying why the change is not valid now), {@link NodeStoppedError}
   * are definite; {@link OutcomeUnknownError} means it may still take effect.
   */
  async changeMembership(change: ConfChange): Promise<void> {
    const driver = this.running();
    if (driver === undefined) throw new NodeStoppedError();
    await driver.changeMembership(change);
  }

  /**
   * Takes a snapshot of the state machine now (at the applied index) and compacts the log behind
   * it, as `snapshotEntries` does automatically. Resolves with where the snapshot sits, or
   * `undefined` when nothing was applied since the last one.
   * @throws Error when the state machine has no `snapshot()`; {@link NodeStoppedError}.
   */
  async snapshot(): Promise<SnapshotMeta | undefined> {
    const driver = this.running();
    if (driver === undefined) throw new NodeStoppedError();
    return driver.snapshot();
  }

  /** Adds `id` as a voter, or promotes the learner `id`. See {@link RaftNode.changeMembership}. */
  addVoter(id: NodeId): Promise<void> {
    return this.changeMembership(single({ type: ConfChangeType.AddVoter, node: id }));
  }

  /** Adds `id` as a learner: it receives the log but does not vote. See {@link RaftNode.changeMembership}. */
  addLearner(id: NodeId): Promise<void> {
    return this.changeMembership(single({ type: ConfChangeType.AddLearner, node: id }));
  }

  /** Removes voter or learner `id` (a removed leader steps down). See {@link RaftNode.changeMembership}. */
  removeNode(id: NodeId): Promise<void> {
    return this.changeMembership(single({ type: ConfChangeType.RemoveNode, node: id }));
  }

  /**
   * Hands leadership to `to`, which the leader first brings up to date; new proposals are refused
   * meanwhile. Resolves once this node sees `to` lead.
   *
   * @param timeoutMs - how long to wait; default two maximal election timeouts.
   * @throws `NotLeaderError` if this node is not the leader; {@link LeadershipTransferError} on
   *   timeout; {@link NodeStoppedError}.
   */
  async transferLeadership(to: NodeId, timeoutMs?: number): Promise<void> {
    const driver = this.running();
    if (driver === undefined) throw new NodeStoppedError();
    const wait = timeoutMs ?? 4 * this.options.electionTicks * this.options.tickMs;
    await driver.control((core, state) => {
      if (state.role !== Role.Leader) throw new NotLeaderError(state.leader);
      core.transferLeadership(to);
    });
    // status$ replays its current value, so a transfer that already completed is seen at once.
    const led = await firstValueFrom(
      this.status$.pipe(
        filter((status) => status.leader === to),
        timeout({ first: wait, with: () => throwError(() => new LeadershipTransferError(to, wait)) }),
      ),
      // The stream completes when the node stops before the transfer finished.
      { defaultValue: undefined },
    );
    if (led === undefined) throw new NodeStoppedError();
  }

  /**
   * Stops the node gracefully: finishes the turn in progress (so no write is torn), rejects what is
   * pending — proposals not yet appended with {@link NodeStoppedError}, appended ones with
   * {@link OutcomeUnknownError}, reads with {@link NodeStoppedError} — clears every timer and
   * closes the transport, then the storage. Idempotent; resolves once all of that is done, also
   * when the node had failed.
   *
   * @throws the error of closing the transport or storage, if one failed to close.
   */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.driver?.stop();
    if (this.starting === undefined) await this.shutdown(undefined);
    await this.starting?.catch(() => {});
    await (this.loopDone ?? this.shuttingDown);
    if (this.closeError !== undefined) throw this.closeError;
  }

  private running(): Driver<R> | undefined {
    return this.lifecycle === 'running' && !this.stopRequested ? this.driver : undefined;
  }

  private async launch(): Promise<void> {
    if (this.stopRequested) throw new NodeStoppedError();
    const { storage, transport } = this.options;
    let driver: Driver<R>;
    try {
      const persisted = await storage.load();
      await restoreFromStorage(storage, this.options.stateMachine, persisted);
      driver = new Driver(this.options, persisted, {
        committed: (entry) => this.committed.next(entry),
        progressed: (state) => this.publish(state),
      });
      this.driver = driver;
      await transport.start(driver.deliver);
    } catch (error) {
      const failure = new NodeFailedError(
        'the node could not start: loading its storage or starting its transport failed (see cause); ' +
          'fix that adapter and start a new node',
        { cause: error },
      );
      await this.shutdown(failure);
      throw failure;
    }
    this.lifecycle = 'running';
    this.publish(driver.state);
    this.loopDone = driver.run().then(
      () => this.shutdown(undefined),
      (error: unknown) => this.shutdown(error instanceof Error ? error : new NodeFailedError(String(error))),
    );
    if (this.stopRequested) driver.stop();
  }

  /** Releases everything once the loop has ended (or never ran). Runs once. */
  private shutdown(failure: Error | undefined): Promise<void> {
    this.shuttingDown ??= this.release(failure);
    return this.shuttingDown;
  }

  private async release(failure: Error | undefined): Promise<void> {
    const { storage, transport } = this.options;
    const driver = this.driver;
    driver?.stop();
    driver?.abort(failure);
    const attempt = async (step: () => Promise<void>) => {
      try {
        await step();
      } catch (error) {
        this.closeError ??= error;
      }
    };
    await attempt(() => transport.close());
    if (failure === undefined && driver !== undefined) await attempt(() => driver.flush());
    await attempt(() => storage.close());
    this.lifecycle = failure === undefined ? 'stopped' : 'failed';
    const state = driver?.state;
    this.status.next({ ...this.status.value, ...state, lifecycle: this.lifecycle, ...(failure && { error: failure }) });
    this.status.complete();
    this.committed.complete();
    this.settleStopped(failure);
  }

  private publish(state: DriverView): void {
    const next: RaftStatus = { id: this.id, lifecycle: this.lifecycle, ...state };
    if (!sameStatus(next, this.status.value)) this.status.next(next);
  }
}

function single(change: ConfChangeSingle): ConfChange {
  return { transition: ConfChangeTransition.Auto, changes: [change], context: EMPTY };
}

/**
 * Creates a {@link RaftNode} and starts it: for applications that consume the log through their
 * state machine only (subscribe to `committed$` on a `new RaftNode` before `start()` to also see
 * the replay).
 */
export async function createRaftNode<R = unknown>(options: RaftNodeOptions<R>): Promise<RaftNode<R>> {
  const node = new RaftNode(options);
  await node.start();
  return node;
}
