import type { Entry, NodeId } from '@raft/core';
import { describeEntry, sameEntry } from '../entry-format.js';
import { InvariantViolation } from './violation.js';

/** What was first stored at one (index, term) position, and by whom. */
interface PositionRecord {
  readonly entry: Entry;
  readonly previousTerm: number;
  readonly node: NodeId;
  readonly step: number;
}

/**
 * Log Matching: if two logs hold an entry with the same index and term, they hold the same entry
 * there and are identical in every entry before it.
 *
 * Checked over the history of every durable log at once: the first write of each (index, term)
 * position is recorded with its data and the term of the entry before it, and every later write of
 * that position, on any node, must agree. By induction on the index, agreement on the predecessor's
 * term at every position makes matching positions imply identical prefixes, so each write costs
 * O(entries written) instead of a comparison of whole logs.
 */
export class LogMatching {
  /** `positions[index]` maps a term to the entry first stored at (index, term). */
  private readonly positions: Map<number, PositionRecord>[] = [];

  /**
   * Records entries a node made durable. `previousTerm` is the term of the stored entry just
   * before `entries[0]` (0 at the start of the log; the snapshot term right after a snapshot).
   */
  observeWrite(node: NodeId, entries: readonly Entry[], previousTerm: number, step: number): void {
    let prior = previousTerm;
    for (const entry of entries) {
      const byTerm = (this.positions[entry.index] ??= new Map());
      const first = byTerm.get(entry.term);
      if (first === undefined) {
        byTerm.set(entry.term, { entry, previousTerm: prior, node, step });
      } else if (!sameEntry(first.entry, entry)) {
        throw new InvariantViolation(
          'Log Matching',
          `position ${entry.index}/t${entry.term} holds ${describeEntry(first.entry)} on n${first.node} (stored at step ${first.step}) but ${describeEntry(entry)} on n${node}`,
        );
      } else if (first.previousTerm !== prior) {
        throw new InvariantViolation(
          'Log Matching',
          `entry ${describeEntry(entry)} follows an entry of term ${first.previousTerm} on n${first.node} (stored at step ${first.step}) but one of term ${prior} on n${node}: same entry, different prefixes`,
        );
      }
      prior = entry.term;
    }
  }
}
