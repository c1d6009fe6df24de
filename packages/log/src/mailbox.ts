import type { Message } from '@raft/core';

/** A tick of the node's clock, queued among the messages so both reach the core in arrival order. */
export const TICK = 'tick';

/** What arrives for the core between two turns of the driver. */
export type Arrival = Message | typeof TICK;

/**
 * The driver's inbox and the signal that wakes it.
 *
 * Inputs (messages, ticks, and — through {@link Mailbox.wake} — proposals and reads held elsewhere)
 * may arrive at any time, while the driver only touches the core between Readies. Waking is
 * deferred with `setImmediate`, so everything that arrives within one turn of the event loop is fed
 * to the core together: that is what turns concurrent proposals into one batch, one storage write
 * and one AppendEntries per follower.
 */
export class Mailbox {
  private arrivals: Arrival[] = [];
  private pending = false;
  private waiter: (() => void) | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;

  /** Queues a message or tick for the core. */
  push(arrival: Arrival): void {
    if (this.closed) return;
    this.arrivals.push(arrival);
    this.wake();
  }

  /** Takes everything queued since the last call. */
  take(): Arrival[] {
    this.pending = false;
    const arrivals = this.arrivals;
    if (arrivals.length > 0) this.arrivals = [];
    return arrivals;
  }

  /** Something new needs the driver's attention. */
  wake(): void {
    this.pending = true;
    if (this.waiter !== undefined && this.immediate === undefined) {
      this.immediate = setImmediate(this.release);
    }
  }

  /** Resolves on the turn after something arrives (at once if something already has), or on close. */
  wait(): Promise<void> {
    if (this.pending || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Releases the waiting driver and the pending wake-up; later pushes are ignored. */
  close(): void {
    this.closed = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.arrivals = [];
    this.release();
  }

  private readonly release = (): void => {
    this.immediate = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  };
}
