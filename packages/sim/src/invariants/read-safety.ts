import type { NodeId, ReadState } from '@raft/core';
import { describeData } from '../entry-format.js';
import { InvariantViolation } from './violation.js';

/**
 * Read Safety (linearizable ReadIndex): a read index must cover every entry applied anywhere
 * before the read was requested, since a client may already have seen those writes acknowledged.
 */
export class ReadSafety {
  private readonly pending = new Map<string, { readonly node: NodeId; readonly minIndex: number; readonly step: number }>();

  /** Records a `readIndex(context)` call on `node` while `appliedAnywhere` was the highest applied index. */
  observeRequest(node: NodeId, context: Uint8Array, appliedAnywhere: number, step: number): void {
    this.pending.set(describeData(context), { node, minIndex: appliedAnywhere, step });
  }

  /** Checks a completed read handed out by `node`. */
  observeReadState(node: NodeId, read: ReadState): void {
    const key = describeData(read.context);
    const request = this.pending.get(key);
    if (request === undefined) return;
    this.pending.delete(key);
    if (read.index < request.minIndex) {
      throw new InvariantViolation(
        'Read Safety',
        `read "${key}" requested on n${request.node} at step ${request.step} got read index ${read.index} from n${node}, but index ${request.minIndex} was already applied`,
      );
    }
  }
}
