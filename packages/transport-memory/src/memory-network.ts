import type { Message, NodeId, Transport } from '@raft/core';
import { NetworkFaults, type NetworkFaultsOptions } from './faults.js';
import { MemoryTransport, type EndpointNetwork } from './memory-transport.js';

/** Options of {@link MemoryNetwork}. */
export interface MemoryNetworkOptions extends NetworkFaultsOptions {
  /**
   * Most messages one link holds in flight (delayed, or waiting for the next event-loop turn);
   * past it `send` returns false. Default 10 000.
   */
  readonly linkCapacity?: number;
}

/**
 * An in-process network for tests and simulations: nodes get {@link Transport}s with
 * {@link endpoint}, and the network applies the faults it inherits from {@link NetworkFaults}
 * (drop, duplicate, delay, reorder, partition, isolate, cut), all changeable while it runs.
 *
 * Delivery is asynchronous (a later event-loop turn, or after the configured delay), never inside
 * `send`, and each receiver gets its own deeply copied, structurally frozen message.
 *
 * @example
 * ```ts
 * const net = new MemoryNetwork({ random: seededRandom(42) });
 * const transports = [1, 2, 3].map((id) => net.endpoint(id));
 * net.setFaults({ dropRate: 0.1, delayMs: [1, 20], reorder: true });
 * net.partition([1], [2, 3]);
 * net.heal();
 * ```
 */
export class MemoryNetwork extends NetworkFaults {
  private readonly endpoints = new Map<NodeId, MemoryTransport>();
  private readonly known = new Set<NodeId>();
  private readonly wiring: EndpointNetwork;

  constructor(options: MemoryNetworkOptions = {}) {
    super(options);
    const linkCapacity = options.linkCapacity ?? 10_000;
    if (!(Number.isInteger(linkCapacity) && linkCapacity > 0)) {
      throw new RangeError(`linkCapacity must be a positive integer, got ${linkCapacity}`);
    }
    this.wiring = {
      faults: this,
      linkCapacity,
      knows: (id) => this.known.has(id),
      route: (message: Message) => this.endpoints.get(message.to)?.receive(message) ?? false,
      released: (endpoint) => {
        if (this.endpoints.get(endpoint.id) === endpoint) this.endpoints.delete(endpoint.id);
      },
    };
  }

  /**
   * A new, unstarted transport for node `id`. Messages in flight to `id` reach whichever endpoint
   * is running when they arrive, so closing an endpoint and asking for a new one simulates a
   * process restart at the same address.
   *
   * @throws Error when `id` still has an open endpoint (close it first).
   */
  endpoint(id: NodeId): Transport {
    if (this.endpoints.has(id)) {
      throw new Error(`node ${id} already has an open endpoint on this network; close it before opening another`);
    }
    const endpoint = new MemoryTransport(id, this.wiring);
    this.endpoints.set(id, endpoint);
    this.known.add(id);
    return endpoint;
  }
}
