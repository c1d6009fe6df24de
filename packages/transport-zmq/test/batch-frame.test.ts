import { describe, expect, it } from 'vitest';
import { batchLimits, encodeBatch, maxBatchFrameBytes, splitBatch } from '../src/batch-frame.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('batch frames', () => {
  it('carry messages, each after its length as a u32 big-endian, and split back into views of the frame', () => {
    const messages = [bytes(1, 2, 3), new Uint8Array(300).fill(7), bytes(9)];
    const frame = encodeBatch(messages);
    expect([...frame.subarray(0, 8)]).toEqual([0, 0, 0, 3, 1, 2, 3, 0]);
    expect([...frame.subarray(7, 11)]).toEqual([0, 0, 1, 44]);
    expect(frame.length).toBe(3 * 4 + 304);
    const split = splitBatch(frame, 300);
    if (!split.ok) throw new Error(split.problem);
    expect(split.messages.map((message) => [...message])).toEqual(messages.map((message) => [...message]));
    expect(split.messages.every((message) => message.buffer === frame.buffer)).toBe(true);
  });

  it('are malformed when empty, cut short, or when a length is 0, past maxMessageBytes or past the end', () => {
    const problem = (frame: Uint8Array, max = 100) => {
      const split = splitBatch(frame, max);
      return split.ok ? undefined : split.problem;
    };
    expect(problem(bytes())).toBe('empty batch frame');
    expect(problem(bytes(0, 0, 0, 1, 5, 0, 0))).toBe('batch frame cut short: 2 byte(s) where the length of message 2 should be');
    expect(problem(bytes(0, 0, 0, 0))).toBe('message 1 of the batch frame has length 0');
    expect(problem(bytes(0xff, 0xff, 0xff, 0xff, 1))).toBe(
      'message 1 of the batch frame claims 4294967295 bytes, more than maxMessageBytes (100)',
    );
    expect(problem(encodeBatch([new Uint8Array(101)]))).toMatch(/claims 101 bytes, more than maxMessageBytes/);
    expect(problem(bytes(0, 0, 0, 1, 5, 0, 0, 0, 3, 1, 2))).toBe('message 2 of the batch frame claims 3 bytes, but only 2 follow');
  });

  it('stay within maxBatchFrameBytes when batches respect batchLimits', () => {
    for (const maxMessageBytes of [1024, 8 * 1024 * 1024, 64 * 1024 * 1024]) {
      const { batchFrames, batchBytes } = batchLimits(maxMessageBytes);
      expect(batchBytes).toBeLessThanOrEqual(maxMessageBytes);
      expect(batchBytes + 4 * batchFrames).toBeLessThanOrEqual(maxBatchFrameBytes(maxMessageBytes));
    }
  });
});
