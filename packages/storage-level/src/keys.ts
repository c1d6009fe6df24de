import { readU64, writeU64 } from '@raft/storage-kit';

/**
 * Keys of the one LevelDB database, which orders keys bytewise. A one-byte prefix names the kind of
 * record; numbers are big-endian so that byte order is numeric order.
 *
 * - `l` u64 index: a log record, holding the entries of one group commit from that index on
 * - `m` name: `format`, `hardState`, `firstIndex`, `lastIndex`, `snapshot`
 * - `c` u64 generation u32 sequence: a snapshot chunk
 *
 * Format 1 (before the format was versioned) stored each entry under `e` u64 index; such keys are
 * only looked for, to refuse that format with a clear error.
 */
export type MetaKey = 'format' | 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot';

const RECORD = 0x6c; // 'l'
const CHUNK = 0x63; // 'c'
const FORMAT_1_ENTRY = 0x65; // 'e'

export const RECORD_KEY_BYTES = 9;
export const CHUNK_KEY_BYTES = 13;

/** The key of the log record whose first entry is `index`. */
export function recordKey(index: number): Buffer {
  const key = Buffer.allocUnsafe(RECORD_KEY_BYTES);
  key[0] = RECORD;
  writeU64(key, 1, index);
  return key;
}

/** The first index of a log record's key, or undefined if `key` is not one. */
export function recordStart(key: Buffer): number | undefined {
  return key.length === RECORD_KEY_BYTES && key[0] === RECORD ? readU64(key, 1) : undefined;
}

/** The range of every log record key. */
export const RECORDS_START = Buffer.from([RECORD]);
export const RECORDS_END = Buffer.from([RECORD + 1]);

/** The range of format 1's entry keys. */
export const FORMAT_1_ENTRIES_START = Buffer.from([FORMAT_1_ENTRY]);
export const FORMAT_1_ENTRIES_END = Buffer.from([FORMAT_1_ENTRY + 1]);

const META = 0x6d; // 'm'

export function metaKey(name: MetaKey): Buffer {
  return Buffer.from(`m${name}`, 'latin1');
}

export function isMetaKey(key: Buffer): boolean {
  return key[0] === META;
}

/** The range of every meta key. */
export const META_START = Buffer.from([META]);
export const META_END = Buffer.from([META + 1]);

export function chunkKey(generation: number, sequence: number): Buffer {
  const key = Buffer.allocUnsafe(CHUNK_KEY_BYTES);
  key[0] = CHUNK;
  writeU64(key, 1, generation);
  key.writeUInt32BE(sequence, 9);
  return key;
}

/** The generation and sequence of a chunk key, or undefined if `key` is not one. */
export function chunkId(key: Buffer): [number, number] | undefined {
  return key.length === CHUNK_KEY_BYTES && key[0] === CHUNK ? [readU64(key, 1), key.readUInt32BE(9)] : undefined;
}

export const CHUNKS_START = Buffer.from([CHUNK]);
export const CHUNKS_END = Buffer.from([CHUNK + 1]);
