import type { Chunk } from './chunking.js';
import { FramingError } from './framing-error.js';

/** Bounds on the memory reassembly may hold. */
export interface ReassemblyLimits {
  /** Largest frame accepted; a chunk announcing more is malformed. */
  readonly maxMessageBytes: number;
  /** Total bytes of all frames being reassembled; the oldest are abandoned to stay under it. */
  readonly maxBufferedBytes: number;
  /** An assembly that receives no chunk for this long is abandoned (its sender lost a chunk). */
  readonly timeoutMs: number;
}

interface Assembly {
  readonly sequence: number;
  readonly frame: Uint8Array;
  filled: number;
  lastChunkAt: number;
}

/**
 * Rebuilds frames from chunks, one frame in progress per sender.
 *
 * Core NATS delivers one publisher's messages in order, so a chunk that does not continue its
 * sender's frame exactly where it stopped means a chunk was lost (a server failover, a slow
 * consumer): the frame is abandoned rather than kept waiting for bytes that will never come.
 * Together with the timeout and the byte budget, a lost chunk can never pin memory.
 */
export class Reassembler {
  readonly #assemblies = new Map<number, Assembly>();
  #bufferedBytes = 0;
  #abandoned = 0;

  constructor(private readonly limits: ReassemblyLimits) {
    if (limits.maxMessageBytes > limits.maxBufferedBytes) {
      throw new RangeError(
        `maxMessageBytes (${limits.maxMessageBytes}) must not exceed maxBufferedBytes (${limits.maxBufferedBytes})`,
      );
    }
  }

  /** Frames abandoned so far because a chunk went missing, timed out or was evicted. */
  get abandoned(): number {
    return this.#abandoned;
  }

  /** Frames currently being reassembled. */
  get pending(): number {
    return this.#assemblies.size;
  }

  /** Bytes currently held for frames being reassembled. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /**
   * Adds `chunk` (received at time `now`, in milliseconds) and returns the whole frame when this
   * chunk completes it.
   *
   * @throws FramingError when the chunk announces a frame larger than the limit.
   */
  accept(chunk: Chunk, now: number): Uint8Array | undefined {
    if (chunk.total > this.limits.maxMessageBytes) {
      throw new FramingError(
        `chunk from node ${chunk.sender} announces a ${chunk.total}-byte frame, more than maxMessageBytes (${this.limits.maxMessageBytes})`,
      );
    }
    let assembly = this.#assemblies.get(chunk.sender);
    if (chunk.offset === 0) {
      if (assembly !== undefined) this.abandon(chunk.sender, assembly);
      assembly = this.begin(chunk, now);
    } else if (
      assembly === undefined ||
      assembly.sequence !== chunk.sequence ||
      assembly.frame.length !== chunk.total ||
      assembly.filled !== chunk.offset
    ) {
      // The chunks before this one were lost, so its frame can never be completed.
      if (assembly !== undefined) this.abandon(chunk.sender, assembly);
      else this.#abandoned++;
      return undefined;
    }
    assembly.frame.set(chunk.data, chunk.offset);
    assembly.filled += chunk.data.length;
    assembly.lastChunkAt = now;
    if (assembly.filled < assembly.frame.length) return undefined;
    this.release(chunk.sender, assembly);
    return assembly.frame;
  }

  /** Abandons frames that have received no chunk for the timeout, as of `now`. */
  evictExpired(now: number): void {
    for (const [sender, assembly] of this.#assemblies) {
      if (now - assembly.lastChunkAt >= this.limits.timeoutMs) this.abandon(sender, assembly);
    }
  }

  /** Drops every frame in progress (on close). */
  clear(): void {
    this.#assemblies.clear();
    this.#bufferedBytes = 0;
  }

  private begin(chunk: Chunk, now: number): Assembly {
    // Maps iterate in insertion order, so the first entries are the oldest assemblies.
    for (const [sender, oldest] of this.#assemblies) {
      if (this.#bufferedBytes + chunk.total <= this.limits.maxBufferedBytes) break;
      this.abandon(sender, oldest);
    }
    const assembly: Assembly = { sequence: chunk.sequence, frame: new Uint8Array(chunk.total), filled: 0, lastChunkAt: now };
    this.#assemblies.set(chunk.sender, assembly);
    this.#bufferedBytes += chunk.total;
    return assembly;
  }

  private abandon(sender: number, assembly: Assembly): void {
    this.release(sender, assembly);
    this.#abandoned++;
  }

  private release(sender: number, assembly: Assembly): void {
    this.#assemblies.delete(sender);
    this.#bufferedBytes -= assembly.frame.length;
  }
}
