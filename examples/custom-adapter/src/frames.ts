/**
 * Length-prefixed framing over a byte stream: each frame is a 4-byte big-endian length, then that
 * many bytes (one message encoded by `encodeMessage` from `@raft/core/codec`).
 */

/** Bytes of the length prefix in front of every frame. */
export const PREFIX_BYTES = 4;

/** The length prefix of a frame of `length` bytes. */
export function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt32BE(length, 0);
  return prefix;
}

/**
 * Cuts the chunks a socket delivers back into frames. Every frame it returns is a fresh copy, so
 * the decoder may keep views into it (the codec does) without pinning the socket's large chunks.
 */
export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being read, once its prefix is complete. */
  private expected: number | undefined;

  constructor(private readonly maxFrameBytes: number) {}

  /**
   * Takes a chunk and returns the frames it completes.
   *
   * @throws RangeError when a prefix announces a frame over `maxFrameBytes`: the peer is
   * misconfigured or not speaking this protocol, and the connection should be dropped.
   */
  push(chunk: Buffer): Uint8Array[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (this.buffered < PREFIX_BYTES) return frames;
        const prefix = this.take(PREFIX_BYTES);
        const length = new DataView(prefix.buffer).getUint32(0);
        if (length > this.maxFrameBytes) {
          throw new RangeError(`a peer sent a ${length}-byte frame, over the ${this.maxFrameBytes}-byte limit`);
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) return frames;
      frames.push(this.take(this.expected));
      this.expected = undefined;
    }
  }

  /** Removes the first `n` buffered bytes (n ≤ buffered) and returns them in a buffer of their own. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const used = Math.min(head.length, n - filled);
      out.set(head.subarray(0, used), filled);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    this.buffered -= n;
    return out;
  }
}
