import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_HEADER_BYTES, parseChunk, splitIntoChunks, type Chunk } from '../src/chunking.js';
import { FramingError } from '../src/framing-error.js';
import { Reassembler, type ReassemblyLimits } from '../src/reassembly.js';

const limits: ReassemblyLimits = { maxMessageBytes: 1 << 20, maxBufferedBytes: 4 << 20, timeoutMs: 1_000 };

function frameOf(length: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 31 + seed) & 0xff);
}

function chunksOf(frame: Uint8Array, sender: number, sequence: number, maxChunkBytes: number): Chunk[] {
  return splitIntoChunks(frame, sender, sequence, maxChunkBytes).map(parseChunk);
}

describe('splitIntoChunks / parseChunk', () => {
  it('round-trips any frame through any chunk size, in order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 5_000 }),
        fc.integer({ min: CHUNK_HEADER_BYTES + 1, max: 2_000 }),
        fc.nat({ max: 0xffff_ffff }),
        fc.nat({ max: 0xffff_ffff }),
        (frame, maxChunkBytes, sender, sequence) => {
          const wire = splitIntoChunks(frame, sender, sequence, maxChunkBytes);
          expect(wire.every((chunk) => chunk.length <= maxChunkBytes)).toBe(true);
          const reassembler = new Reassembler(limits);
          const results = wire.map((bytes) => reassembler.accept(parseChunk(bytes), 0));
          expect(results.slice(0, -1).every((result) => result === undefined)).toBe(true);
          expect(results.at(-1)).toEqual(frame);
          expect(reassembler.pending).toBe(0);
          expect(reassembler.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('refuses a max payload with no room for data', () => {
    expect(() => splitIntoChunks(frameOf(10), 1, 1, CHUNK_HEADER_BYTES)).toThrow(/too small/);
  });

  it('rejects bytes that cannot be a chunk', () => {
    expect(() => parseChunk(new Uint8Array(CHUNK_HEADER_BYTES))).toThrow(FramingError);
    const [first] = splitIntoChunks(frameOf(100), 1, 1, 60);
    const lying = Uint8Array.from(first ?? []);
    new DataView(lying.buffer).setUint32(12, 10); // total smaller than the data it carries
    expect(() => parseChunk(lying)).toThrow(/covers bytes/);
  });

  it('never throws anything but FramingError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const reassembler = new Reassembler(limits);
        try {
          reassembler.accept(parseChunk(bytes), 0);
        } catch (error) {
          expect(error).toBeInstanceOf(FramingError);
        }
        expect(reassembler.bufferedBytes).toBeLessThanOrEqual(limits.maxBufferedBytes);
      }),
    );
  });
});

describe('Reassembler', () => {
  it('keeps one frame per sender, so interleaved senders both complete', () => {
    const reassembler = new Reassembler(limits);
    const a = chunksOf(frameOf(300, 1), 1, 9, 116);
    const b = chunksOf(frameOf(250, 2), 2, 9, 116);
    const done: Uint8Array[] = [];
    for (let index = 0; index < Math.max(a.length, b.length); index++) {
      for (const chunk of [a[index], b[index]]) {
        const frame = chunk === undefined ? undefined : reassembler.accept(chunk, 0);
        if (frame !== undefined) done.push(frame);
      }
    }
    expect(done).toEqual([frameOf(300, 1), frameOf(250, 2)]);
  });

  it('abandons a frame whose chunk was lost and completes the next one', () => {
    const reassembler = new Reassembler(limits);
    const [first, , third] = chunksOf(frameOf(300), 1, 1, 116);
    expect(reassembler.accept(first!, 0)).toBeUndefined();
    expect(reassembler.accept(third!, 0)).toBeUndefined();
    expect(reassembler.abandoned).toBe(1);
    expect(reassembler.bufferedBytes).toBe(0);
    const next = chunksOf(frameOf(200), 1, 2, 116);
    expect(next.map((chunk) => reassembler.accept(chunk, 0)).at(-1)).toEqual(frameOf(200));
  });

  it('abandons an unfinished frame when its sender starts another', () => {
    const reassembler = new Reassembler(limits);
    const [first] = chunksOf(frameOf(300), 1, 1, 116);
    reassembler.accept(first!, 0);
    const next = chunksOf(frameOf(200), 1, 2, 116);
    expect(next.map((chunk) => reassembler.accept(chunk, 0)).at(-1)).toEqual(frameOf(200));
    expect(reassembler.abandoned).toBe(1);
  });

  it('drops chunks that continue no known frame', () => {
    const reassembler = new Reassembler(limits);
    const [, second] = chunksOf(frameOf(300), 1, 1, 116);
    expect(reassembler.accept(second!, 0)).toBeUndefined();
    expect(reassembler.pending).toBe(0);
    expect(reassembler.abandoned).toBe(1);
  });

  it('frees a stalled frame after the timeout, and not before', () => {
    const reassembler = new Reassembler(limits);
    const [first] = chunksOf(frameOf(300), 1, 1, 116);
    reassembler.accept(first!, 5_000);
    reassembler.evictExpired(5_000 + limits.timeoutMs - 1);
    expect(reassembler.pending).toBe(1);
    reassembler.evictExpired(5_000 + limits.timeoutMs);
    expect(reassembler.pending).toBe(0);
    expect(reassembler.bufferedBytes).toBe(0);
  });

  it('refuses frames over maxMessageBytes before allocating them', () => {
    const reassembler = new Reassembler({ ...limits, maxMessageBytes: 200 });
    const [first] = chunksOf(frameOf(300), 1, 1, 116);
    expect(() => reassembler.accept(first!, 0)).toThrow(/maxMessageBytes/);
    expect(reassembler.bufferedBytes).toBe(0);
  });

  it('evicts the oldest frames to stay within the byte budget, even against many forged senders', () => {
    const budget = { maxMessageBytes: 1_000, maxBufferedBytes: 2_500, timeoutMs: 1_000 };
    const reassembler = new Reassembler(budget);
    for (let sender = 1; sender <= 50; sender++) {
      const [first] = chunksOf(frameOf(1_000), sender, 1, 116);
      reassembler.accept(first!, 0);
      expect(reassembler.bufferedBytes).toBeLessThanOrEqual(budget.maxBufferedBytes);
    }
    expect(reassembler.pending).toBe(2);
    expect(reassembler.abandoned).toBe(48);
  });

  it('rejects limits where one message could exceed the whole budget', () => {
    expect(() => new Reassembler({ maxMessageBytes: 10, maxBufferedBytes: 5, timeoutMs: 1 })).toThrow(RangeError);
  });
});
