import type { NodeId } from '@raft/core';
import { describeEntry, sameEntry } from '../entry-format.js';
import type { LogView } from '../storage.js';
import type { CommittedRecord } from './state-machine-safety.js';
import { InvariantViolation } from './violation.js';

/**
 * Leader Completeness: an entry committed in term T is in the log of every leader of a term after T.
 *
 * The commit term is bounded above by the first applier's term ({@link CommittedRecord.termBound}),
 * so a leader of a term beyond that bound must hold the entry. Checked on the leader's durable log
 * when its first Ready of the term has been persisted, and again for every current leader whenever
 * a new entry is seen committed. (A leader that steps down before either moment is not checked.)
 */
export class LeaderCompleteness {
  private readonly committed: CommittedRecord[] = [];
  private readonly leaders = new Map<NodeId, { readonly term: number; readonly log: LogView }>();

  /** Records that `node` leads `term` and has made its log durable as `log`. */
  observeLeaderLog(node: NodeId, term: number, log: LogView): void {
    if (this.leaders.get(node)?.term === term) return;
    this.leaders.set(node, { term, log });
    for (const record of this.committed) {
      if (record.termBound < term) this.check(node, term, log, record);
    }
  }

  /** Records a newly committed entry and checks the current leaders for it. */
  observeCommit(record: CommittedRecord): void {
    this.committed.push(record);
    for (const [node, { term, log }] of this.leaders) {
      if (record.termBound < term) this.check(node, term, log, record);
    }
  }

  /** Forgets a node that is no longer leader (stepped down or crashed). */
  forget(node: NodeId): void {
    this.leaders.delete(node);
  }

  private check(node: NodeId, term: number, log: LogView, record: CommittedRecord): void {
    const { entry } = record;
    if (entry.index <= log.snapshotIndex) return;
    const held = log.entryAt(entry.index);
    if (held === undefined || !sameEntry(held, entry)) {
      throw new InvariantViolation(
        'Leader Completeness',
        `n${node}, leader of term ${term}, lacks committed entry ${describeEntry(entry)} (applied by n${record.node} at step ${record.step} in term ${record.termBound}); it has ${held === undefined ? 'nothing' : describeEntry(held)} at index ${entry.index}`,
      );
    }
  }
}
