import { decodeMessage } from '@raft/core/codec';
import type { Message, MessageHandler, NodeId } from '@raft/core';
import { splitBatch } from './batch-frame.js';

/** Senders whose first rejected frame or message is logged; past this many, rejections are only counted. */
const MAX_LOGGED_SENDERS = 256;

/** What {@link Inbound} needs from its transport. */
export interface InboundOptions {
  readonly id: NodeId;
  readonly clusterId: string;
  /** Largest message accepted; a batch frame claiming a longer one is malformed. */
  readonly maxMessageBytes: number;
  readonly deliver: MessageHandler;
  readonly warn: (message: string) => void;
}

/**
 * Turns received batch frames (see `batch-frame.ts`) into messages for the node. A malformed batch
 * frame is dropped whole; a message that does not decode (corrupt, from another cluster or release)
 * or that is addressed to another node is dropped on its own. Each drop is counted, and the first of
 * each sending connection is logged, so a misconfigured or hostile peer cannot flood the log.
 */
export class Inbound {
  #delivered = 0;
  #rejected = 0;
  readonly #loggedSenders = new Set<string>();

  constructor(private readonly options: InboundOptions) {}

  /** Messages handed to the node. */
  get delivered(): number {
    return this.#delivered;
  }

  /**
   * Batch frames dropped as malformed, and messages dropped because they did not decode or were
   * not addressed to this node.
   */
  get rejected(): number {
    return this.#rejected;
  }

  /** Handles one batch frame received from the connection whose routing id is `sender`. */
  accept(sender: Uint8Array, frame: Uint8Array): void {
    const batch = splitBatch(frame, this.options.maxMessageBytes);
    if (!batch.ok) {
      this.reject(sender, `malformed frame: ${batch.problem}`);
      return;
    }
    for (const message of batch.messages) this.acceptMessage(sender, message);
  }

  private acceptMessage(sender: Uint8Array, frame: Uint8Array): void {
    const { id, clusterId } = this.options;
    let message: Message;
    try {
      message = decodeMessage(frame, clusterId);
    } catch (cause) {
      // Whatever a hostile or corrupt frame makes the decoder throw, it must not take the node down.
      this.reject(sender, `undecodable message: ${cause instanceof Error ? cause.message : String(cause)}`);
      return;
    }
    if (message.to !== id) {
      this.reject(sender, `message addressed to node ${message.to} arrived at node ${id}; check the peer addresses`);
      return;
    }
    this.#delivered++;
    try {
      this.options.deliver(message);
    } catch (error) {
      this.options.warn(`the message handler threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private reject(sender: Uint8Array, reason: string): void {
    this.#rejected++;
    const name = Buffer.from(sender.buffer, sender.byteOffset, sender.byteLength).toString('latin1');
    if (this.#loggedSenders.has(name) || this.#loggedSenders.size >= MAX_LOGGED_SENDERS) return;
    this.#loggedSenders.add(name);
    this.options.warn(
      `dropped a frame from connection ${JSON.stringify(name)}: ${reason} (further frames and messages it sends that are dropped are counted, not logged)`,
    );
  }
}
