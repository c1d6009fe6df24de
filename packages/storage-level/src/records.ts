import { crc32 } from 'node:zlib';
import type { Entry, EntryType, HardState, SnapshotMeta } from '@raft/core';

/**
 * Values stored in the database. Each starts with a CRC-32 of what follows (and, for a log record,
 * of its first index): LevelDB checksums its files, but its reads skip the check unless asked
 * (`verify_checksums`, which classic-level does not expose), so a flipped bit in a table file would
 * otherwise be read back as data. Keys are described in keys.ts.
 *
 * - format: u32 crc | u32 version ({@link FORMAT_VERSION})
 * - log record (key: the index of its first entry): u32 crc | u32 count | count × entry, each
 *   u8 type | u64 term | u32 data length | data; the entries' indexes follow from the key
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

/** Checksum seed of a log record: its first index, so that a value under the wrong key is caught too. */
function indexSalt(index: number): number {
  writeU64(saltScratch, 0, index);
  return crc32(saltScratch);
}

/**
 * The on-disk format this code writes and reads. Format 1 (one value per entry, no format record)
 * preceded it; format 2 stores each group commit's entries as one log record.
 */
export const FORMAT_VERSION = 2;

export function encodeFormat(version: number): Buffer {
  const value = Buffer.allocUnsafe(CRC_BYTES + 4);
  value.writeUInt32BE(version, CRC_BYTES);
  return seal(value);
}

export function decodeFormat(value: Buffer): number {
  return open(value, 4).readUInt32BE(0);
}

const COUNT_BYTES = 4;
const ENTRY_HEADER = 1 + 8 + 4;

/** The log record holding `entries` (consecutive, at least one), keyed by the first one's index. */
export function encodeRecord(entries: readonly Entry[]): Buffer {
  let size = CRC_BYTES + COUNT_BYTES;
  for (const entry of entries) size += ENTRY_HEADER + entry.data.length;
  const value = Buffer.allocUnsafe(size);
  value.writeUInt32BE(entries.length, CRC_BYTES);
  let at = CRC_BYTES + COUNT_BYTES;
  for (const entry of entries) {
    value[at] = entry.type;
    writeU64(value, at + 1, entry.term);
    value.writeUInt32BE(entry.data.length, at + 9);
    value.set(entry.data, at + ENTRY_HEADER);
    at += ENTRY_HEADER + entry.data.length;
  }
  return seal(value, indexSalt(entries[0]!.index));
}

/** Decodes the log record stored under `first`; each entry's data is copied out of the value's buffer. */
export function decodeRecord(first: number, value: Buffer): Entry[] {
  const body = open(value, COUNT_BYTES, indexSalt(first));
  const count = body.readUInt32BE(0);
  if (count === 0) throw new BadRecord('a log record of no entries');
  const entries: Entry[] = [];
  let at = COUNT_BYTES;
  for (let i = 0; i < count; i++) {
    if (body.length - at < ENTRY_HEADER) throw new BadRecord(`entry ${first + i} runs past the end of the record`);
    const length = body.readUInt32BE(at + 9);
    const end = at + ENTRY_HEADER + length;
    if (end > body.length) throw new BadRecord(`entry ${first + i} runs past the end of the record`);
    entries.push({ index: first + i, type: body[at] as EntryType, term: readU64(body, at + 1), data: new Uint8Array(body.subarray(at + ENTRY_HEADER, end)) });
    at = end;
  }
  if (at !== body.length) throw new BadRecord(`${body.length - at} bytes after its ${count} entries`);
  return entries;
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
