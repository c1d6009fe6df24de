import { readU64, writeU64 } from './records.js';

/**
 * Keys of the one LevelDB database, which orders keys bytewise. A one-byte prefix names the kind of
 * record; numbers are big-endian so that byte order is numeric order.
 *
 * - `e` u64 index: a log entry
 * - `m` name: `hardState`, `firstIndex`, `lastIndex`, `snapshot`
 * - `c` u64 generation u32 sequence: a snapshot chunk
 */
export type MetaKey = 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot';

const ENTRY = 0x65; // 'e'
const CHUNK = 0x63; // 'c'

export const ENTRY_KEY_BYTES = 9;
export const CHUNK_KEY_BYTES = 13;

export function entryKey(index: number): Buffer {
  const key = Buffer.allocUnsafe(ENTRY_KEY_BYTES);
  key[0] = ENTRY;
  writeU64(key, 1, index);
  return key;
}

/** The index of an entry key, or undefined if `key` is not one. */
export function entryIndex(key: Buffer): number | undefined {
  return key.length === ENTRY_KEY_BYTES && key[0] === ENTRY ? readU64(key, 1) : undefined;
}

/** The first key past every entry key. */
export const ENTRIES_END = Buffer.from([ENTRY + 1]);

const META = 0x6d; // 'm'

export function metaKey(name: MetaKey): Buffer {
  return Buffer.from(`m${name}`, 'latin1');
}

export function isMetaKey(key: Buffer): boolean {
  return key[0] === META;
}

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
