import { describe, expect, it } from 'vitest';
import { collect, inChunks, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { StorageCorruptionError, StorageFailedError } from '../src/index.js';
import { readChunks, stageChunks } from '../src/snapshot-chunks.js';

/** Stages `data` in `chunkBytes` chunks into a map. */
async function staged(data: AsyncIterable<Uint8Array>, chunkBytes: number): Promise<{ chunks: Map<number, Buffer>; size: number; count: number }> {
  const chunks = new Map<number, Buffer>();
  const { size, chunks: count } = await stageChunks('/data', chunkBytes, data, async (seq, value) => chunks.set(seq, value));
  return { chunks, size, count };
}

const record = (size: number, chunks: number) => ({ meta: testSnapshotMeta(8, 1), generation: 1, size, chunks });

describe('stageChunks', () => {
  it('cuts the data into chunks of the given size, whatever pieces it arrives in', async () => {
    const data = testSnapshotData(8, 1, 2500);
    const { chunks, size, count } = await staged(inChunks(data, 700), 1000);
    expect({ size, count }).toEqual({ size: 2500, count: 3 });
    const read = await collect(readChunks('/data', record(size, count), () => undefined, (seq) => chunks.get(seq)));
    expect(read).toEqual(data);
  });

  it('stores nothing for empty data', async () => {
    expect(await staged(inChunks(new Uint8Array(0), 1), 1000)).toMatchObject({ size: 0, count: 0 });
  });

  it('copies what it keeps: the source may reuse its buffer once it has yielded it', async () => {
    const reused = new Uint8Array(300);
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (const byte of [1, 2, 3]) {
        reused.fill(byte);
        yield reused;
      }
    }
    const { chunks } = await staged(pieces(), 1000);
    expect([...chunks.get(0)!.subarray(4)]).toEqual([...Array(300).fill(1), ...Array(300).fill(2), ...Array(300).fill(3)]);
  });

  it('a failed write fails the staging once every write started has finished', async () => {
    let settled = 0;
    const put = async (seq: number): Promise<void> => {
      await new Promise(setImmediate);
      settled++;
      if (seq === 1) throw new Error('EIO');
    };
    const staging = stageChunks('/data', 100, inChunks(testSnapshotData(8, 1, 1000), 1000), put);
    await expect(staging).rejects.toBeInstanceOf(StorageFailedError);
    await expect(staging).rejects.toThrow(/writing a snapshot chunk in \/data failed \(EIO\)/);
    expect(settled).toBe(10);
  });
});

describe('readChunks', () => {
  it('names a chunk that is missing or damaged, and a size that does not add up', async () => {
    const { chunks } = await staged(inChunks(testSnapshotData(8, 1, 3000), 1000), 1000);
    const read = (size: number, count: number, get = (seq: number): Buffer | undefined => chunks.get(seq)) => collect(readChunks('/data', record(size, count), () => undefined, get));
    await expect(read(3000, 4)).rejects.toThrow(new StorageCorruptionError('/data', 'snapshot 8 chunk 3', 'missing (the snapshot has 4 chunks)'));
    await expect(read(3000, 3, (seq) => (seq === 1 ? Buffer.concat([chunks.get(1)!, Buffer.alloc(1)]) : chunks.get(seq)))).rejects.toThrow(/snapshot 8 chunk 1: checksum mismatch/);
    await expect(read(2999, 3)).rejects.toThrow(/snapshot 8: its chunks hold 3000 bytes, its record says 2999/);
  });

  it('says why a snapshot that went while a chunk was read cannot be read, rather than calling it damaged', async () => {
    // The chunk comes back missing, or its read fails, because the snapshot went meanwhile.
    for (const outcome of [(): undefined => undefined, (): Promise<never> => Promise.reject(new Error('the database is closed'))]) {
      let gone: string | undefined;
      const get = (): Buffer | undefined | Promise<Buffer | undefined> => {
        gone = 'it was replaced';
        return outcome();
      };
      await expect(collect(readChunks('/data', record(20, 2), () => gone, get))).rejects.toThrow(/^snapshot 8 cannot be read any more: it was replaced$/);
    }
  });
});
