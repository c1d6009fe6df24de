import type { HardState, SnapshotMeta } from '@raft/core';
import { SEAL_BYTES, readU64, seal, unseal, writeU64 } from './sealed.js';

/**
 * The sealed values every key-value adapter stores beside its log (see sealed.ts for the seal):
 *
 * - hard state: u64 term | u64 vote | u64 commit
 * - index (first index, last index): u64
 * - u32 (a format version, an owner's pid): u32
 * - snapshot record: u64 generation | u64 size | u32 chunks | meta (JSON, UTF-8)
 * - snapshot chunk: bytes
 */

export function encodeHardState(hs: HardState): Buffer {
  const value = Buffer.allocUnsafe(SEAL_BYTES + 24);
  writeU64(value, writeU64(value, writeU64(value, SEAL_BYTES, hs.term), hs.vote), hs.commit);
  return seal(value);
}

/** @throws BadRecord */
export function decodeHardState(value: Buffer): HardState {
  const body = unseal(value, 24);
  return { term: readU64(body, 0), vote: readU64(body, 8), commit: readU64(body, 16) };
}

export function encodeIndex(index: number): Buffer {
  const value = Buffer.allocUnsafe(SEAL_BYTES + 8);
  writeU64(value, SEAL_BYTES, index);
  return seal(value);
}

/** @throws BadRecord */
export function decodeIndex(value: Buffer): number {
  return readU64(unseal(value, 8), 0);
}

export function encodeU32(n: number): Buffer {
  const value = Buffer.allocUnsafe(SEAL_BYTES + 4);
  value.writeUInt32BE(n, SEAL_BYTES);
  return seal(value);
}

/** @throws BadRecord */
export function decodeU32(value: Buffer): number {
  return unseal(value, 4).readUInt32BE(0);
}

/** Where a snapshot's data is and how much of it there is. */
export interface SnapshotRecord {
  readonly meta: SnapshotMeta;
  /** The chunks are stored under this generation, numbered from 0; each snapshot written gets a new one. */
  readonly generation: number;
  /** Bytes of data. */
  readonly size: number;
  /** How many chunks hold it. */
  readonly chunks: number;
}

const SNAPSHOT_FIXED = 8 + 8 + 4;

export function encodeSnapshot(record: SnapshotRecord): Buffer {
  const meta = Buffer.from(JSON.stringify(record.meta), 'utf8');
  const value = Buffer.allocUnsafe(SEAL_BYTES + SNAPSHOT_FIXED + meta.length);
  let at = writeU64(value, writeU64(value, SEAL_BYTES, record.generation), record.size);
  at = value.writeUInt32BE(record.chunks, at);
  meta.copy(value, at);
  return seal(value);
}

/** @throws BadRecord */
export function decodeSnapshot(value: Buffer): SnapshotRecord {
  const body = unseal(value, SNAPSHOT_FIXED);
  const meta = JSON.parse(body.subarray(SNAPSHOT_FIXED).toString('utf8')) as SnapshotMeta;
  return { generation: readU64(body, 0), size: readU64(body, 8), chunks: body.readUInt32BE(16), meta };
}

/** One chunk made of `parts`, back to back. */
export function encodeChunk(parts: readonly Uint8Array[]): Buffer {
  const value = Buffer.allocUnsafe(SEAL_BYTES + parts.reduce((n, part) => n + part.length, 0));
  let at = SEAL_BYTES;
  for (const part of parts) {
    value.set(part, at);
    at += part.length;
  }
  return seal(value);
}

/** The bytes of a chunk, copied out of the engine's buffer. @throws BadRecord */
export function decodeChunk(value: Buffer): Uint8Array {
  return new Uint8Array(unseal(value, 0));
}
