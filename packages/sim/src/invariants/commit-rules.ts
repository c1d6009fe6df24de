import type { NodeId } from '@raft/core';
import { describeEntry, sameEntry } from '../entry-format.js';
import type { SimNodeStatus } from '../core-api.js';
import type { LogView, PersistResult } from '../storage.js';
import { InvariantViolation } from './violation.js';

/**
 * Rules about the commit index: a node's commit never exceeds its last index nor goes backwards,
 * it applies nothing beyond it, and a durable entry at or below the durable commit index is never
 * replaced by a different one (conflict truncation never touches committed entries).
 */
export class CommitRules {
  /** Commit index last seen per node, within its current incarnation. */
  private readonly commits = new Map<NodeId, number>();

  /** Checks a node's status after it handled an input. */
  observeStatus(status: SimNodeStatus): void {
    const { id, commit, lastIndex, applied } = status;
    if (commit > lastIndex) {
      throw new InvariantViolation('Commit Bounds', `n${id} has commit index ${commit} beyond its last index ${lastIndex}`);
    }
    if (applied > commit) {
      throw new InvariantViolation('Commit Bounds', `n${id} has applied index ${applied} beyond its commit index ${commit}`);
    }
    const before = this.commits.get(id) ?? 0;
    if (commit < before) {
      throw new InvariantViolation('Commit Bounds', `n${id} moved its commit index back from ${before} to ${commit}`);
    }
    this.commits.set(id, commit);
  }

  /** Checks a durable write: `log` is the node's log after it. */
  observePersist(node: NodeId, result: PersistResult, log: LogView, commitAfter: number): void {
    const commitBefore = result.hardStateBefore.commit;
    for (const old of result.replaced) {
      if (old.index > commitBefore) break;
      const now = log.entryAt(old.index);
      if (now === undefined || !sameEntry(old, now)) {
        throw new InvariantViolation(
          'Committed Entries Are Immutable',
          `n${node} replaced committed entry ${describeEntry(old)} (durable commit ${commitBefore}) with ${now === undefined ? 'nothing' : describeEntry(now)}`,
        );
      }
    }
    if (commitAfter < commitBefore) {
      throw new InvariantViolation('Commit Bounds', `n${node} persisted commit index ${commitAfter} below its durable ${commitBefore}`);
    }
    if (commitAfter > log.lastIndex) {
      throw new InvariantViolation('Commit Bounds', `n${node} persisted commit index ${commitAfter} beyond its durable last index ${log.lastIndex}`);
    }
  }

  /** Forgets a crashed node: a restarted node resumes from its durable commit index. */
  forget(node: NodeId): void {
    this.commits.delete(node);
  }
}
