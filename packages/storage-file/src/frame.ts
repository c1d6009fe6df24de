import { crc32c } from '@node-rs/crc32';

/**
 * Framing of the write-ahead log. A frame is one group-commit batch:
 *
 * ```
 * u32 bodyLength | u32 crc32c(body) | u32 crc32c(first 8 header bytes) | body
 * ```
 *
 * The header carries its own checksum so that a damaged length is recognised as damage instead of
 * sending the reader to a wrong offset, and so that recovery can tell whether any valid frame
 * follows a bad one (mid-log corruption) or none does (a torn tail). All integers little-endian.
 */
export const FRAME_HEADER_BYTES = 12;

/** Largest body a frame can describe. */
export const MAX_FRAME_BODY = 0xffff_ffff;

/** Builds the header of a frame whose body is the concatenation of `parts`. */
export function frameHeader(parts: readonly Uint8Array[]): Buffer {
  let length = 0;
  let crc = 0;
  for (const part of parts) {
    length += part.length;
    crc = crc32c(part, crc);
  }
  if (length > MAX_FRAME_BODY) throw new RangeError(`a write-ahead log batch of ${length} bytes exceeds the 4 GiB frame limit; save fewer entries at once`);
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(crc, 4);
  header.writeUInt32LE(crc32c(header.subarray(0, 8)), 8);
  return header;
}

/** What is found at an offset of a segment. */
export type FrameRead =
  | { readonly ok: true; readonly body: Buffer; readonly next: number }
  | { readonly ok: false; readonly problem: string };

/** Whether a valid frame header (checksum and length within the file) starts at `offset`. */
function validHeaderAt(buf: Buffer, offset: number): boolean {
  if (buf.length - offset < FRAME_HEADER_BYTES) return false;
  const length = buf.readUInt32LE(offset);
  if (length > buf.length - offset - FRAME_HEADER_BYTES) return false;
  return buf.readUInt32LE(offset + 8) === crc32c(buf.subarray(offset, offset + 8));
}

/** Reads and checks the frame at `offset`. */
export function readFrame(buf: Buffer, offset: number): FrameRead {
  const remaining = buf.length - offset;
  if (remaining < FRAME_HEADER_BYTES) return { ok: false, problem: `only ${remaining} bytes where a frame header starts` };
  if (buf.readUInt32LE(offset + 8) !== crc32c(buf.subarray(offset, offset + 8))) {
    return { ok: false, problem: 'frame header checksum mismatch' };
  }
  const length = buf.readUInt32LE(offset);
  const start = offset + FRAME_HEADER_BYTES;
  if (length > buf.length - start) {
    return { ok: false, problem: `frame of ${length} bytes runs past the end of the file (${buf.length - start} bytes left)` };
  }
  const body = buf.subarray(start, start + length);
  if (crc32c(body) !== buf.readUInt32LE(offset + 4)) return { ok: false, problem: 'frame body checksum mismatch' };
  return { ok: true, body, next: start + length };
}

/**
 * Offset of the first valid frame header after `offset`, or -1. A bad frame followed by no valid
 * frame is a torn tail (the one write in flight at a crash); one followed by a valid frame is
 * corruption of data that had been written in full.
 */
export function findFrameAfter(buf: Buffer, offset: number): number {
  for (let at = offset + 1; at + FRAME_HEADER_BYTES <= buf.length; at++) if (validHeaderAt(buf, at)) return at;
  return -1;
}
