import type { Entry, NodeId } from '@raft/core';
import { describeEntry } from '../entry-format.js';
import { InvariantViolation } from './violation.js';

/**
 * Leader Append-Only: a leader never overwrites or deletes entries of its log; it only appends.
 *
 * Checked two ways during one leadership (same node, same term, same incarnation): its in-memory
 * last index never decreases, and no write it makes durable replaces a stored entry.
 */
export class LeaderAppendOnly {
  /** Per node: the term it leads and its last index last seen, while it is leader. */
  private readonly leading = new Map<NodeId, { term: number; lastIndex: number }>();
  /** Per node: the term of the leadership in which it last persisted a Ready. */
  private readonly persistedAsLeader = new Map<NodeId, number>();

  /** Records a node's role, term and last index after it handled an input. */
  observeStatus(node: NodeId, isLeader: boolean, term: number, lastIndex: number): void {
    if (!isLeader) {
      this.leading.delete(node);
      return;
    }
    const before = this.leading.get(node);
    if (before !== undefined && before.term === term && lastIndex < before.lastIndex) {
      throw new InvariantViolation(
        'Leader Append-Only',
        `n${node}, leader of term ${term}, shrank its log from last index ${before.lastIndex} to ${lastIndex}`,
      );
    }
    this.leading.set(node, { term, lastIndex });
  }

  /**
   * Records a durable write. `leaderTerm` is the term the node leads when it handed out the Ready,
   * or `undefined` when it is not leader; `replaced` are the stored entries the write discarded.
   */
  observePersist(node: NodeId, leaderTerm: number | undefined, replaced: readonly Entry[]): void {
    const previous = this.persistedAsLeader.get(node);
    if (leaderTerm !== undefined && previous === leaderTerm && replaced.length > 0) {
      throw new InvariantViolation(
        'Leader Append-Only',
        `n${node}, leader of term ${leaderTerm}, replaced ${replaced.length} of its own entries from ${describeEntry(replaced[0] as Entry)}`,
      );
    }
    if (leaderTerm === undefined) this.persistedAsLeader.delete(node);
    else this.persistedAsLeader.set(node, leaderTerm);
  }

  /** Forgets a crashed node: a restarted node starts a new incarnation as follower. */
  forget(node: NodeId): void {
    this.leading.delete(node);
    this.persistedAsLeader.delete(node);
  }
}
