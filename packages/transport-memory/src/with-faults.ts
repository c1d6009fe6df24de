import type { Message, MessageHandler, Transport } from '@raft/core';
import type { NetworkFaults } from './faults.js';
import { FaultyLinks } from './faulty-links.js';

/** Options of {@link withFaults}. */
export interface WithFaultsOptions {
  /** Most delayed messages held per destination; past it `send` returns false. Default 10 000. */
  readonly linkCapacity?: number;
}

/**
 * Wraps any transport so that what it sends obeys `faults`: lost to drops and partitions,
 * duplicated, delayed or reordered, exactly as on a {@link MemoryNetwork}. Wrap every transport of
 * a cluster with the same `faults` and partitions apply both ways, since each side filters what it
 * sends.
 *
 * An undelayed message goes to the inner transport inside `send`, and `send` returns its answer
 * (so an unknown peer still gets `false`); a delayed one is held here, up to `linkCapacity` per
 * destination, and `send` returns true. A message lost to a fault also returns true: the sender of
 * a datagram cannot tell. Closing drops whatever is still held.
 *
 * @example
 * ```ts
 * const faults = new NetworkFaults({ random: seededRandom(7) });
 * const transports = ids.map((id) => withFaults(new ZmqTransport({ id, peers }), faults));
 * faults.partition([1], [2, 3]);
 * ```
 */
export function withFaults(inner: Transport, faults: NetworkFaults, options: WithFaultsOptions = {}): Transport {
  return new FaultyTransport(inner, faults, options.linkCapacity ?? 10_000);
}

class FaultyTransport implements Transport {
  private readonly links: FaultyLinks;

  constructor(
    private readonly inner: Transport,
    faults: NetworkFaults,
    capacity: number,
  ) {
    this.links = new FaultyLinks({ faults, deliver: (message) => inner.send(message), capacity, synchronous: true });
  }

  start(handler: MessageHandler): Promise<void> {
    return this.inner.start(handler);
  }

  send(message: Message): boolean {
    return this.links.send(message);
  }

  close(): Promise<void> {
    this.links.close();
    return this.inner.close();
  }
}
