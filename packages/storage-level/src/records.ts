import { crc32 } from 'node:zlib';
import type { Entry, EntryType, HardState, SnapshotMeta } from '@raft/core';

/**
 * Values stored in the database. Each starts with a CRC-32 of what follows (and, for an entry, of
 * its index): LevelDB checksums its files, but its reads skip the check unless asked
 * (`verify_checksums`, which classic-level does not expose), so a flipped bit in a table file would
 * otherwise be read back as data. Keys are described in keys.ts.
 *
 * - entry (key: its index): u32 crc | u8 type | u64 term | data
 * - hard state: u32 crc | u64 term | u64 vote | u64 commit
 * - first index: u32 crc | u64 index of the first entry the log may hold (1, or after a compaction)
 * - last index: u32 crc | u64 index of the last entry (the snapshot index after an install)
 * - snapshot: u32 crc | u64 generation | u64 size | u32 chunks | meta (JSON, UTF-8)
 * - snapshot chunk (key: [generation, sequence]): u32 crc | bytes
 *
 * u64s are two big-endian u32s (high, low): indexes and terms are JavaScript safe integers.
 */
const CRC_BYTES = 4;

/** A record that failed its check; the caller names the record. */
export class BadRecord extends Error {}

export function writeU64(buf: Buffer, offset: number, value: number): number {
  buf.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buf.writeUInt32BE(value >>> 0, offset + 4);
  return offset + 8;
}

export function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * 0x1_0000_0000 + buf.readUInt32BE(offset + 4);
}

/** Fills in the checksum of a value whose body starts after {@link CRC_BYTES}. */
function seal(value: Buffer, salt = 0): Buffer {
  value.writeUInt32BE(crc32(value.subarray(CRC_BYTES), salt), 0);
  return value;
}

/** The body of a value, once its checksum and minimum size are verified. */
function open(value: Buffer, minBody: number, salt = 0): Buffer {
  if (value.length < CRC_BYTES + minBody) throw new BadRecord(`${value.length} bytes, too short`);
  const body = value.subarray(CRC_BYTES);
  if (crc32(body, salt) !== value.readUInt32BE(0)) throw new BadRecord('checksum mismatch');
  return body;
}

const saltScratch = Buffer.alloc(8);

/** Checksum seed of an entry: its index, so that a value under the wrong key is caught too. */
function indexSalt(index: number): number {
  writeU64(saltScratch, 0, index);
  return crc32(saltScratch);
}

const ENTRY_FIXED = 1 + 8;

export function encodeEntry(entry: Entry): Buffer {
  const value = Buffer.allocUnsafe(CRC_BYTES + ENTRY_FIXED + entry.data.length);
  value[CRC_BYTES] = entry.type;
  writeU64(value, CRC_BYTES + 1, entry.term);
  value.set(entry.data, CRC_BYTES + ENTRY_FIXED);
  return seal(value, indexSalt(entry.index));
}

/** Decodes the entry stored under `index`; its data is copied out of the value's buffer. */
export function decodeEntry(index: number, value: Buffer): Entry {
  const body = open(value, ENTRY_FIXED, indexSalt(index));
  return { index, type: body[0] as EntryType, term: readU64(body, 1), data: new Uint8Array(body.subarray(ENTRY_FIXED)) };
}

export function encodeHardState(hs: HardState): Buffer {
  const value = Buffer.allocUnsafe(CRC_BYTES + 24);
  writeU64(value, writeU64(value, writeU64(value, CRC_BYTES, hs.term), hs.vote), hs.commit);
  return seal(value);
}

export function decodeHardState(value: Buffer): HardState {
  const body = open(value, 24);
  return { term: readU64(body, 0), vote: readU64(body, 8), commit: readU64(body, 16) };
}

export function encodeIndex(index: number): Buffer {
  const value = Buffer.allocUnsafe(CRC_BYTES + 8);
  writeU64(value, CRC_BYTES, index);
  return seal(value);
}

export function decodeIndex(value: Buffer): number {
  return readU64(open(value, 8), 0);
}

/** Where a snapshot's data is and how much of it there is. */
export interface SnapshotRecord {
  readonly meta: SnapshotMeta;
  /** Chunks are keyed `[generation, sequence]`; each snapshot written gets a new generation. */
  readonly generation: number;
  readonly size: number;
  readonly chunks: number;
}

const SNAPSHOT_FIXED = 8 + 8 + 4;

export function encodeSnapshot(record: SnapshotRecord): Buffer {
  const meta = Buffer.from(JSON.stringify(record.meta), 'utf8');
  const value = Buffer.allocUnsafe(CRC_BYTES + SNAPSHOT_FIXED + meta.length);
  let at = writeU64(value, writeU64(value, CRC_BYTES, record.generation), record.size);
  at = value.writeUInt32BE(record.chunks, at);
  meta.copy(value, at);
  return seal(value);
}

export function decodeSnapshot(value: Buffer): SnapshotRecord {
  const body = open(value, SNAPSHOT_FIXED);
  const meta = JSON.parse(body.subarray(SNAPSHOT_FIXED).toString('utf8')) as SnapshotMeta;
  return { generation: readU64(body, 0), size: readU64(body, 8), chunks: body.readUInt32BE(16), meta };
}

/** One chunk made of `parts`, back to back. */
export function encodeChunk(parts: readonly Uint8Array[]): Buffer {
  const value = Buffer.allocUnsafe(CRC_BYTES + parts.reduce((n, part) => n + part.length, 0));
  let at = CRC_BYTES;
  for (const part of parts) {
    value.set(part, at);
    at += part.length;
  }
  return seal(value);
}

/** The bytes of a chunk, copied out of the value's buffer. */
export function decodeChunk(value: Buffer): Uint8Array {
  return new Uint8Array(open(value, 0));
}
