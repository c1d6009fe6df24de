/** How much a {@link SendQueue} holds, and how much leaves in one batch. */
export interface SendQueueLimits {
  /** Frames held at most. */
  readonly frames: number;
  /** Bytes held at most, except that an empty queue takes any one frame. */
  readonly bytes: number;
  /** Frames in one batch at most. */
  readonly batchFrames: number;
  /** Bytes in one batch at most, except that a batch always has at least one frame. */
  readonly batchBytes: number;
}

/**
 * A bounded FIFO of encoded frames waiting for one peer's socket. It refuses frames past its
 * limits instead of growing, and hands frames out in batches so that one socket write carries many.
 */
export class SendQueue {
  #frames: Uint8Array[] = [];
  #bytes = 0;

  constructor(private readonly limits: SendQueueLimits) {}

  /** Frames waiting. */
  get length(): number {
    return this.#frames.length;
  }

  /** Appends `frame`, or returns `false` if that would pass a limit. */
  offer(frame: Uint8Array): boolean {
    const frames = this.#frames;
    if (frames.length > 0) {
      if (frames.length >= this.limits.frames || this.#bytes + frame.length > this.limits.bytes) return false;
    }
    frames.push(frame);
    this.#bytes += frame.length;
    return true;
  }

  /** Removes and returns the oldest frames, as many as one batch allows; empty when none wait. */
  takeBatch(): Uint8Array[] {
    const frames = this.#frames;
    let count = 0;
    let bytes = 0;
    while (count < frames.length && count < this.limits.batchFrames) {
      const size = frames[count]!.length;
      if (count > 0 && bytes + size > this.limits.batchBytes) break;
      bytes += size;
      count++;
    }
    this.#bytes -= bytes;
    if (count === frames.length) {
      this.#frames = [];
      return frames;
    }
    return frames.splice(0, count);
  }

  /** Drops every waiting frame. */
  clear(): void {
    this.#frames = [];
    this.#bytes = 0;
  }
}
