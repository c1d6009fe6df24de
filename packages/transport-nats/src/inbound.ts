import type { Message, NodeId } from '@raft/core';
import { decodeMessage } from '@raft/core/codec';
import { unpackBundle } from './bundling.js';
import { parseChunk } from './chunking.js';
import { FramingError } from './framing-error.js';
import { Reassembler, type ReassemblyLimits } from './reassembly.js';

/** What {@link Inbound} needs from its transport. */
export interface InboundOptions {
  /** The receiving node: frames addressed to anyone else are discarded. */
  readonly id: NodeId;
  /** Frames stamped with another cluster id are discarded by the decoder. */
  readonly cluster: string;
  readonly limits: ReassemblyLimits;
  /** Receives each well-formed message for this node. */
  readonly deliver: (message: Message) => void;
  /** Told why a bundle, chunk or frame was discarded. */
  readonly discard: (reason: string) => void;
}

/**
 * Turns what NATS delivers on a node's subjects — bundles of frames, and chunks of frames too large
 * for one NATS message — into messages for that node, discarding anything malformed, misaddressed
 * or from another cluster without ever throwing at NATS.
 */
export class Inbound {
  readonly #reassembler: Reassembler;
  #sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InboundOptions) {
    this.#reassembler = new Reassembler(options.limits);
  }

  /** Chunked messages abandoned so far (a chunk lost, late, or evicted). */
  get abandoned(): number {
    return this.#reassembler.abandoned;
  }

  /** Handles the payload of a message on the node's frame subject. */
  onBundle(payload: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = unpackBundle(payload);
    } catch (cause) {
      this.discardFraming(cause, 'bundle');
      return;
    }
    // Decoding does not copy, and NATS hands out views into its socket read buffer: without a copy
    // each delivered entry would pin that whole buffer for as long as the node keeps the entry.
    for (const frame of frames) this.decode(new Uint8Array(frame), undefined);
  }

  /** Handles the payload of a message on the node's chunk subject. */
  onChunk(payload: Uint8Array): void {
    let chunk;
    let frame;
    try {
      chunk = parseChunk(payload);
      frame = this.#reassembler.accept(chunk, performance.now());
    } catch (cause) {
      this.discardFraming(cause, 'chunk');
      return;
    }
    this.scheduleSweep();
    if (frame !== undefined) this.decode(frame, chunk.sender);
  }

  /** Drops partial messages and stops the timer. */
  close(): void {
    clearTimeout(this.#sweepTimer);
    this.#reassembler.clear();
  }

  /** Decodes and delivers a frame; `chunkSender` is the sender its chunks named, if chunked. */
  private decode(frame: Uint8Array, chunkSender: NodeId | undefined): void {
    const { id, cluster, discard } = this.options;
    let message: Message;
    try {
      message = decodeMessage(frame, cluster);
    } catch (cause) {
      // Whatever a hostile or corrupt frame makes the decoder throw, it must not take the node down.
      discard(`undecodable frame: ${cause instanceof Error ? cause.message : String(cause)}`);
      return;
    }
    if (message.to !== id) {
      discard(`frame addressed to node ${message.to} arrived at node ${id}`);
    } else if (chunkSender !== undefined && message.from !== chunkSender) {
      discard(`chunks sent as node ${chunkSender} carried a message from node ${message.from}`);
    } else {
      this.options.deliver(message);
    }
  }

  /** Keeps a timer running while chunked messages are pending, to abandon stalled ones. */
  private scheduleSweep(): void {
    if (this.#sweepTimer !== undefined || this.#reassembler.pending === 0) return;
    this.#sweepTimer = setTimeout(() => {
      this.#sweepTimer = undefined;
      this.#reassembler.evictExpired(performance.now());
      this.scheduleSweep();
    }, this.options.limits.timeoutMs);
    this.#sweepTimer.unref();
  }

  private discardFraming(cause: unknown, what: string): void {
    if (!(cause instanceof FramingError)) throw cause;
    this.options.discard(`malformed ${what}: ${cause.message}`);
  }
}
