import type { Message } from '../types.js';

/** Receives the messages a transport delivers to its node. */
export type MessageHandler = (message: Message) => void;

/**
 * The contract a transport adapter implements: an unreliable datagram link between the nodes of
 * one cluster.
 *
 * A transport may drop, duplicate, delay or reorder messages (Raft tolerates all of that) but never
 * corrupts or forges one, and never delivers a message from another cluster. `send` never blocks
 * the caller and never lets memory grow without bound because a peer is slow or dead: past a
 * bounded queue it drops.
 *
 * Run `transportContractSuite` from `@raft/conformance` against an implementation to check it.
 */
export interface Transport {
  /**
   * Starts delivering messages addressed to this node to `handler`. Called once. Resolves when
   * the transport is ready to receive (sockets bound, subscriptions active).
   */
  start(handler: MessageHandler): Promise<void>;

  /**
   * Queues `message` for `message.to` and returns at once. Returns `false` when the message was
   * dropped immediately (unknown peer, full queue, transport closed), `true` when it was queued,
   * which is no promise of delivery.
   */
  send(message: Message): boolean;

  /** Stops receiving and releases every socket, connection and timer. Idempotent. */
  close(): Promise<void>;
}
