import { MessageType, seededRandom } from '@raft/core';
import type { ConfChange, ConfState, NodeId, RaftConfig } from '@raft/core';
import type { RaftNodeConstructor } from './core-api.js';
import { describeEntry, sameEntry } from './entry-format.js';
import type { SimEvent } from './events.js';
import type { FaultProfile } from './fault-profile.js';
import { ClusterInvariants, InvariantViolation } from './invariants/index.js';
import { describeConfChange } from './membership.js';
import { SimNetwork } from './network.js';
import type { NetworkEvent } from './network.js';
import { SimRandom, deriveSeed } from './prng.js';
import { SimNode } from './sim-node.js';

/** Everything a {@link SimCluster} is built from. */
export interface ClusterSettings {
  readonly seed: number;
  readonly size: number;
  readonly core: RaftNodeConstructor;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly profile: FaultProfile;
  /** Receives what happens; per-message events only when `detail` is set. */
  readonly onEvent: ((event: SimEvent) => void) | undefined;
  readonly detail: boolean;
}

/** Random streams of a run, one per consumer (see {@link deriveSeed}). */
const STREAM = { network: 1, faults: 2, node: 3, phases: 4 } as const;

/** Errors a client or operator legitimately gets back from a node: the request was refused. */
const REFUSALS = new Set(['NotLeaderError', 'ProposalDroppedError', 'ConfChangeError']);

const encoder = new TextEncoder();

/**
 * The simulated cluster: nodes with their disks, the network, and the invariant checkers. Each
 * public method is one thing that can happen to the cluster; every node that handles an input is
 * observed right after, so a violated invariant is reported at the step that caused it.
 *
 * `step` is the caller's step counter, used to date events and violations.
 */
export class SimCluster {
  readonly nodes: readonly SimNode[];
  readonly network: SimNetwork;
  readonly invariants = new ClusterInvariants();
  step = 0;
  ticks = 0;
  crashes = 0;
  partitions = 0;
  proposals = 0;
  membershipChanges = 0;
  compactions = 0;
  /** The configuration as of the highest applied index any node reached: the cluster's membership. */
  conf: ConfState;
  private confIndex = 0;
  private reads = 0;
  private readonly faults: SimRandom;
  /** With clock phases: the order in which the nodes tick within a period, and whose turn is next. */
  private readonly phaseOrder: readonly SimNode[];
  private phaseSlot = 0;
  private readonly bootstrap: ConfState;
  private readonly emit: ((event: SimEvent) => void) | undefined;
  private readonly detail: ((event: SimEvent) => void) | undefined;

  constructor(private readonly settings: ClusterSettings) {
    const ids = Array.from({ length: settings.size }, (_, i) => i + 1);
    this.nodes = ids.map((id) => new SimNode(id));
    this.bootstrap = { voters: ids, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
    this.conf = this.bootstrap;
    this.emit = settings.onEvent;
    this.detail = settings.detail ? settings.onEvent : undefined;
    this.faults = new SimRandom(deriveSeed(settings.seed, STREAM.faults));
    this.network = new SimNetwork(
      new SimRandom(deriveSeed(settings.seed, STREAM.network)),
      settings.profile.network,
      this.detail === undefined ? undefined : (event) => this.detail?.(this.networkEvent(event)),
    );
    this.phaseOrder = new SimRandom(deriveSeed(settings.seed, STREAM.phases)).shuffle(this.nodes);
    for (const node of this.nodes) this.start(node);
  }

  /** The node with id `id`. */
  node(id: NodeId): SimNode {
    const node = this.nodes[id - 1];
    if (node === undefined) throw new RangeError(`no node n${id} in a cluster of ${this.nodes.length}`);
    return node;
  }

  /**
   * One tick of time: the network releases due messages and every running node ticks, except
   * that with `skew` a node may miss the tick (per the profile's clock skew).
   */
  tick(skew: boolean): void {
    this.startPeriod();
    for (const node of this.nodes) this.tickNode(node, skew);
  }

  /**
   * The scheduler's unit of time: every node ticks at once, or with clock phases (see
   * FaultProfile.clockPhases) the next node in the phase order does, so that a period takes as
   * many calls as there are nodes.
   */
  advanceClocks(skew: boolean): void {
    if (this.settings.profile.clockPhases) this.tickPhase(skew);
    else this.tick(skew);
  }

  private tickPhase(skew: boolean): void {
    if (this.phaseSlot === 0) this.startPeriod();
    this.tickNode(this.phaseOrder[this.phaseSlot]!, skew);
    this.phaseSlot = (this.phaseSlot + 1) % this.phaseOrder.length;
  }

  private startPeriod(): void {
    this.ticks++;
    this.network.tick();
    this.detail?.({ step: this.step, kind: 'tick' });
  }

  private tickNode(node: SimNode, skew: boolean): void {
    if (node.raft === undefined || (skew && this.faults.chance(this.settings.profile.clockSkew))) return;
    node.raft.tick();
    this.observe(node);
  }

  /** Delivers the next message in flight. Returns `false` when none is deliverable yet. */
  deliver(): boolean {
    const message = this.network.take();
    if (message === undefined) return false;
    const target = this.node(message.to);
    if (target.raft === undefined) {
      this.detail?.({ step: this.step, kind: 'lost', message, reason: 'node down' });
      const sender = this.node(message.from);
      // A real transport notices a dead peer; tell the sender, as a runtime would.
      if (sender.raft !== undefined && message.type === MessageType.App) {
        sender.raft.reportUnreachable(target.id);
        this.observe(sender);
      }
      return true;
    }
    this.detail?.({ step: this.step, kind: 'deliver', message });
    target.raft.step(message);
    this.observe(target);
    return true;
  }

  /**
   * Handles a node's Ready the way a runtime must: persist snapshot, entries and hard state; send
   * the messages; apply the committed entries; advance.
   */
  handleReady(node: SimNode): void {
    const raft = node.running;
    const leaderTerm = node.role === 'leader' ? node.term : undefined;
    const ready = raft.ready();
    const { storage } = node;
    if (ready.snapshot !== undefined || ready.entries.length > 0 || ready.hardState !== undefined) {
      const result = storage.persist(ready);
      this.invariants.afterPersist(node.id, leaderTerm, ready.entries, result, storage, storage.hardState.commit, this.step);
    }
    for (const message of ready.messages) this.network.send(message);
    if (ready.snapshot !== undefined) {
      node.applied = ready.snapshot.meta.index;
      this.invariants.afterRestore(node.id, node.applied);
    }
    for (const entry of ready.committedEntries) {
      const stored = storage.entryAt(entry.index);
      if (stored === undefined || !sameEntry(stored, entry)) {
        throw new InvariantViolation(
          'State Machine Safety',
          `n${node.id} was handed ${describeEntry(entry)} to apply, but its durable log holds ${stored === undefined ? 'nothing' : describeEntry(stored)} there`,
        );
      }
      const first = this.invariants.afterApply(node.id, entry, storage.hardState.term, this.step);
      node.applied = entry.index;
      if (first !== undefined) this.emit?.({ step: this.step, kind: 'commit', node: node.id, entry });
    }
    for (const read of ready.readStates) this.invariants.afterReadState(node.id, read);
    raft.advance(ready);
    // A runtime reports each snapshot it handed to the transport; whether it arrives is the network's business.
    for (const message of ready.messages) if (message.type === MessageType.Snap) raft.reportSnapshot(message.to, true);
    this.observe(node);
  }

  /**
   * Crashes a node: it loses everything it had not persisted. A leader may first have sent the
   * AppendEntries of a Ready it was still writing (allowed by the Ready contract), per the profile.
   */
  crash(node: SimNode): void {
    const raft = node.running;
    let sentUnpersisted = 0;
    if (node.role === 'leader' && raft.hasReady() && this.faults.chance(this.settings.profile.crashMidWrite)) {
      for (const message of raft.ready().messages) {
        if (message.type !== MessageType.App) continue;
        this.network.send(message);
        sentUnpersisted++;
      }
    }
    node.raft = undefined;
    node.role = undefined;
    node.dirty = false;
    this.crashes++;
    this.invariants.afterCrash(node.id);
    this.emit?.({ step: this.step, kind: 'crash', node: node.id, sentUnpersisted });
  }

  /** Restarts a crashed node from what its disk holds. */
  restart(node: SimNode): void {
    this.start(node);
    const { hardState } = node.storage;
    this.emit?.({ step: this.step, kind: 'restart', node: node.id, term: hardState.term, lastIndex: node.storage.lastIndex, commit: hardState.commit });
  }

  /** Splits the cluster into groups that cannot reach each other. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.partitions++;
    this.network.partition(groups);
    this.emit?.({ step: this.step, kind: 'partition', groups });
  }

  /** Removes the partition. */
  heal(): void {
    this.network.heal();
    this.emit?.({ step: this.step, kind: 'heal' });
  }

  /**
   * A client proposes a fresh command (`p<n>`) on `node`.
   * Returns where it was appended, or `undefined` when the node refused it.
   */
  propose(node: SimNode, data = `p${this.proposals + 1}`): { index: number; term: number } | undefined {
    this.proposals++;
    const placed = this.refusable(() => node.running.propose(encoder.encode(data)));
    this.observe(node);
    this.emit?.({ step: this.step, kind: 'propose', node: node.id, data, outcome: placed === undefined ? 'refused' : `${placed.index}/t${placed.term}` });
    return placed;
  }

  /** A client asks `node` for a linearizable read. */
  readIndex(node: SimNode): void {
    const context = `r${++this.reads}`;
    const bytes = encoder.encode(context);
    this.invariants.afterReadRequest(node.id, bytes, this.step);
    this.refusable(() => node.running.readIndex(bytes));
    this.observe(node);
    this.emit?.({ step: this.step, kind: 'read', node: node.id, context });
  }

  /** An operator asks `from` to hand leadership to `to`. */
  transferLeadership(from: SimNode, to: NodeId): void {
    this.refusable(() => from.running.transferLeadership(to));
    this.observe(from);
    this.emit?.({ step: this.step, kind: 'transfer', from: from.id, to });
  }

  /** An operator asks `node` to change the membership. */
  changeMembership(node: SimNode, change: ConfChange): void {
    this.membershipChanges++;
    const placed = this.refusable(() => node.running.proposeConfChange(change));
    this.observe(node);
    const outcome = placed === undefined ? 'refused' : `${placed.index}/t${placed.term}`;
    this.emit?.({ step: this.step, kind: 'membership', node: node.id, change: describeConfChange(change), outcome });
  }

  /** `node` snapshots its state machine at its applied index and compacts its log behind it. */
  compact(node: SimNode): void {
    const status = node.running.status();
    const index = status.applied;
    const term = node.storage.termAt(index);
    if (index <= node.storage.snapshotIndex || term === undefined) return;
    const meta = { index, term, conf: status.conf };
    node.storage.saveSnapshot(meta);
    node.running.compact(meta);
    this.compactions++;
    this.observe(node);
    this.emit?.({ step: this.step, kind: 'compact', node: node.id, index });
  }

  /** Stops a node for good, as an operator does once it is no longer a member. */
  shutdown(node: SimNode): void {
    node.raft = undefined;
    node.role = undefined;
    node.dirty = false;
    this.invariants.afterCrash(node.id);
    this.emit?.({ step: this.step, kind: 'shutdown', node: node.id });
  }

  /** An operator forces `node` to campaign. */
  campaign(node: SimNode): void {
    node.running.campaign();
    this.observe(node);
    this.emit?.({ step: this.step, kind: 'campaign', node: node.id });
  }

  /** Reports an event from outside the cluster's own actions (e.g. liveness milestones). */
  announce(event: SimEvent): void {
    this.emit?.(event);
  }

  private start(node: SimNode): void {
    node.incarnation++;
    const { seed, electionTicks, heartbeatTicks, profile } = this.settings;
    const config: RaftConfig = {
      id: node.id,
      electionTicks,
      heartbeatTicks,
      random: seededRandom(deriveSeed(seed, STREAM.node, node.id, node.incarnation)),
      preVote: profile.preVote,
      checkQuorum: profile.checkQuorum,
      maxMessageBytes: profile.maxMessageBytes,
      maxInflight: profile.maxInflight,
      readOnly: profile.leaseReads && profile.checkQuorum && profile.clockSkew === 0 ? 'lease' : 'safe',
    };
    node.raft = new this.settings.core(config, node.storage.load(), this.bootstrap);
    node.applied = node.storage.snapshotIndex;
    this.invariants.afterRestore(node.id, node.applied);
    this.observe(node);
  }

  /** Checks a node's state after an input and notes what changed. */
  private observe(node: SimNode): void {
    const raft = node.running;
    const status = raft.status();
    this.invariants.afterInput(status, this.step);
    if (status.role !== node.role || (status.role === 'leader' && status.term !== node.term)) {
      this.emit?.({ step: this.step, kind: 'role', node: node.id, role: status.role, previous: node.role, term: status.term });
    }
    if (status.applied >= this.confIndex) {
      this.conf = status.conf;
      this.confIndex = status.applied;
    }
    node.role = status.role;
    node.term = status.term;
    node.leader = status.leader;
    node.dirty = raft.hasReady();
  }

  private refusable<T>(request: () => T): T | undefined {
    try {
      return request();
    } catch (error) {
      if (error instanceof Error && REFUSALS.has(error.name)) return undefined;
      throw error;
    }
  }

  private networkEvent(event: NetworkEvent): SimEvent {
    return event.kind === 'sent'
      ? { step: this.step, kind: 'send', message: event.message, copies: event.copies, delay: event.delay }
      : { step: this.step, kind: 'lost', message: event.message, reason: event.reason };
  }
}
