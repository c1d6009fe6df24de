import type { NodeId, ReadState } from '../types.js';

/** A ReadIndex request waiting for a heartbeat quorum to confirm the leader. */
interface PendingRead {
  /** The commit index when the request arrived: the read is served once it is applied. */
  readonly index: number;
  readonly context: Uint8Array;
  /** Who asked: this node, or a follower that forwarded it. */
  readonly from: NodeId;
  readonly acks: Set<NodeId>;
}

/** A confirmed read and who asked for it. */
export interface ConfirmedRead extends ReadState {
  readonly from: NodeId;
}

function keyOf(context: Uint8Array): string {
  return Buffer.from(context.buffer, context.byteOffset, context.byteLength).toString('latin1');
}

/**
 * The leader's ReadIndex requests (Raft thesis §6.4), in arrival order. Each is confirmed once a
 * quorum answers a heartbeat sent after it arrived; confirming one confirms every earlier one too,
 * because those heartbeats went out later than theirs.
 */
export class ReadOnlyQueue {
  readonly #pending = new Map<string, PendingRead>();

  get size(): number {
    return this.#pending.size;
  }

  /** Queues a request; a duplicate context is ignored (the first one stands). */
  add(index: number, context: Uint8Array, from: NodeId, self: NodeId): void {
    const key = keyOf(context);
    if (this.#pending.has(key)) return;
    this.#pending.set(key, { index, context, from, acks: new Set([self]) });
  }

  /** Records that `from` answered the heartbeat that carried `context`; returns who has acked it. */
  ack(context: Uint8Array, from: NodeId): ReadonlySet<NodeId> | undefined {
    const read = this.#pending.get(keyOf(context));
    read?.acks.add(from);
    return read?.acks;
  }

  /** Removes and returns every request up to and including the one with `context`. */
  confirm(context: Uint8Array): ConfirmedRead[] {
    const key = keyOf(context);
    if (!this.#pending.has(key)) return [];
    const done: ConfirmedRead[] = [];
    for (const [k, read] of this.#pending) {
      this.#pending.delete(k);
      done.push({ index: read.index, context: read.context, from: read.from });
      if (k === key) break;
    }
    return done;
  }

  /** The context of the newest request, to piggyback on heartbeats. */
  lastContext(): Uint8Array | undefined {
    let last: PendingRead | undefined;
    for (const read of this.#pending.values()) last = read;
    return last?.context;
  }

  clear(): void {
    this.#pending.clear();
  }
}
