import type { PersistedState } from './adapters/storage.js';
import type { RaftConfig } from './config.js';
import { Raft } from './raft/raft.js';
import type { Ready } from './ready.js';
import type { NodeStatus, ProgressStatus } from './status.js';
import type { ConfChange, ConfState, HardState, Message, NodeId, SnapshotMeta, SoftState } from './types.js';

/**
 * A Raft node as a pure state machine: feed it time ({@link RawNode.tick}), messages
 * ({@link RawNode.step}) and requests ({@link RawNode.propose}, {@link RawNode.readIndex}); take
 * what it needs done from {@link RawNode.ready}, do it, and call {@link RawNode.advance}.
 *
 * It does no I/O, reads no clock and draws randomness only from `config.random`, so the same
 * inputs always give the same outputs. Nothing here is thread-safe or re-entrant: call it from one
 * place at a time.
 *
 * @example
 * ```ts
 * const node = new RawNode({ id: 1, electionTicks: 10, heartbeatTicks: 1, random: seededRandom(1) },
 *   await storage.load(), { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false });
 * setInterval(() => node.tick(), 100);
 * transport.start((m) => node.step(m));
 * // whenever node.hasReady(): const rd = node.ready(); persist, send, apply, then node.advance(rd)
 * ```
 */
export class RawNode {
  readonly #raft: Raft;
  #prevSoft: SoftState;
  #prevHard: HardState;
  #outstanding: Ready | undefined;

  /**
   * @param config - this node's settings.
   * @param persisted - what storage returned from `load()` (empty for a new node).
   * @param bootstrap - the initial configuration, used until a snapshot or configuration change
   *   says otherwise. Every member of a new cluster must be given the same one.
   * @throws RangeError or TypeError when the config is invalid or the persisted state is
   *   inconsistent; the message names the problem.
   */
  constructor(config: RaftConfig, persisted: PersistedState, bootstrap: ConfState) {
    this.#raft = new Raft(config, persisted, bootstrap);
    this.#prevSoft = this.#softState();
    this.#prevHard = persisted.hardState;
  }

  /** Advances logical time by one tick: drives election timeouts and heartbeats. */
  tick(): void {
    this.#raft.tick();
  }

  /** Starts an election now, without waiting for the election timeout. */
  campaign(): void {
    this.#raft.campaign();
  }

  /**
   * Handles a message from a peer (or a local `Unreachable`/`SnapStatus` report). Messages from
   * older terms are ignored or answered as Raft requires; nothing here throws on a valid message.
   */
  step(message: Message): void {
    this.#raft.step(message);
  }

  /**
   * Appends a command to the log, to be replicated and committed.
   * @returns where the entry sits; it is applied when it shows up in `committedEntries` at that
   *   index with that term (a different term there means it was lost to a new leader).
   * @throws NotLeaderError when this node is not the leader (with the leader it knows, if any).
   * @throws ProposalDroppedError while leadership is being transferred.
   */
  propose(data: Uint8Array): { index: number; term: number } {
    const entry = this.#raft.propose(data);
    return { index: entry.index, term: entry.term };
  }

  /**
   * Proposes a membership change (see {@link ConfChange}); it takes effect on each node when that
   * node applies it, i.e. after the entry shows up in `committedEntries` and `advance` is called.
   * With the `Auto` transition a single voter change applies directly and larger ones go through
   * a joint configuration that is left automatically.
   * @throws NotLeaderError; ProposalDroppedError when another change is still being applied or
   *   the change is not valid for the configuration in force (the message says why).
   */
  proposeConfChange(change: ConfChange): { index: number; term: number } {
    const entry = this.#raft.proposeConfChange(change);
    return { index: entry.index, term: entry.term };
  }

  /**
   * Requests a linearizable read point. When confirmed, a `ReadState` with this `context` appears
   * in a Ready: the read may be served once the state machine has applied its `index`. A request
   * may be lost (leader change, dropped message): time it out and retry. Contexts must be unique
   * among outstanding requests.
   * @throws NotLeaderError when no leader is known.
   */
  readIndex(context: Uint8Array): void {
    this.#raft.readIndex(context);
  }

  /**
   * Hands leadership to `to`. It happens once `to` catches up and wins its election; proposals are
   * refused meanwhile, and the attempt is abandoned after an election timeout.
   * @throws NotLeaderError when not the leader; ProposalDroppedError when `to` is not a voter.
   */
  transferLeadership(to: NodeId): void {
    this.#raft.transferLeadership(to);
  }

  /** Tells the node `peer` could not be reached, so it probes instead of streaming. */
  reportUnreachable(peer: NodeId): void {
    this.#raft.reportUnreachable(peer);
  }

  /** Tells the node whether sending a snapshot to `peer` succeeded. */
  reportSnapshot(peer: NodeId, ok: boolean): void {
    this.#raft.reportSnapshot(peer, ok);
  }

  /**
   * Records that the application saved a snapshot of its state at `meta.index` (which must be
   * applied), so the log up to there can be dropped from memory. The storage must already hold
   * that snapshot: lagging followers will be sent it.
   */
  compact(meta: SnapshotMeta): void {
    this.#raft.compact(meta);
  }

  /** Whether {@link RawNode.ready} has anything to hand out. */
  hasReady(): boolean {
    const raft = this.#raft;
    raft.flushAppends();
    const log = raft.log;
    return (
      raft.msgs.length > 0 ||
      log.stable < log.lastIndex ||
      log.handedOut < log.committed ||
      log.pendingSnapshot !== undefined ||
      raft.readStates.length > 0 ||
      !sameSoft(this.#softState(), this.#prevSoft) ||
      !sameHard(this.#hardState(), this.#prevHard)
    );
  }

  /**
   * Collects what the runtime must do now (see {@link Ready} for the order). Call
   * {@link RawNode.advance} with it before calling `ready()` again.
   * @throws Error when the previous Ready was not advanced.
   */
  ready(): Ready {
    if (this.#outstanding !== undefined) {
      throw new Error('ready() called before advance() of the previous Ready; handle it and call advance(ready) first');
    }
    const raft = this.#raft;
    raft.flushAppends();
    const log = raft.log;
    const soft = this.#softState();
    const hard = this.#hardState();
    const hardChanged = !sameHard(hard, this.#prevHard);
    const entries = log.unstableEntries();
    const snapshot = log.pendingSnapshot;
    const committedEntries = log.committedToHandOut(raft.settings.maxApplyBytes);
    if (committedEntries.length > 0) log.handedOut = committedEntries[committedEntries.length - 1]!.index;
    const ready: Ready = {
      softState: sameSoft(soft, this.#prevSoft) ? undefined : soft,
      hardState: hardChanged ? hard : undefined,
      entries,
      snapshot,
      committedEntries,
      messages: raft.msgs,
      readStates: raft.readStates,
      mustSync:
        entries.length > 0 ||
        snapshot !== undefined ||
        (hardChanged && (hard.term !== this.#prevHard.term || hard.vote !== this.#prevHard.vote)),
    };
    raft.msgs = [];
    raft.readStates = [];
    this.#outstanding = ready;
    return ready;
  }

  /**
   * Acknowledges that `ready` was handled: its entries, hard state and snapshot are durable, its
   * messages sent and its committed entries applied.
   * @throws Error when `ready` is not the outstanding Ready.
   */
  advance(ready: Ready): void {
    if (ready !== this.#outstanding) {
      throw new Error('advance() must be given the Ready returned by the last ready() call');
    }
    this.#outstanding = undefined;
    const raft = this.#raft;
    if (ready.softState !== undefined) this.#prevSoft = ready.softState;
    if (ready.hardState !== undefined) this.#prevHard = ready.hardState;
    if (ready.snapshot !== undefined) raft.log.snapshotApplied(ready.snapshot.meta);
    const last = ready.entries[ready.entries.length - 1];
    if (last !== undefined) raft.stableTo(last.index, last.term);
    raft.appliedTo(ready.committedEntries);
  }

  /** A snapshot of the node's state, for monitoring and tests. */
  status(): NodeStatus {
    const raft = this.#raft;
    const log = raft.log;
    let progress: ReadonlyMap<NodeId, ProgressStatus> | undefined;
    if (raft.progress.size > 0) {
      progress = new Map(
        [...raft.progress].map(([id, pr]) => [
          id,
          { match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive, inflight: pr.inflights.count },
        ]),
      );
    }
    return {
      id: raft.id,
      role: raft.role,
      term: raft.term,
      vote: raft.vote,
      leader: raft.lead,
      commit: log.committed,
      applied: log.applied,
      firstIndex: log.firstIndex,
      lastIndex: log.lastIndex,
      lastTerm: log.lastTerm,
      conf: raft.conf,
      leadTransferee: raft.leadTransferee,
      progress,
    };
  }

  #softState(): SoftState {
    return { role: this.#raft.role, leader: this.#raft.lead };
  }

  #hardState(): HardState {
    return { term: this.#raft.term, vote: this.#raft.vote, commit: this.#raft.log.committed };
  }
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.role === b.role && a.leader === b.leader;
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
