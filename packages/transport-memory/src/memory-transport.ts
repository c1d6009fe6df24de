import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';
import { deliveredCopy } from './delivered-copy.js';
import { FaultyLinks } from './faulty-links.js';
import type { NetworkFaults } from './faults.js';

/** What an endpoint needs from its network. */
export interface EndpointNetwork {
  readonly faults: NetworkFaults;
  readonly linkCapacity: number;
  /** Whether `id` has ever had an endpoint on this network. */
  knows(id: NodeId): boolean;
  /** Hands `message` to the running endpoint of `message.to`; false if there is none. */
  route(message: Message): boolean;
  /** The endpoint closed: its id may get a new one. */
  released(endpoint: MemoryTransport): void;
}

/**
 * One node's endpoint on a {@link MemoryNetwork}. Delivery is always asynchronous (never inside
 * `send`), and every delivered message is the receiver's own frozen copy.
 */
export class MemoryTransport implements Transport {
  private handler: MessageHandler | undefined;
  private closed = false;
  private readonly links: FaultyLinks;

  /** @internal Use {@link MemoryNetwork.endpoint}. */
  constructor(
    readonly id: NodeId,
    private readonly network: EndpointNetwork,
  ) {
    this.links = new FaultyLinks({
      faults: network.faults,
      deliver: (message) => network.route(message),
      capacity: network.linkCapacity,
      synchronous: false,
    });
  }

  /** Whether the endpoint is started and not closed, i.e. receives what reaches it. */
  get running(): boolean {
    return this.handler !== undefined && !this.closed;
  }

  start(handler: MessageHandler): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error(`the endpoint of node ${this.id} is closed; get a new one with network.endpoint(${this.id})`));
    }
    if (this.handler) return Promise.reject(new Error(`the endpoint of node ${this.id} is already started`));
    this.handler = handler;
    return Promise.resolve();
  }

  /**
   * Returns false when closed, when no endpoint for `message.to` was ever created on the network
   * (unknown peer), or when the link already holds its capacity of delayed messages. A known peer
   * that is down (not started, or closed) gets true: the message is lost in flight, as on a wire.
   */
  send(message: Message): boolean {
    if (this.closed || !this.network.knows(message.to)) return false;
    return this.links.send(message);
  }

  /** Drops what this endpoint still has in flight and stops receiving. Idempotent. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.links.close();
      this.network.released(this);
    }
    return Promise.resolve();
  }

  /** @internal Called by the network when a message reaches this node. */
  receive(message: Message): boolean {
    if (!this.running) return false;
    (this.handler as MessageHandler)(deliveredCopy(message));
    return true;
  }
}
