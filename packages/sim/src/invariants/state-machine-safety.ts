import type { Entry, NodeId } from '@raft/core';
import { describeEntry, sameEntry } from '../entry-format.js';
import { InvariantViolation } from './violation.js';

/** An entry known committed because some node applied it. */
export interface CommittedRecord {
  readonly entry: Entry;
  /** The node that applied it first, and when. */
  readonly node: NodeId;
  readonly step: number;
  /**
   * An upper bound on the term in which the entry was committed: the first applier's term when it
   * applied it (it learned the commit from a leader of that term or an earlier one).
   */
  readonly termBound: number;
}

/**
 * State Machine Safety: no two nodes apply different entries at the same index, and each node
 * applies indexes in order, without gaps or repeats (a restarted node starts again after its
 * snapshot, rebuilding its state machine).
 */
export class StateMachineSafety {
  private readonly committed: CommittedRecord[] = [];
  private readonly applied = new Map<NodeId, number>();

  /**
   * Records that `node`, in term `term`, applied `entry`. Returns the new record when no node had
   * applied this index before, so that other checkers can learn about new commits.
   */
  observeApply(node: NodeId, entry: Entry, term: number, step: number): CommittedRecord | undefined {
    const last = this.applied.get(node) ?? 0;
    if (entry.index !== last + 1) {
      throw new InvariantViolation(
        'State Machine Safety',
        `n${node} applied index ${entry.index} right after index ${last} (${entry.index <= last ? 'a repeat' : 'a gap'})`,
      );
    }
    this.applied.set(node, entry.index);
    const first = this.committed[entry.index];
    if (first === undefined) {
      const record = { entry, node, step, termBound: term };
      this.committed[entry.index] = record;
      return record;
    }
    if (!sameEntry(first.entry, entry)) {
      throw new InvariantViolation(
        'State Machine Safety',
        `index ${entry.index}: n${first.node} applied ${describeEntry(first.entry)} at step ${first.step}, n${node} applied ${describeEntry(entry)}`,
      );
    }
    return undefined;
  }

  /** Records that `node` restored a snapshot (or restarted from one): its next apply is `index + 1`. */
  observeRestore(node: NodeId, index: number): void {
    this.applied.set(node, index);
  }

  /** The highest index any node has applied. */
  get maxApplied(): number {
    return Math.max(0, this.committed.length - 1);
  }

  /** The entry applied at `index`, if any node applied it. */
  committedAt(index: number): CommittedRecord | undefined {
    return this.committed[index];
  }
}
