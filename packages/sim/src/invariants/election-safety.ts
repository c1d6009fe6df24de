import type { NodeId } from '@raft/core';
import { InvariantViolation } from './violation.js';

/**
 * Election Safety: at most one leader is elected in a term, over the whole history (a leader that
 * crashed or stepped down still counts for its term).
 */
export class ElectionSafety {
  private readonly leaders = new Map<number, { readonly node: NodeId; readonly step: number }>();

  /** Records that `node` is leader of `term`, as observed at `step`. */
  observeLeader(node: NodeId, term: number, step: number): void {
    const known = this.leaders.get(term);
    if (known === undefined) {
      this.leaders.set(term, { node, step });
    } else if (known.node !== node) {
      throw new InvariantViolation(
        'Election Safety',
        `term ${term} has two leaders: n${known.node} (since step ${known.step}) and n${node} (at step ${step})`,
      );
    }
  }

  /** How many terms had a leader. */
  get termsWithLeader(): number {
    return this.leaders.size;
  }
}
