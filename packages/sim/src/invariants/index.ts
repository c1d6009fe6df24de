import type { Entry, NodeId, ReadState } from '@raft/core';
import type { SimNodeStatus } from '../core-api.js';
import type { LogView, PersistResult } from '../storage.js';
import { CommitRules } from './commit-rules.js';
import { ElectionSafety } from './election-safety.js';
import { LeaderAppendOnly } from './leader-append-only.js';
import { LeaderCompleteness } from './leader-completeness.js';
import { LogMatching } from './log-matching.js';
import { ReadSafety } from './read-safety.js';
import type { CommittedRecord } from './state-machine-safety.js';
import { StateMachineSafety } from './state-machine-safety.js';

export { CommitRules, ElectionSafety, LeaderAppendOnly, LeaderCompleteness, LogMatching, ReadSafety, StateMachineSafety };
export type { CommittedRecord };
export { InvariantViolation, type Invariant } from './violation.js';

/**
 * Every checker of the cluster, fed from the points where the simulation observes nodes: after a
 * node handles an input, after it persists a Ready, when it applies an entry, when it crashes or
 * restarts. Each hook throws an {@link InvariantViolation} the moment a property fails.
 */
export class ClusterInvariants {
  readonly electionSafety = new ElectionSafety();
  readonly leaderAppendOnly = new LeaderAppendOnly();
  readonly logMatching = new LogMatching();
  readonly leaderCompleteness = new LeaderCompleteness();
  readonly stateMachineSafety = new StateMachineSafety();
  readonly commitRules = new CommitRules();
  readonly readSafety = new ReadSafety();

  /** A node handled an input (message, tick, proposal, restart...) and now reports `status`. */
  afterInput(status: SimNodeStatus, step: number): void {
    const isLeader = status.role === 'leader';
    if (isLeader) this.electionSafety.observeLeader(status.id, status.term, step);
    else this.leaderCompleteness.forget(status.id);
    this.leaderAppendOnly.observeStatus(status.id, isLeader, status.term, status.lastIndex);
    this.commitRules.observeStatus(status);
  }

  /**
   * A node made a Ready durable. `leaderTerm` is the term it leads at that Ready (or `undefined`),
   * `written` the entries stored, `log` its durable log afterwards.
   */
  afterPersist(node: NodeId, leaderTerm: number | undefined, written: readonly Entry[], result: PersistResult, log: LogView, commit: number, step: number): void {
    this.leaderAppendOnly.observePersist(node, leaderTerm, result.replaced);
    const first = written[0];
    if (first !== undefined) this.logMatching.observeWrite(node, written, log.termAt(first.index - 1) ?? 0, step);
    this.commitRules.observePersist(node, result, log, commit);
    if (leaderTerm !== undefined) this.leaderCompleteness.observeLeaderLog(node, leaderTerm, log);
  }

  /** A node in `term` applied `entry`; returns the record when it is the first to apply that index. */
  afterApply(node: NodeId, entry: Entry, term: number, step: number): CommittedRecord | undefined {
    const record = this.stateMachineSafety.observeApply(node, entry, term, step);
    if (record !== undefined) this.leaderCompleteness.observeCommit(record);
    return record;
  }

  /** A node (re)built its state machine from a snapshot at `index` (0: from nothing). */
  afterRestore(node: NodeId, index: number): void {
    this.stateMachineSafety.observeRestore(node, index);
  }

  /** A node crashed: whatever it held in memory is gone. */
  afterCrash(node: NodeId): void {
    this.leaderAppendOnly.forget(node);
    this.leaderCompleteness.forget(node);
    this.commitRules.forget(node);
  }

  /** A client asked `node` for a linearizable read. */
  afterReadRequest(node: NodeId, context: Uint8Array, step: number): void {
    this.readSafety.observeRequest(node, context, this.stateMachineSafety.maxApplied, step);
  }

  /** `node` completed a read. */
  afterReadState(node: NodeId, read: ReadState): void {
    this.readSafety.observeReadState(node, read);
  }
}
