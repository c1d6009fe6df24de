import type { Message, NodeId } from '@raft/core';
import type { SimRandom } from './prng.js';

/** How unreliable the simulated network is. Rates are probabilities per message. */
export interface NetworkRates {
  /** A sent message is lost. */
  readonly drop: number;
  /** A sent message arrives twice. */
  readonly duplicate: number;
  /** A sent message is held back for 1..`maxDelay` ticks. */
  readonly delay: number;
  /** A delivery takes a random deliverable message instead of the oldest. */
  readonly reorder: number;
  /** The longest a delayed message is held back, in ticks. */
  readonly maxDelay: number;
}

/** A reliable, in-order network: what the cluster sees once faults heal. */
export const RELIABLE: NetworkRates = { drop: 0, duplicate: 0, delay: 0, reorder: 0, maxDelay: 0 };

/** A message on its way, with the tick from which it may be delivered. */
interface InFlight {
  readonly message: Message;
  readonly deliverAt: number;
}

/** Why the network lost a message. */
export type LossReason = 'dropped' | 'partitioned' | 'overflow';

/** What the network did with a message, reported to whoever watches (the trace). */
export type NetworkEvent =
  | { readonly kind: 'sent'; readonly message: Message; readonly copies: number; readonly delay: number }
  | { readonly kind: 'lost'; readonly message: Message; readonly reason: LossReason };

/**
 * The simulated network: an unordered bag of messages in flight, with seeded loss, duplication,
 * delay, reordering and partitions. Time is the simulation's tick count, advanced by the caller.
 * The bag is bounded, as a real transport's buffers are: past `capacity` the oldest message is lost.
 */
export class SimNetwork {
  rates: NetworkRates;
  private inFlight: InFlight[] = [];
  /** Partition group of each node; nodes in different groups cannot talk. Empty = no partition. */
  private groups = new Map<NodeId, number>();
  private now = 0;

  constructor(
    private readonly random: SimRandom,
    rates: NetworkRates,
    private readonly onEvent: ((event: NetworkEvent) => void) | undefined,
    private readonly capacity = 4096,
  ) {
    this.rates = rates;
  }

  /** Advances network time by one tick, releasing delayed messages that are due. */
  tick(): void {
    this.now++;
  }

  /** Messages in flight, delayed or not. */
  get size(): number {
    return this.inFlight.length;
  }

  /** `true` when some message may be delivered now. */
  hasDeliverable(): boolean {
    return this.inFlight.some((f) => f.deliverAt <= this.now);
  }

  /** Splits the nodes into groups that cannot reach each other. */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.groups = new Map();
    groups.forEach((group, g) => group.forEach((id) => this.groups.set(id, g)));
  }

  /** Removes every partition. */
  heal(): void {
    this.groups = new Map();
  }

  /** `true` while a partition is in force. */
  get partitioned(): boolean {
    return this.groups.size > 0;
  }

  /** `true` when `a` and `b` can currently exchange messages. */
  connected(a: NodeId, b: NodeId): boolean {
    return this.groups.size === 0 || this.groups.get(a) === this.groups.get(b);
  }

  /** Accepts a message for delivery, applying loss, duplication and delay. */
  send(message: Message): void {
    if (!this.connected(message.from, message.to)) return this.lose(message, 'partitioned');
    if (this.random.chance(this.rates.drop)) return this.lose(message, 'dropped');
    const copies = this.random.chance(this.rates.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const delay = this.random.chance(this.rates.delay) ? 1 + this.random.int(this.rates.maxDelay) : 0;
      if (this.inFlight.length >= this.capacity) {
        const oldest = this.inFlight.shift();
        if (oldest !== undefined) this.lose(oldest.message, 'overflow');
      }
      this.inFlight.push({ message, deliverAt: this.now + delay });
      this.onEvent?.({ kind: 'sent', message, copies, delay });
    }
  }

  /**
   * Takes the next message to deliver: usually the oldest deliverable one, sometimes (per the
   * reorder rate) a random one. A message whose link was cut while it was in flight is lost.
   * Returns `undefined` when nothing is deliverable.
   */
  take(): Message | undefined {
    while (true) {
      const position = this.choose();
      if (position < 0) return undefined;
      const [taken] = this.inFlight.splice(position, 1);
      if (taken === undefined) return undefined;
      if (this.connected(taken.message.from, taken.message.to)) return taken.message;
      this.lose(taken.message, 'partitioned');
    }
  }

  private choose(): number {
    if (this.random.chance(this.rates.reorder)) {
      const deliverable: number[] = [];
      this.inFlight.forEach((f, i) => {
        if (f.deliverAt <= this.now) deliverable.push(i);
      });
      return deliverable.length === 0 ? -1 : this.random.pick(deliverable);
    }
    return this.inFlight.findIndex((f) => f.deliverAt <= this.now);
  }

  private lose(message: Message, reason: LossReason): void {
    this.onEvent?.({ kind: 'lost', message, reason });
  }
}
