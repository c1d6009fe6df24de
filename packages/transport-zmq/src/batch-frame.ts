/**
 * The transport's wire format: every ZeroMQ message a node sends is a single frame holding a batch
 * of encoded Raft messages (`@raft/core/codec`), each preceded by its length in bytes as an
 * unsigned 32-bit big-endian integer:
 *
 * ```text
 * frame = 1*( length:u32be  message:length bytes )      length ≥ 1, length ≤ maxMessageBytes
 * ```
 *
 * One frame rather than a multipart message of one frame per Raft message: libzmq 4.3.5 aborts the
 * process (assertion in `session_base_t::clean_pipes`) when a connection fails while its engine
 * has taken only part of a multipart message, which client authentication made frequent for a
 * sender to a peer that died. With single-frame messages there is never a part left to take.
 */

/** Bytes of the length prefix before each message in a batch frame. */
export const LENGTH_PREFIX_BYTES = 4;

/** Messages in one batch frame at most. */
export const BATCH_MESSAGES = 256;

/** Message bytes in one batch frame at most, except that a batch always holds at least one message. */
const BATCH_BYTES = 1024 * 1024;

/**
 * How many messages, and how many of their bytes, one batch frame takes at most for a node whose
 * messages are at most `maxMessageBytes`: never more message bytes than `maxMessageBytes`, so that
 * a whole frame stays within {@link maxBatchFrameBytes}.
 */
export function batchLimits(maxMessageBytes: number): { readonly batchFrames: number; readonly batchBytes: number } {
  return { batchFrames: BATCH_MESSAGES, batchBytes: Math.min(BATCH_BYTES, maxMessageBytes) };
}

/** The largest batch frame a node with the same `maxMessageBytes` sends: its messages and their prefixes. */
export function maxBatchFrameBytes(maxMessageBytes: number): number {
  return maxMessageBytes + BATCH_MESSAGES * LENGTH_PREFIX_BYTES;
}

/** One frame holding `messages` (each non-empty and shorter than 4 GiB), each after its length. */
export function encodeBatch(messages: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const message of messages) size += LENGTH_PREFIX_BYTES + message.length;
  // Every byte is written below, so the memory needs no zeroing.
  const frame = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const message of messages) {
    offset = frame.writeUInt32BE(message.length, offset);
    frame.set(message, offset);
    offset += message.length;
  }
  return frame;
}

/** The messages of a batch frame, or why the frame is malformed. */
export type SplitBatch =
  | { readonly ok: true; readonly messages: readonly Uint8Array[] }
  | { readonly ok: false; readonly problem: string };

/**
 * Splits a batch frame into its messages, views into `frame` (nothing is copied or allocated
 * beyond the list). The frame is checked whole before any message is returned: it is malformed,
 * and none of its messages is returned, when it is empty, when a length prefix is cut short, or
 * when a length is 0, larger than `maxMessageBytes` or larger than the bytes left in the frame.
 */
export function splitBatch(frame: Uint8Array, maxMessageBytes: number): SplitBatch {
  if (frame.length === 0) return { ok: false, problem: 'empty batch frame' };
  const messages: Uint8Array[] = [];
  let offset = 0;
  while (offset < frame.length) {
    const number = messages.length + 1;
    const left = frame.length - offset;
    if (left < LENGTH_PREFIX_BYTES) {
      return { ok: false, problem: `batch frame cut short: ${left} byte(s) where the length of message ${number} should be` };
    }
    const length = frame[offset]! * 0x1000000 + ((frame[offset + 1]! << 16) | (frame[offset + 2]! << 8) | frame[offset + 3]!);
    offset += LENGTH_PREFIX_BYTES;
    if (length === 0) return { ok: false, problem: `message ${number} of the batch frame has length 0` };
    if (length > maxMessageBytes) {
      return {
        ok: false,
        problem: `message ${number} of the batch frame claims ${length} bytes, more than maxMessageBytes (${maxMessageBytes})`,
      };
    }
    if (length > frame.length - offset) {
      return {
        ok: false,
        problem: `message ${number} of the batch frame claims ${length} bytes, but only ${frame.length - offset} follow`,
      };
    }
    messages.push(frame.subarray(offset, offset + length));
    offset += length;
  }
  return { ok: true, messages };
}
