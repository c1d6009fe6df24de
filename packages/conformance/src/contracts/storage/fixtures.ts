import { EntryType, type ConfState, type Entry, type SnapshotMeta } from '@raft/core';

/**
 * Deterministic test data: every byte of an entry or snapshot is a function of its position, so a
 * reader (another process, or the same one after a crash) can check exact contents without being
 * told what was written.
 */

/** A small xorshift stream seeded from two integers; only used to fill test payloads. */
function fill(bytes: Uint8Array, a: number, b: number): Uint8Array {
  let x = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b) ^ 0x2545f491) >>> 0 || 1;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * Payload size of the entry at (`index`, `term`): mostly small, sometimes empty, sometimes a few
 * KiB, so framing is exercised across sizes.
 */
function payloadSize(index: number, term: number): number {
  const h = (Math.imul(index, 2654435761) ^ Math.imul(term, 40503)) >>> 0;
  if (h % 11 === 0) return 0;
  if (h % 13 === 0) return 1024 + (h % 3072);
  return 1 + (h % 200);
}

/** The test entry at `index` in `term`: its type, size and bytes all derive from the two numbers. */
export function testEntry(index: number, term: number): Entry {
  const type = index % 7 === 0 ? EntryType.ConfChange : EntryType.Normal;
  return { index, term, type, data: fill(new Uint8Array(payloadSize(index, term)), index, term) };
}

/** Test entries `from..to` inclusive, all in `term`. */
export function testEntries(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(testEntry(i, term));
  return out;
}

/** Whether `entry` is exactly the test entry for its index and term (type and every byte). */
export function isTestEntry(entry: Entry): boolean {
  const expected = testEntry(entry.index, entry.term);
  return entry.type === expected.type && sameBytes(entry.data, expected.data);
}

/** Byte-wise equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A configuration with a joint part, so every field of a ConfState round-trips. */
export const testConf: ConfState = {
  voters: [1, 2, 3],
  learners: [7],
  votersOutgoing: [1, 2, 4],
  learnersNext: [4],
  autoLeave: true,
};

/** Snapshot metadata at `index` in `term`. */
export function testSnapshotMeta(index: number, term: number): SnapshotMeta {
  return { index, term, conf: testConf };
}

/** Deterministic snapshot data of `size` bytes for the snapshot at (`index`, `term`). */
export function testSnapshotData(index: number, term: number, size: number): Uint8Array {
  return fill(new Uint8Array(size), index + 0x5a5a, term);
}

/** Streams `data` in chunks of `chunkSize` bytes (the last one shorter), as a snapshot source would. */
export async function* inChunks(data: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += chunkSize) yield data.subarray(at, Math.min(at + chunkSize, data.length));
}

/** Reads a byte stream to the end into one array. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of stream) {
    parts.push(part);
    size += part.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
