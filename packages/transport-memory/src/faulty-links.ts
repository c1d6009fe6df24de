import type { Message, NodeId } from '@raft/core';
import type { NetworkFaults } from './faults.js';
import { LinkQueue } from './link-queue.js';

/** Options of {@link FaultyLinks}. */
export interface FaultyLinksOptions {
  readonly faults: NetworkFaults;
  /** Hands one copy to the receiving side; returns whether it was taken. */
  readonly deliver: (message: Message) => boolean;
  /** Most copies in flight per destination; past it `send` returns false. */
  readonly capacity: number;
  /**
   * Hand an undelayed copy to `deliver` inside `send` (and return its answer) when nothing is
   * queued before it. For wrapping a transport whose own `send` is already asynchronous; an
   * in-process network must not, or a receiver would run inside its sender's `send`.
   */
  readonly synchronous: boolean;
}

/**
 * The outgoing links of one sender, with the faults of a {@link NetworkFaults} applied: decides
 * each message's fate, holds delayed copies (bounded per destination) and hands them over when
 * due. Shared by {@link MemoryNetwork} endpoints and {@link withFaults}, so both behave alike.
 */
export class FaultyLinks {
  private readonly queues = new Map<NodeId, LinkQueue>();
  private readonly inFlight = new Map<NodeId, number>();
  private readonly timers = new Map<NodeJS.Timeout, Message>();
  private closed = false;

  constructor(private readonly options: FaultyLinksOptions) {}

  /** Applies the faults to `message` and sends what survives; false when it was refused at once. */
  send(message: Message): boolean {
    if (this.closed) return false;
    const { faults } = this.options;
    const { from, to } = message;
    faults.record(from, to, 'sent');
    const fate = faults.decide(from, to);
    if (fate.lost) {
      faults.record(from, to, 'dropped');
      return true;
    }
    if (fate.delays.length > 1) faults.record(from, to, 'duplicated', fate.delays.length - 1);
    let accepted = true;
    fate.delays.forEach((delay, copy) => {
      const taken = this.dispatch(message, delay, fate.reorder);
      if (copy === 0) accepted = taken;
    });
    return accepted;
  }

  /** Drops everything still in flight and refuses further sends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const lost = [...this.timers.values()];
    for (const queue of this.queues.values()) for (const message of queue.clear()) lost.push(message);
    for (const message of lost) this.options.faults.record(message.from, message.to, 'dropped');
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
    this.queues.clear();
    this.inFlight.clear();
  }

  private dispatch(message: Message, delay: number, reorder: boolean): boolean {
    const { to } = message;
    const queue = this.queues.get(to);
    if (this.options.synchronous && delay === 0 && !reorder && (queue?.size ?? 0) === 0) {
      return this.settle(message);
    }
    const pending = this.inFlight.get(to) ?? 0;
    if (pending >= this.options.capacity) {
      this.options.faults.record(message.from, to, 'dropped');
      return false;
    }
    this.inFlight.set(to, pending + 1);
    if (reorder) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.land(message);
      }, delay);
      this.timers.set(timer, message);
    } else {
      this.queueTo(to).push(message, delay);
    }
    return true;
  }

  private queueTo(to: NodeId): LinkQueue {
    let queue = this.queues.get(to);
    if (!queue) {
      queue = new LinkQueue((message) => this.land(message));
      this.queues.set(to, queue);
    }
    return queue;
  }

  /** A delayed copy is due: it leaves the in-flight count and goes to the receiver. */
  private land(message: Message): void {
    this.inFlight.set(message.to, (this.inFlight.get(message.to) ?? 1) - 1);
    this.settle(message);
  }

  private settle(message: Message): boolean {
    const taken = this.options.deliver(message);
    this.options.faults.record(message.from, message.to, taken ? 'delivered' : 'dropped');
    return taken;
  }
}
