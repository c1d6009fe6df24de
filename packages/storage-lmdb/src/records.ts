import type { Entry, EntryType } from '@raft/core';
import { SEAL_BYTES, indexSalt, readU64, seal, unseal, writeU64 } from '@raft/storage-kit';

/**
 * Values stored in the database, sealed with `@raft/storage-kit`'s codec: each starts with a CRC-32
 * of what follows (and, for an entry, of its index), because LMDB keeps no checksums of its own: a
 * flipped bit in a value would otherwise be read back as data.
 *
 * - entry (key: its index): u8 type | u64 term | data
 * - hard state, first index, last index, snapshot record, snapshot chunks: the kit's records
 * - owner: u32 pid of the process that has the directory open, the kit's u32 record
 */
const ENTRY_FIXED = 1 + 8;

export function encodeEntry(entry: Entry): Buffer {
  const value = Buffer.allocUnsafe(SEAL_BYTES + ENTRY_FIXED + entry.data.length);
  value[SEAL_BYTES] = entry.type;
  writeU64(value, SEAL_BYTES + 1, entry.term);
  value.set(entry.data, SEAL_BYTES + ENTRY_FIXED);
  return seal(value, indexSalt(entry.index));
}

/** Decodes the entry stored under `index`; its data is copied out of LMDB's buffer. */
export function decodeEntry(index: number, value: Buffer): Entry {
  const body = unseal(value, ENTRY_FIXED, indexSalt(index));
  return { index, type: body[0] as EntryType, term: readU64(body, 1), data: new Uint8Array(body.subarray(ENTRY_FIXED)) };
}
