import type { ReadState } from '@raft/core';
import { DeadlineQueue, type Expiring } from './deadline-queue.js';
import { NodeStoppedError, ReadTimeoutError } from './errors.js';

/** One `read()` call waiting for its barrier. */
interface PendingRead extends Expiring {
  resolve(index: number): void;
  reject(error: unknown): void;
}

/** The reads that share one ReadIndex request, and the index it confirmed (0 until then). */
interface ReadBatch {
  readonly reads: PendingRead[];
  index: number;
}

/**
 * Linearizable reads from `read()` to their answer.
 *
 * All reads arriving in one turn share one ReadIndex request (one heartbeat round on the leader).
 * A read resolves once the core confirmed its read index *and* the local state machine has applied
 * at least that index, which is what makes a read served afterwards linearizable, on a follower too.
 */
export class ReadTracker {
  private queued: PendingRead[] = [];
  private readonly requested = new Map<number, ReadBatch>();
  /** Confirmed batches waiting for the state machine to catch up to their index. */
  private confirmed: ReadBatch[] = [];
  private readonly deadlines = new DeadlineQueue<PendingRead>();
  private nextContext = 1;

  constructor(private readonly timeoutMs: number) {}

  submit(now: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const read: PendingRead = { deadline: now + this.timeoutMs, settled: false, resolve, reject };
      this.queued.push(read);
      this.deadlines.push(read);
    });
  }

  /**
   * Starts a ReadIndex request for the reads queued since the last call: returns the context to
   * pass to the core, or `undefined` when nothing is queued.
   */
  startBatch(): Uint8Array | undefined {
    if (this.queued.length === 0) return undefined;
    const id = this.nextContext++;
    this.requested.set(id, { reads: this.queued, index: 0 });
    this.queued = [];
    return encodeContext(id);
  }

  /** The core could not start the request for `context` (e.g. no leader known): fail its reads. */
  failBatch(context: Uint8Array, error: unknown): void {
    const id = decodeContext(context);
    const batch = this.requested.get(id);
    this.requested.delete(id);
    for (const read of batch?.reads ?? []) settle(read)?.reject(error);
  }

  /**
   * Asks again for every request not confirmed yet: a leader change or a lost message drops a
   * request inside Raft without an answer. A late answer to the old request is then ignored.
   * Safe for linearizability: the new read point is taken later, still within each read's call.
   */
  retryUnconfirmed(): void {
    for (const batch of this.requested.values()) {
      for (const read of batch.reads) if (!read.settled) this.queued.push(read);
    }
    this.requested.clear();
  }

  /** The core confirmed a read index. Contexts this node does not know (expired, or another's) are ignored. */
  confirm(state: ReadState): void {
    const id = decodeContext(state.context);
    const batch = this.requested.get(id);
    if (batch === undefined) return;
    this.requested.delete(id);
    batch.index = state.index;
    this.confirmed.push(batch);
  }

  /** The state machine applied up to `applied`: answer the reads whose barrier it has reached. */
  release(applied: number): void {
    if (this.confirmed.length === 0) return;
    const waiting: ReadBatch[] = [];
    for (const batch of this.confirmed) {
      if (batch.index > applied) waiting.push(batch);
      else for (const read of batch.reads) settle(read)?.resolve(batch.index);
    }
    this.confirmed = waiting;
    this.deadlines.trim();
  }

  expire(now: number): void {
    this.deadlines.expire(now, (read) => settle(read)?.reject(new ReadTimeoutError(this.timeoutMs)));
  }

  /** The node stopped: every pending read fails (reads change nothing, so retrying is safe). */
  abort(cause: Error | undefined): void {
    for (const read of this.deadlines.drain()) settle(read)?.reject(new NodeStoppedError({ cause }));
    this.queued = [];
    this.requested.clear();
    this.confirmed = [];
  }
}

/** Marks `read` answered; returns it, or `undefined` if it was answered already. */
function settle(read: PendingRead): PendingRead | undefined {
  if (read.settled) return undefined;
  read.settled = true;
  return read;
}

function encodeContext(id: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, id);
  return bytes;
}

function decodeContext(context: Uint8Array): number {
  if (context.byteLength !== 8) return 0;
  return new DataView(context.buffer, context.byteOffset, 8).getFloat64(0);
}
