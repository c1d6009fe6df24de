import type { PersistedState } from '../adapters/storage.js';
import type { RaftConfig } from '../config.js';
import { decodeConfChange, encodeConfChange } from '../codec/index.js';
import { applyConfChange, ConfChangeError, isJoint } from '../confchange/changer.js';
import { NotLeaderError, ProposalDroppedError } from '../errors.js';
import { allMembers, allVoters, jointActive, jointCommitted, jointVoteResult } from '../quorum/joint.js';
import type { VoteResult } from '../quorum/majority.js';
import { Progress } from '../tracker/progress.js';
import {
  EMPTY,
  EntryType,
  MessageType,
  NONE,
  Role,
  type ConfChange,
  type ConfState,
  type Entry,
  type Message,
  type NodeId,
  type ReadState,
  type SnapshotMeta,
} from '../types.js';
import { createMessage, isTransferCampaign, TRANSFER_CONTEXT } from './messages.js';
import { RaftLog } from './raft-log.js';
import { ReadOnlyQueue, type ConfirmedRead } from './read-only.js';
import { settingsFrom, type Settings } from './settings.js';

/** The change that leaves a joint configuration. */
const LEAVE_JOINT: ConfChange = { transition: 0, changes: [], context: EMPTY };

/**
 * The Raft protocol for one node (Raft paper §5, thesis §3, §4.2.3 pre-vote and check-quorum, §6.4
 * ReadIndex, §3.10 leadership transfer). It turns inputs (ticks, messages, proposals) into state
 * changes and outgoing messages; {@link RawNode} packages those into Ready batches.
 *
 * @internal Use {@link RawNode}.
 */
export class Raft {
  readonly id: NodeId;
  readonly settings: Settings;
  readonly log: RaftLog;
  term: number;
  vote: NodeId;
  lead: NodeId = NONE;
  role: Role = Role.Follower;
  conf: ConfState;
  /** Latest snapshot: what a lagging follower is sent when its next entry is compacted. */
  snapshotMeta: SnapshotMeta | undefined;
  /** Leader only: each member's replication progress, this node included. */
  readonly progress = new Map<NodeId, Progress>();
  /** Outgoing messages since the last Ready. */
  msgs: Message[] = [];
  /** Completed reads since the last Ready. */
  readStates: ReadState[] = [];
  leadTransferee: NodeId = NONE;

  readonly #votes = new Map<NodeId, boolean>();
  readonly #readOnly = new ReadOnlyQueue();
  /** Reads asked before this leader committed an entry of its term: they wait for that commit. */
  #readsAwaitingCommit: { from: NodeId; context: Uint8Array }[] = [];
  #electionElapsed = 0;
  /** Ticks since this node started. Heartbeats carry it, so their acknowledgements date a lease. */
  #now = 0;
  /** Leader: a TimeoutNow went out this term, so a successor may win at once: no lease reads. */
  #leaseSurrendered = false;
  /**
   * Lease mode, restarted: this node may have acknowledged a leader's heartbeat just before it
   * stopped, so it keeps the promise behind that leader's lease (no votes for an election timeout)
   * although it no longer knows the leader.
   */
  readonly #restartedInLeaseMode: boolean;
  #heartbeatElapsed = 0;
  #randomizedElectionTimeout = 0;
  /** Leader: followers with new entries to be sent at the next flush. */
  readonly #appendDue = new Set<NodeId>();
  /** Leader: index of the latest membership change it may have appended; one at a time. */
  #pendingConfIndex = 0;
  /** Leader: it appended a configuration without itself as a voter, so it takes no more proposals. */
  #leaving = false;

  constructor(config: RaftConfig, persisted: PersistedState, bootstrap: ConfState) {
    this.settings = settingsFrom(config);
    this.id = this.settings.id;
    const { hardState, snapshot, entries } = persisted;
    const snapshotIndex = snapshot?.index ?? 0;
    const lastIndex = snapshotIndex + entries.length;
    if (entries.length > 0 && entries[0]!.index !== snapshotIndex + 1) {
      throw new RangeError(
        `persisted log starts at ${entries[0]!.index}, expected ${snapshotIndex + 1} (right after the snapshot); the storage is inconsistent`,
      );
    }
    if (hardState.commit > lastIndex) {
      throw new RangeError(
        `persisted commit index ${hardState.commit} is past the last stored entry ${lastIndex}; the storage lost entries it had acknowledged`,
      );
    }
    const committed = Math.max(hardState.commit, snapshotIndex);
    const applied = Math.min(Math.max(this.settings.applied ?? 0, snapshotIndex), committed);
    this.log = new RaftLog({ index: snapshotIndex, term: snapshot?.term ?? 0 }, entries, committed, applied);
    this.snapshotMeta = snapshot;
    this.conf = snapshot?.conf ?? bootstrap;
    this.term = hardState.term;
    this.vote = hardState.vote;
    this.#restartedInLeaseMode = this.settings.readOnly === 'lease' && hardState.term > 0;
    this.#resetRandomizedElectionTimeout();
  }

  // ── Inputs ────────────────────────────────────────────────────────────────────────────────

  /** One unit of logical time. */
  tick(): void {
    this.#now++;
    if (this.role === Role.Leader) this.#tickLeader();
    else this.#tickElection();
  }

  /** Starts an election now (with a pre-vote first when enabled). */
  campaign(): void {
    this.#hup(false);
  }

  /**
   * Appends a command to the leader's log.
   * @throws NotLeaderError when not the leader; ProposalDroppedError during a leadership transfer.
   */
  propose(data: Uint8Array, type: EntryType = EntryType.Normal): Entry {
    if (this.role !== Role.Leader) throw new NotLeaderError(this.lead);
    if (this.leadTransferee !== NONE) {
      throw new ProposalDroppedError(`leadership is being transferred to node ${this.leadTransferee}; retry on the new leader`);
    }
    if (this.#leaving) {
      throw new ProposalDroppedError('this leader is leaving the configuration; retry on the next leader');
    }
    return this.#appendOwn(type, data);
  }

  /**
   * Appends a membership change. Only one may be in flight: the next is refused until this one is
   * applied.
   * @throws NotLeaderError; ProposalDroppedError (or its subclass ConfChangeError) saying why not now.
   */
  proposeConfChange(change: ConfChange): Entry {
    if (this.role !== Role.Leader) throw new NotLeaderError(this.lead);
    if (this.#pendingConfIndex > this.log.applied) {
      throw new ProposalDroppedError(
        `membership change at index ${this.#pendingConfIndex} is not applied yet; propose the next one after it`,
      );
    }
    const next = applyConfChange(this.conf, change);
    const entry = this.propose(encodeConfChange(change), EntryType.ConfChange);
    this.#pendingConfIndex = entry.index;
    // Entries after its own removal would make this leader's log longer than its successors',
    // and they may then need its vote (see #handOffLeadership).
    this.#leaving = !isJoint(next) && !next.voters.includes(this.id);
    return entry;
  }

  /**
   * The runtime applied `entries`: membership changes among them take effect now (as in etcd,
   * a configuration is used once applied). Every replica applies the same entries in the same
   * order, so one that cannot apply a change skips it identically everywhere.
   */
  appliedTo(entries: readonly Entry[]): void {
    for (const entry of entries) {
      this.log.applied = Math.max(this.log.applied, entry.index);
      if (entry.type !== EntryType.ConfChange) continue;
      let next: ConfState;
      try {
        next = applyConfChange(this.conf, decodeConfChange(entry.data));
      } catch (error) {
        if (error instanceof ConfChangeError || (error as Error).name === 'CodecError') continue;
        throw error;
      }
      this.#switchToConf(next);
    }
  }

  #switchToConf(conf: ConfState): void {
    this.conf = conf;
    if (this.role !== Role.Leader) return;
    const members = allMembers(conf);
    for (const id of this.progress.keys()) if (!members.includes(id)) this.progress.delete(id);
    for (const id of members) {
      if (!this.progress.has(id)) this.progress.set(id, new Progress(this.log.lastIndex + 1, this.settings.maxInflight));
      if (id !== this.id) this.#appendDue.add(id);
    }
    if (!allVoters(conf).includes(this.id)) {
      this.#handOffLeadership();
      return;
    }
    if (this.leadTransferee !== NONE && !members.includes(this.leadTransferee)) this.leadTransferee = NONE;
    // The change that would have removed this leader was skipped as invalid: it stays.
    if (this.#pendingConfIndex <= this.log.applied) this.#leaving = false;
    this.#maybeCommit();
    if (isJoint(conf) && conf.autoLeave) {
      this.#pendingConfIndex = this.#appendOwn(EntryType.ConfChange, encodeConfChange(LEAVE_JOINT)).index;
      this.#leaving = !conf.voters.includes(this.id);
    }
  }

  /**
   * This leader was removed (or demoted). It keeps replicating, without counting itself, until
   * the most caught-up voter holds its whole log, then tells that voter to campaign at once and
   * steps down. Stepping down at once instead can deadlock the cluster: the remaining voters may
   * not have learned that the change committed, still count this node as a voter, and this node,
   * whose log is longer than theirs, would refuse them its vote.
   */
  #handOffLeadership(): void {
    let successor: NodeId = NONE;
    let best = -1;
    for (const id of allVoters(this.conf)) {
      const match = this.progress.get(id)?.match ?? 0;
      if (match > best) [successor, best] = [id, match];
    }
    if (successor === NONE) {
      this.becomeFollower(this.term, NONE);
      return;
    }
    this.leadTransferee = successor;
    this.#electionElapsed = 0;
    if (best === this.log.lastIndex) this.#sendTimeoutNow(successor);
    else this.#sendAppend(successor, true);
  }

  /** Tells `to` to campaign now; a leader that is no longer a voter then steps down. */
  #sendTimeoutNow(to: NodeId): void {
    // The successor starts out applying everything this leader committed, a removal of this
    // leader included, instead of learning it only from its own first commit.
    this.#sendCommitIndexTo(to);
    this.#send({ type: MessageType.TimeoutNow, to });
    this.#leaseSurrendered = true;
    if (!this.promotable) this.becomeFollower(this.term, NONE);
  }

  /** Asks for a linearizable read point (ReadIndex); the answer arrives as a ReadState. */
  readIndex(context: Uint8Array): void {
    if (this.role === Role.Leader) {
      this.#handleReadRequest(this.id, context);
      return;
    }
    if (this.lead === NONE) throw new NotLeaderError(NONE);
    this.#send({ type: MessageType.ReadIndex, to: this.lead, context });
  }

  /**
   * Hands leadership to `to`: brings its log up to date, then tells it to campaign at once.
   * Proposals are refused until it succeeds or an election timeout passes.
   */
  transferLeadership(to: NodeId): void {
    if (this.role !== Role.Leader) throw new NotLeaderError(this.lead);
    if (to === this.id || to === this.leadTransferee) return;
    if (!allVoters(this.conf).includes(to)) {
      throw new ProposalDroppedError(`cannot transfer leadership to node ${to}: it is not a voter`);
    }
    this.leadTransferee = to;
    this.#electionElapsed = 0;
    const pr = this.progress.get(to)!;
    if (pr.match === this.log.lastIndex) this.#sendTimeoutNow(to);
    else this.#sendAppend(to, true);
  }

  /** The transport could not reach `peer`: stop streaming to it and probe instead. */
  reportUnreachable(peer: NodeId): void {
    const pr = this.role === Role.Leader ? this.progress.get(peer) : undefined;
    if (pr?.state === 'replicate') pr.becomeProbe();
  }

  /** The runtime finished (or failed) sending a snapshot to `peer`. */
  reportSnapshot(peer: NodeId, ok: boolean): void {
    const pr = this.role === Role.Leader ? this.progress.get(peer) : undefined;
    if (pr?.state !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's answer (or a heartbeat) before probing again.
    pr.probeSent = true;
  }

  /** Handles one message from a peer. */
  step(m: Message): void {
    if (m.type === MessageType.Unreachable) return this.reportUnreachable(m.from);
    if (m.type === MessageType.SnapStatus) return this.reportSnapshot(m.from, !m.reject);
    if (m.term > this.term) {
      if (!this.#acceptHigherTerm(m)) return;
    } else if (m.term < this.term) {
      this.#answerStaleTerm(m);
      return;
    }
    if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
      this.#handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case Role.Leader:
        return this.#stepLeader(m);
      case Role.Candidate:
      case Role.PreCandidate:
        return this.#stepCandidate(m);
      case Role.Follower:
        return this.#stepFollower(m);
    }
  }

  /** Records that the state machine now reflects a snapshot at `meta`, and drops the log it covers. */
  compact(meta: SnapshotMeta): void {
    if (meta.index <= this.log.snapshotIndex) return;
    const term = this.log.term(meta.index);
    if (term !== meta.term) {
      throw new RangeError(`snapshot at ${meta.index} has term ${meta.term}, but the log has term ${String(term)} there`);
    }
    this.log.compact(meta.index);
    this.snapshotMeta = meta;
  }

  // ── Output bookkeeping for RawNode ─────────────────────────────────────────────────────────

  /**
   * Leader: sends the AppendEntries that proposals and acknowledgements made due since the last
   * flush. A commit index that moved goes out with them, or at the next tick (see #tickLeader).
   */
  flushAppends(): void {
    if (this.role !== Role.Leader) return;
    for (const id of this.progress.keys()) {
      if (id !== this.id && this.#appendDue.has(id)) while (this.#sendAppend(id, false));
    }
    this.#appendDue.clear();
  }

  /** The runtime made entries up to `index` durable (and this leader can count itself). */
  stableTo(index: number, term: number): void {
    this.log.stableTo(index, term);
    if (this.role !== Role.Leader) return;
    if (this.progress.get(this.id)?.maybeUpdate(this.log.stable)) this.#maybeCommit();
  }

  // ── Elections ─────────────────────────────────────────────────────────────────────────────

  get promotable(): boolean {
    return allVoters(this.conf).includes(this.id);
  }

  #tickElection(): void {
    this.#electionElapsed++;
    if (this.promotable && this.#electionElapsed >= this.#randomizedElectionTimeout) {
      this.#electionElapsed = 0;
      this.#hup(false);
    }
  }

  #tickLeader(): void {
    this.#heartbeatElapsed++;
    this.#electionElapsed++;
    if (this.#electionElapsed >= this.settings.electionTicks) {
      this.#electionElapsed = 0;
      // A removed leader whose hand-off did not finish in time steps down anyway.
      if ((this.settings.checkQuorum && !this.#quorumRecentlyActive()) || !this.promotable) {
        this.becomeFollower(this.term, NONE);
        return;
      }
      this.leadTransferee = NONE;
    }
    if (this.#heartbeatElapsed >= this.settings.heartbeatTicks) {
      this.#heartbeatElapsed = 0;
      this.#broadcastHeartbeat(this.#readOnly.lastContext() ?? EMPTY);
    }
    this.#sendCommitIndex();
  }

  /**
   * Tells each follower the commit index that no AppendEntries or heartbeat has carried to it yet.
   * Followers learn a new commit index lazily, with the next message that goes to them anyway or at
   * the next tick, rather than from AppendEntries broadcast the moment it moves: under a steady
   * stream of writes the next write's AppendEntries carries it for free, and under a trickle the
   * broadcast would cost one message and one answer per follower per write, in the middle of the
   * next client's request. The price is that a follower applies up to one tick later.
   */
  #sendCommitIndex(): void {
    for (const id of this.progress.keys()) if (id !== this.id) this.#sendCommitIndexTo(id);
  }

  #sendCommitIndexTo(id: NodeId): void {
    const pr = this.progress.get(id);
    if (pr !== undefined && pr.commitSent < Math.min(pr.match, this.log.committed)) this.#sendAppend(id, true);
  }

  /** Check-quorum: whether a quorum was heard from since the last check; starts a new round. */
  #quorumRecentlyActive(): boolean {
    const active = jointActive(this.conf, (id) => id === this.id || this.progress.get(id)?.recentActive === true);
    for (const [id, pr] of this.progress) pr.recentActive = id === this.id;
    return active;
  }

  #hup(transfer: boolean): void {
    if (this.role === Role.Leader || !this.promotable) return;
    // A configuration change committed but not applied yet might remove this node's vote.
    if (this.#hasUnappliedConfChange()) return;
    if (this.settings.preVote && !transfer) this.#campaign('pre-vote', false);
    else this.#campaign('vote', transfer);
  }

  #hasUnappliedConfChange(): boolean {
    const from = Math.max(this.log.applied, this.log.snapshotIndex) + 1;
    if (from > this.log.committed) return false;
    return this.log
      .slice(from, this.log.committed + 1)
      .some((entry) => entry.type === EntryType.ConfChange);
  }

  #campaign(kind: 'pre-vote' | 'vote', transfer: boolean): void {
    if (kind === 'pre-vote') this.#becomePreCandidate();
    else this.#becomeCandidate();
    const term = kind === 'pre-vote' ? this.term + 1 : this.term;
    if (this.#poll(this.id, true) === 'won') {
      if (kind === 'pre-vote') this.#campaign('vote', false);
      else this.#becomeLeader();
      return;
    }
    const type = kind === 'pre-vote' ? MessageType.PreVote : MessageType.Vote;
    const context = transfer ? TRANSFER_CONTEXT : EMPTY;
    for (const voter of allVoters(this.conf)) {
      if (voter === this.id) continue;
      this.#send({ type, to: voter, term, index: this.log.lastIndex, logTerm: this.log.lastTerm, context });
    }
  }

  #poll(from: NodeId, granted: boolean): VoteResult {
    if (!this.#votes.has(from)) this.#votes.set(from, granted);
    return jointVoteResult(this.conf, this.#votes);
  }

  /**
   * A message from a later term. Vote requests inside a leader lease are ignored (check-quorum:
   * a node that hears from a live leader does not help depose it). Otherwise this node follows
   * the new term, except for pre-votes, which change no state.
   * @returns whether to go on handling the message.
   */
  #acceptHigherTerm(m: Message): boolean {
    const isVoteRequest = m.type === MessageType.Vote || m.type === MessageType.PreVote;
    if (isVoteRequest && !isTransferCampaign(m.context)) {
      const inLease =
        this.settings.checkQuorum &&
        this.#electionElapsed < this.settings.electionTicks &&
        (this.lead !== NONE || (this.#restartedInLeaseMode && this.#now < this.settings.electionTicks));
      if (inLease) return false;
    }
    if (m.type === MessageType.PreVote) return true;
    // A granted pre-vote is for the term we would campaign in; our term moves only if we do.
    if (m.type === MessageType.PreVoteResp && !m.reject) return true;
    const fromLeader = m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap;
    const [elapsed, timeout] = [this.#electionElapsed, this.#randomizedElectionTimeout];
    this.becomeFollower(m.term, fromLeader ? m.from : NONE);
    // A vote request moves this node to the candidate's term but leaves its election timer running:
    // granting the vote restarts it (#handleVoteRequest), refusing does not (Raft paper, Figure 2).
    // Otherwise candidates that cannot win, their logs being behind, would restart the timer of the
    // one node that can at every attempt, and without pre-vote might never let it campaign.
    if (m.type === MessageType.Vote) [this.#electionElapsed, this.#randomizedElectionTimeout] = [elapsed, timeout];
    return true;
  }

  /** A message from an earlier term: ignored, but some senders need to learn the current term. */
  #answerStaleTerm(m: Message): void {
    if ((this.settings.checkQuorum || this.settings.preVote) && (m.type === MessageType.App || m.type === MessageType.Heartbeat)) {
      // A deposed leader cut off by a partition learns it was deposed; otherwise, with pre-vote or
      // check-quorum, it could never see the higher term and would stay leader forever.
      this.#send({ type: MessageType.AppResp, to: m.from });
    } else if (m.type === MessageType.PreVote || m.type === MessageType.Vote) {
      // The refusal carries this node's term. A candidate that never hears that term otherwise (the
      // configuration this node applied so far does not include it) would campaign below it
      // forever, while this node, whose log is behind, cannot win either.
      this.#refuseVote(m);
    }
  }

  #handleVoteRequest(m: Message): void {
    const pre = m.type === MessageType.PreVote;
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (pre && m.term > this.term);
    const type = pre ? MessageType.PreVoteResp : MessageType.VoteResp;
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.#send({ type, to: m.from, term: m.term });
      if (!pre) {
        this.#electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.#refuseVote(m);
    }
  }

  /**
   * Refuses a (pre-)vote, telling the candidate this node's commit index and the term of the entry
   * there (see #learnCommitFromRefusal). A node removed from the configuration may hold a longer log
   * than the candidates that still count its vote under a configuration they have not yet seen
   * committed: it refuses them all and, no longer a voter, never campaigns. What it knows to be
   * committed lets them apply the configuration that no longer needs it.
   */
  #refuseVote(m: Message): void {
    const type = m.type === MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
    const commit = this.log.committed;
    this.#send({ type, to: m.from, reject: true, commit, logTerm: this.log.term(commit) ?? 0 });
  }

  /**
   * Learns a commit index from a refused vote; true when it moved. Safe whoever sent it: every
   * commit index is one that was committed, and holding an entry of the same index and term means
   * holding the same log up to it (Log Matching), so everything here up to that index is committed.
   */
  #learnCommitFromRefusal(m: Message): boolean {
    return m.commit > this.log.committed && this.log.matchTerm(m.commit, m.logTerm) && this.log.commitTo(m.commit);
  }

  #reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.#electionElapsed = 0;
    this.#heartbeatElapsed = 0;
    this.#resetRandomizedElectionTimeout();
    this.leadTransferee = NONE;
    this.#votes.clear();
    this.progress.clear();
    this.#appendDue.clear();
    this.#leaving = false;
    this.#readOnly.clear();
    this.#leaseSurrendered = false;
    this.#readsAwaitingCommit = [];
  }

  #resetRandomizedElectionTimeout(): void {
    const t = this.settings.electionTicks;
    this.#randomizedElectionTimeout = t + Math.floor(this.settings.random() * t);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.#reset(term);
    this.lead = lead;
    this.role = Role.Follower;
  }

  #becomePreCandidate(): void {
    // Pre-candidacy changes neither term nor vote: a failed pre-vote leaves no trace.
    this.#votes.clear();
    this.lead = NONE;
    this.role = Role.PreCandidate;
  }

  #becomeCandidate(): void {
    this.#reset(this.term + 1);
    this.vote = this.id;
    this.role = Role.Candidate;
  }

  #becomeLeader(): void {
    this.#reset(this.term);
    this.lead = this.id;
    this.role = Role.Leader;
    for (const id of allMembers(this.conf)) {
      const pr = new Progress(this.log.lastIndex + 1, this.settings.maxInflight);
      if (id === this.id) {
        pr.match = this.log.stable;
        pr.becomeReplicate();
        pr.next = this.log.lastIndex + 1;
        pr.recentActive = true;
      }
      this.progress.set(id, pr);
    }
    // Commit an entry of the new term: only that commits the entries of earlier terms (Figure 8).
    this.#appendOwn(EntryType.Normal, EMPTY);
    // A membership change may sit uncommitted in the log: allow no new one before it is applied.
    this.#pendingConfIndex = this.log.lastIndex;
  }

  // ── Replication ───────────────────────────────────────────────────────────────────────────

  #appendOwn(type: EntryType, data: Uint8Array): Entry {
    const entry: Entry = { term: this.term, index: this.log.lastIndex + 1, type, data };
    this.log.appendOwn(entry);
    this.progress.get(this.id)!.next = entry.index + 1;
    for (const id of this.progress.keys()) if (id !== this.id) this.#appendDue.add(id);
    // A lone voter commits as soon as the entry is durable (see stableTo).
    return entry;
  }

  /**
   * Sends `to` the entries from its next index (or a snapshot if they are compacted). With
   * `sendIfEmpty`, sends even with no new entries, to carry the commit index or to probe.
   * @returns whether a message was sent.
   */
  #sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.paused) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.#sendSnapshot(to, pr);
    const entries = this.log.slice(pr.next, this.log.lastIndex + 1, this.settings.maxMessageBytes);
    if (entries.length === 0 && !sendIfEmpty) return false;
    const commit = this.log.committed;
    this.#send({ type: MessageType.App, to, index: prevIndex, logTerm: prevTerm, entries, commit });
    pr.sentEntries(prevIndex + entries.length, entries.length);
    // The follower commits no further than the entries it was sent.
    pr.sentCommit(Math.min(commit, prevIndex + entries.length));
    return true;
  }

  #sendSnapshot(to: NodeId, pr: Progress): boolean {
    const meta = this.snapshotMeta;
    if (meta === undefined || meta.index !== this.log.snapshotIndex) {
      throw new Error(`node ${to} needs entries before ${this.log.firstIndex}, which are compacted, but no snapshot covers them`);
    }
    // The core holds no snapshot data: the runtime reads it from storage and fills `data` in.
    this.#send({ type: MessageType.Snap, to, snapshot: { meta, data: EMPTY } });
    pr.becomeSnapshot(meta.index);
    return true;
  }

  #broadcastHeartbeat(context: Uint8Array): void {
    for (const [id, pr] of this.progress) {
      if (id === this.id) continue;
      // Never tell a follower a commit index past what it is known to hold. `index` is the send
      // tick, echoed in the answer (see #holdsLease).
      const commit = Math.min(pr.match, this.log.committed);
      this.#send({ type: MessageType.Heartbeat, to: id, index: this.#now, commit, context });
      pr.sentCommit(commit);
    }
  }

  #maybeCommit(): boolean {
    const index = jointCommitted(this.conf, (id) => this.progress.get(id)?.match ?? 0);
    // Only entries of the current term are committed by counting replicas (Raft §5.4.2).
    if (index <= this.log.committed || this.log.term(index) !== this.term) return false;
    this.log.commitTo(index);
    this.#releaseReadsAwaitingCommit();
    return true;
  }

  #stepLeader(m: Message): void {
    switch (m.type) {
      case MessageType.AppResp:
        return this.#handleAppendResponse(m);
      case MessageType.HeartbeatResp:
        return this.#handleHeartbeatResponse(m);
      case MessageType.ReadIndex:
        return this.#handleReadRequest(m.from, m.context);
      default:
        return;
    }
  }

  #handleAppendResponse(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (m.reject) {
      // Fast backtracking: skip every entry of a term the follower does not have.
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.#sendAppend(m.from, true);
      }
      return;
    }
    const wasPaused = pr.paused;
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
    else if (pr.state === 'replicate') pr.inflights.freeTo(m.index);
    this.#maybeCommit();
    if (wasPaused) this.#appendDue.add(m.from);
    if (pr.match < this.log.lastIndex) this.#appendDue.add(m.from);
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex) this.#sendTimeoutNow(m.from);
  }

  #handleHeartbeatResponse(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    pr.probeSent = false;
    // Acks may have been lost: make room so a stuck window can move again.
    if (pr.state === 'replicate' && pr.inflights.full) pr.inflights.freeFirst();
    pr.heartbeatAcked = Math.max(pr.heartbeatAcked, m.index);
    if (pr.match < this.log.lastIndex) this.#sendAppend(m.from, true);
    if (m.context.length === 0) return;
    const acks = this.#readOnly.ack(m.context, m.from);
    if (acks === undefined || !jointActive(this.conf, (id) => acks.has(id))) return;
    for (const read of this.#readOnly.confirm(m.context)) this.#deliverRead(read);
  }

  // ── Followers ─────────────────────────────────────────────────────────────────────────────

  #stepCandidate(m: Message): void {
    switch (m.type) {
      case MessageType.App:
      case MessageType.Heartbeat:
      case MessageType.Snap:
        // A leader of this term exists: stand down and follow it.
        this.becomeFollower(this.term, m.from);
        return this.#stepFollower(m);
      case MessageType.PreVoteResp:
      case MessageType.VoteResp: {
        const expected = this.role === Role.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
        if (m.type !== expected) return;
        if (m.reject && this.#learnCommitFromRefusal(m)) {
          // What it now knows is committed may change the configuration this election counts votes
          // in: stand down, and campaign again once it is applied.
          this.becomeFollower(this.term, NONE);
          return;
        }
        const result = this.#poll(m.from, !m.reject);
        if (result === 'won') {
          if (this.role === Role.PreCandidate) this.#campaign('vote', false);
          else this.#becomeLeader();
        } else if (result === 'lost') {
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
      default:
        return;
    }
  }

  #stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.App:
        this.#heardFromLeader(m.from);
        return this.#handleAppend(m);
      case MessageType.Heartbeat:
        this.#heardFromLeader(m.from);
        this.log.commitTo(m.commit);
        this.#send({ type: MessageType.HeartbeatResp, to: m.from, index: m.index, context: m.context });
        return;
      case MessageType.Snap:
        this.#heardFromLeader(m.from);
        return this.#handleSnapshot(m);
      case MessageType.TimeoutNow:
        if (this.promotable) this.#hup(true);
        return;
      case MessageType.ReadIndexResp:
        this.readStates.push({ index: m.index, context: m.context });
        return;
      default:
        return;
    }
  }

  #heardFromLeader(leader: NodeId): void {
    this.#electionElapsed = 0;
    this.lead = leader;
  }

  #handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.#send({ type: MessageType.AppResp, to: m.from, index: this.log.committed });
      return;
    }
    const lastNew = this.log.tryAppend(m.index, m.logTerm, m.entries);
    if (lastNew !== undefined) {
      // Commit only what this message proved we share with the leader.
      this.log.commitTo(Math.min(m.commit, lastNew));
      this.#send({ type: MessageType.AppResp, to: m.from, index: lastNew });
      return;
    }
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex), m.logTerm);
    this.#send({
      type: MessageType.AppResp,
      to: m.from,
      index: m.index,
      reject: true,
      rejectHint: hint.index,
      logTerm: hint.term,
    });
  }

  #handleSnapshot(m: Message): void {
    const snapshot = m.snapshot;
    // A piece of a snapshot sent in chunks is the runtime's business: installing it would install
    // part of a snapshot. The runtime steps the whole snapshot once every piece has arrived.
    if (snapshot === undefined || m.chunk !== undefined) return;
    if (this.log.restore(snapshot)) {
      this.snapshotMeta = snapshot.meta;
      this.conf = snapshot.meta.conf;
    }
    this.#send({ type: MessageType.AppResp, to: m.from, index: this.log.committed });
  }

  // ── Reads ─────────────────────────────────────────────────────────────────────────────────

  #handleReadRequest(from: NodeId, context: Uint8Array): void {
    // Until this leader commits an entry of its term, its commit index may lag the true one.
    if (this.log.term(this.log.committed) !== this.term) {
      this.#readsAwaitingCommit.push({ from, context });
      return;
    }
    const index = this.log.committed;
    const alone = jointActive(this.conf, (id) => id === this.id);
    if (alone || (this.settings.readOnly === 'lease' && this.#holdsLease())) {
      this.#deliverRead({ index, context, from });
      return;
    }
    this.#readOnly.add(index, context, from, this.id);
    this.#broadcastHeartbeat(context);
  }

  /**
   * Lease reads (thesis §6.4.1): a follower that heard from this leader at tick `s` votes for
   * nobody before `s + electionTicks`, and no candidate campaigns sooner either. So while a quorum
   * has acknowledged heartbeats sent less than an election timeout ago, no other leader can exist.
   * (Checking only that a quorum answered within the last check-quorum round is not enough: that
   * round may have started long before the answers' heartbeats were sent, or been answered late.)
   * Assumes ticks advance at the same rate everywhere. The lease ends a tick early: a follower's
   * first tick after the heartbeat may come at once, so its `electionTicks` ticks can span one tick
   * less of real time. A transfer skips the followers' wait, so it gives the lease up for the rest
   * of the term.
   */
  #holdsLease(): boolean {
    if (this.#leaseSurrendered || this.leadTransferee !== NONE) return false;
    const oldest = this.#now - (this.settings.electionTicks - 1);
    return jointActive(this.conf, (id) => id === this.id || (this.progress.get(id)?.heartbeatAcked ?? oldest) > oldest);
  }

  #releaseReadsAwaitingCommit(): void {
    if (this.#readsAwaitingCommit.length === 0 || this.log.term(this.log.committed) !== this.term) return;
    const reads = this.#readsAwaitingCommit;
    this.#readsAwaitingCommit = [];
    for (const read of reads) this.#handleReadRequest(read.from, read.context);
  }

  #deliverRead(read: ConfirmedRead): void {
    if (read.from === this.id) {
      this.readStates.push({ index: read.index, context: read.context });
      return;
    }
    // The follower serves the read once it has applied up to `index`: tell it the commit index now.
    this.#sendCommitIndexTo(read.from);
    this.#send({ type: MessageType.ReadIndexResp, to: read.from, index: read.index, context: read.context });
  }

  // ── Status ────────────────────────────────────────────────────────────────────────────────

  get electionElapsed(): number {
    return this.#electionElapsed;
  }

  #send(fields: Partial<Message> & Pick<Message, 'type' | 'to'>): void {
    this.msgs.push(createMessage({ from: this.id, term: this.term, ...fields }));
  }
}
