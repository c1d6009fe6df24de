import { crc32 } from 'node:zlib';

/**
 * Sealed values: a value stored in a key-value engine starts with a CRC-32 of what follows, so that
 * a flipped bit is reported instead of read back as data. LMDB keeps no checksums of its own, and
 * LevelDB skips its own on reads unless asked (`verify_checksums`, which classic-level does not
 * expose). A value stored under a key that implies something (a log index) can salt its checksum
 * with it, so that an intact value under the wrong key is caught too.
 *
 * u64s are two big-endian u32s (high, low): indexes and terms are JavaScript safe integers, and
 * big-endian keys sort numerically in an engine that orders keys bytewise.
 *
 * @module
 */

/** Bytes of the checksum that starts every sealed value; the body follows. */
export const SEAL_BYTES = 4;

/**
 * A sealed value failed its check. Its message says how, not which record: wrap the decoding in
 * {@link checked}, which names the record in the {@link StorageCorruptionError} it throws.
 */
export class BadRecord extends Error {}

/** Writes `value` as a big-endian u64 at `offset`; returns the offset after it. */
export function writeU64(buf: Buffer, offset: number, value: number): number {
  buf.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buf.writeUInt32BE(value >>> 0, offset + 4);
  return offset + 8;
}

/** Reads a big-endian u64 at `offset`. */
export function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * 0x1_0000_0000 + buf.readUInt32BE(offset + 4);
}

/**
 * Fills in the checksum of `value`, whose body starts after {@link SEAL_BYTES}, and returns it.
 *
 * @param salt - checksum seed, e.g. from {@link indexSalt}; the same must be given to {@link unseal}.
 */
export function seal(value: Buffer, salt = 0): Buffer {
  value.writeUInt32BE(crc32(value.subarray(SEAL_BYTES), salt), 0);
  return value;
}

/**
 * The body of a sealed value (a view into it), once its checksum and minimum size are verified.
 *
 * @throws BadRecord if the value is shorter than `minBody` bytes of body, or its checksum does not
 *   match.
 */
export function unseal(value: Buffer, minBody: number, salt = 0): Buffer {
  if (value.length < SEAL_BYTES + minBody) throw new BadRecord(`${value.length} bytes, too short`);
  const body = value.subarray(SEAL_BYTES);
  if (crc32(body, salt) !== value.readUInt32BE(0)) throw new BadRecord('checksum mismatch');
  return body;
}

const saltScratch = Buffer.alloc(8);

/** Checksum seed for a value stored under a log index. */
export function indexSalt(index: number): number {
  writeU64(saltScratch, 0, index);
  return crc32(saltScratch);
}
