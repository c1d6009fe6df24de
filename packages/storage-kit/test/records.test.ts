import { describe, expect, it } from 'vitest';
import { testSnapshotMeta } from '@raft/conformance/storage-suite';
import {
  BadRecord,
  SEAL_BYTES,
  StorageCorruptionError,
  checked,
  decodeHardState,
  decodeIndex,
  decodeSnapshot,
  decodeU32,
  encodeHardState,
  encodeIndex,
  encodeSnapshot,
  encodeU32,
  indexSalt,
  readU64,
  seal,
  unseal,
  writeU64,
} from '../src/index.js';
import { decodeChunk, encodeChunk } from '../src/records.js';

/** A copy of `value` with one bit of byte `at` flipped. */
function flipped(value: Buffer, at: number): Buffer {
  const copy = Buffer.from(value);
  copy[at] = copy[at]! ^ 0x10;
  return copy;
}

describe('sealed values', () => {
  it('round-trip u64s up to 2^53 - 1, big-endian so that byte order is numeric order', () => {
    const buf = Buffer.alloc(16);
    for (const n of [0, 1, 0xffff_ffff, 0x1_0000_0000, Number.MAX_SAFE_INTEGER]) {
      expect(writeU64(buf, 4, n)).toBe(12);
      expect(readU64(buf, 4)).toBe(n);
    }
    const small = Buffer.alloc(8);
    const large = Buffer.alloc(8);
    writeU64(small, 0, 0xffff_ffff);
    writeU64(large, 0, 0x1_0000_0000);
    expect(Buffer.compare(small, large)).toBe(-1);
  });

  it('unseal returns the body of a sealed value', () => {
    const value = Buffer.alloc(SEAL_BYTES + 3);
    value.set([7, 8, 9], SEAL_BYTES);
    expect([...unseal(seal(value), 3)]).toEqual([7, 8, 9]);
  });

  it('a flipped bit anywhere is a checksum mismatch', () => {
    const value = encodeHardState({ term: 5, vote: 2, commit: 4 });
    for (let at = 0; at < value.length; at++) expect(() => decodeHardState(flipped(value, at))).toThrow(new BadRecord('checksum mismatch'));
  });

  it('a value cut short is too short', () => {
    expect(() => decodeIndex(encodeIndex(7).subarray(0, 10))).toThrow(new BadRecord('10 bytes, too short'));
  });

  it('a value salted with one index does not open under another', () => {
    const value = seal(Buffer.alloc(SEAL_BYTES + 8), indexSalt(15));
    expect(unseal(value, 8, indexSalt(15))).toHaveLength(8);
    expect(() => unseal(value, 8, indexSalt(16))).toThrow(new BadRecord('checksum mismatch'));
  });
});

describe('records', () => {
  it('round-trip hard states, indexes, u32s and snapshot records', () => {
    expect(decodeHardState(encodeHardState({ term: Number.MAX_SAFE_INTEGER, vote: 3, commit: 2 ** 40 }))).toEqual({ term: Number.MAX_SAFE_INTEGER, vote: 3, commit: 2 ** 40 });
    expect(decodeIndex(encodeIndex(2 ** 50))).toBe(2 ** 50);
    expect(decodeU32(encodeU32(0xffff_ffff))).toBe(0xffff_ffff);
    const record = { meta: testSnapshotMeta(80, 3), generation: 12, size: 5000, chunks: 5 };
    expect(decodeSnapshot(encodeSnapshot(record))).toEqual(record);
  });

  it('a chunk is its parts back to back, copied out of the stored value', () => {
    const value = encodeChunk([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])]);
    const bytes = decodeChunk(value);
    expect([...bytes]).toEqual([1, 2, 3]);
    value.fill(0);
    expect([...bytes]).toEqual([1, 2, 3]);
  });
});

describe('checked', () => {
  it('turns a failed check into a StorageCorruptionError naming the record', () => {
    const damaged = flipped(encodeIndex(3), 9);
    const error = (() => {
      try {
        return checked('/data', 'lastIndex record', () => decodeIndex(damaged));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StorageCorruptionError);
    expect(error).toMatchObject({ file: '/data', record: 'lastIndex record', problem: 'checksum mismatch' });
  });

  it('returns what decodes, and lets other errors through', () => {
    expect(checked('/data', 'lastIndex record', () => decodeIndex(encodeIndex(3)))).toBe(3);
    const other = new TypeError('not a record problem');
    expect(() =>
      checked('/data', 'x', () => {
        throw other;
      }),
    ).toThrow(other);
  });
});
