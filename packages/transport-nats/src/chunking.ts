/**
 * Splitting an encoded frame that exceeds the server's max_payload into chunks, and parsing them.
 *
 * A chunk is a 16-byte big-endian header — sender node id, the sender's message sequence number,
 * the byte offset of this chunk in the frame, the frame's total length — followed by that slice of
 * the frame. Carrying the sender lets a receiver keep one reassembly per sender before the frame
 * can be decoded; carrying offsets (not indexes) lets servers with different max_payload values
 * coexist in one NATS cluster.
 *
 * @module
 */

import { FramingError } from './framing-error.js';

/** Bytes in a chunk header. */
export const CHUNK_HEADER_BYTES = 16;

/** The largest value a header field holds. */
const U32_MAX = 0xffff_ffff;

/** One parsed chunk. `data` is a view into the received bytes. */
export interface Chunk {
  /** Node id of the sender. */
  readonly sender: number;
  /** The sender's message number; all chunks of a frame share it. */
  readonly sequence: number;
  /** Where `data` goes in the frame. */
  readonly offset: number;
  /** Length of the whole frame. */
  readonly total: number;
  readonly data: Uint8Array;
}

/**
 * Splits `frame` into chunks of at most `maxChunkBytes` bytes each, header included.
 *
 * @throws RangeError when `maxChunkBytes` leaves no room for data or a header field overflows.
 */
export function splitIntoChunks(
  frame: Uint8Array,
  sender: number,
  sequence: number,
  maxChunkBytes: number,
): Uint8Array[] {
  const dataPerChunk = maxChunkBytes - CHUNK_HEADER_BYTES;
  if (dataPerChunk <= 0) {
    throw new RangeError(`max payload ${maxChunkBytes} bytes is too small to carry a chunk of a frame`);
  }
  for (const [field, value] of [['sender', sender], ['sequence', sequence], ['frame length', frame.length]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
      throw new RangeError(`chunk ${field} ${value} does not fit in 32 bits`);
    }
  }
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < frame.length; offset += dataPerChunk) {
    const data = frame.subarray(offset, offset + dataPerChunk);
    const chunk = new Uint8Array(CHUNK_HEADER_BYTES + data.length);
    const header = new DataView(chunk.buffer);
    header.setUint32(0, sender);
    header.setUint32(4, sequence);
    header.setUint32(8, offset);
    header.setUint32(12, frame.length);
    chunk.set(data, CHUNK_HEADER_BYTES);
    chunks.push(chunk);
  }
  return chunks;
}

/**
 * Parses a received chunk without copying its data.
 *
 * @throws FramingError when the bytes cannot be a chunk.
 */
export function parseChunk(bytes: Uint8Array): Chunk {
  if (bytes.length <= CHUNK_HEADER_BYTES) {
    throw new FramingError(`a chunk needs more than ${CHUNK_HEADER_BYTES} bytes, got ${bytes.length}`);
  }
  const header = new DataView(bytes.buffer, bytes.byteOffset, CHUNK_HEADER_BYTES);
  const chunk: Chunk = {
    sender: header.getUint32(0),
    sequence: header.getUint32(4),
    offset: header.getUint32(8),
    total: header.getUint32(12),
    data: bytes.subarray(CHUNK_HEADER_BYTES),
  };
  if (chunk.offset + chunk.data.length > chunk.total) {
    throw new FramingError(
      `chunk from node ${chunk.sender} covers bytes ${chunk.offset}..${chunk.offset + chunk.data.length} of a ${chunk.total}-byte frame`,
    );
  }
  return chunk;
}
