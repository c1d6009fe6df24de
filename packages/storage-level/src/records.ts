import type { Entry, EntryType } from '@raft/core';
import { BadRecord, SEAL_BYTES, indexSalt, readU64, seal, unseal, writeU64 } from '@raft/storage-kit';

/**
 * Values stored in the database, sealed with `@raft/storage-kit`'s codec: each starts with a CRC-32
 * of what follows (and, for a log record, of its first index). LevelDB checksums its files, but its
 * reads skip the check unless asked (`verify_checksums`, which classic-level does not expose), so a
 * flipped bit in a table file would otherwise be read back as data. Keys are described in keys.ts.
 *
 * - format: u32 version ({@link FORMAT_VERSION}), the kit's u32 record
 * - log record (key: the index of its first entry): u32 count | count × entry, each
 *   u8 type | u64 term | u32 data length | data; the entries' indexes follow from the key
 * - hard state, first index, last index, snapshot record, snapshot chunks: the kit's records
 */

/**
 * The on-disk format this code writes and reads. Format 1 (one value per entry, no format record)
 * preceded it; format 2 stores each group commit's entries as one log record.
 */
export const FORMAT_VERSION = 2;

const COUNT_BYTES = 4;
const ENTRY_HEADER = 1 + 8 + 4;

/** The log record holding `entries` (consecutive, at least one), keyed by the first one's index. */
export function encodeRecord(entries: readonly Entry[]): Buffer {
  let size = SEAL_BYTES + COUNT_BYTES;
  for (const entry of entries) size += ENTRY_HEADER + entry.data.length;
  const value = Buffer.allocUnsafe(size);
  value.writeUInt32BE(entries.length, SEAL_BYTES);
  let at = SEAL_BYTES + COUNT_BYTES;
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
  const body = unseal(value, COUNT_BYTES, indexSalt(first));
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
