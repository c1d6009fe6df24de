import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, inChunks, storageContractSuite, testEntries, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { StorageFailedError } from '../src/index.js';
import { MemoryStorage } from './memory-engine.js';

storageContractSuite('KeyValueStorage over maps', { open: (dir) => MemoryStorage.open(dir) });
// Tiny chunks: every snapshot case also runs across many chunks and partial ones.
storageContractSuite('KeyValueStorage over maps with 1000-byte snapshot chunks', { open: (dir) => MemoryStorage.open(dir, { snapshotChunkBytes: 1000 }) });

const CHUNK = 1000;

/** A loaded storage in a new directory. */
async function loaded(): Promise<{ dir: string; storage: MemoryStorage }> {
  const dir = await mkdtemp(join(tmpdir(), 'raft-storage-kit-'));
  const storage = await MemoryStorage.open(dir, { snapshotChunkBytes: CHUNK });
  await storage.load();
  return { dir, storage };
}

/** Entries 1..20 in term 1 with a hard state, and a 5000-byte snapshot at 8 (five chunks). */
async function written(): Promise<{ dir: string; storage: MemoryStorage }> {
  const opened = await loaded();
  await opened.storage.save({ entries: testEntries(1, 20, 1), hardState: { term: 1, vote: 1, commit: 12 } });
  await opened.storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 5 * CHUNK), 700));
  return opened;
}

describe('KeyValueStorage', () => {
  it('rejects a snapshotChunkBytes that is not a positive integer, naming the storage', async () => {
    await expect(MemoryStorage.open('unused', { snapshotChunkBytes: 0 })).rejects.toThrow(/^MemoryStorage: snapshotChunkBytes must be a positive integer, got 0$/);
    await expect(MemoryStorage.open('unused', { snapshotChunkBytes: 1.5 })).rejects.toThrow(RangeError);
  });

  it('writes saves that arrive while a batch is being written as one batch', async () => {
    const { storage } = await loaded();
    await Promise.all(Array.from({ length: 10 }, (_, i) => storage.save({ entries: testEntries(i + 1, i + 1, 1), hardState: { term: 1, vote: 1, commit: i } })));
    // The first save goes alone; the nine that arrived while it was written share the next batch.
    expect(storage.faults.writes).toBe(2);
    expect((await storage.entries(1, 11)).map((e) => e.index)).toEqual(testEntries(1, 10, 1).map((e) => e.index));
  });

  it('removes the chunks of a snapshot that was being written when the process died', async () => {
    const { dir, storage } = await written();
    await storage.close();
    const { chunks } = MemoryStorage.store(dir);
    const before = [...chunks.keys()];
    chunks.set('99:0', Buffer.alloc(10));
    chunks.set('0:0', Buffer.alloc(10));
    const again = await MemoryStorage.open(dir);
    await again.load();
    expect([...chunks.keys()]).toEqual(before);
    expect(await collect((await again.readSnapshot())!.read())).toEqual(testSnapshotData(8, 1, 5 * CHUNK));
  });

  it('a reader of a snapshot that was replaced is told to read again', async () => {
    const { storage } = await written();
    const old = (await storage.readSnapshot())!;
    const reading = old.read()[Symbol.asyncIterator]();
    await reading.next();
    await storage.saveSnapshot(testSnapshotMeta(12, 1), inChunks(testSnapshotData(12, 1, 3000), 1000));
    await expect(reading.next()).rejects.toThrow(/replaced by snapshot 12; call readSnapshot\(\) again/);
  });

  it('a reader of a snapshot whose storage closed is told so', async () => {
    const { storage } = await written();
    const reading = (await storage.readSnapshot())!.read()[Symbol.asyncIterator]();
    await reading.next();
    await storage.close();
    await expect(reading.next()).rejects.toThrow(/snapshot 8 cannot be read any more: the storage is closed/);
  });

  it('after a failed write every further call fails, and a restart reads back what was durable', async () => {
    const { dir, storage } = await loaded();
    await storage.save({ entries: testEntries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 1 } });
    storage.faults.failWrites = new Error('EIO: i/o error, write');
    const failed = storage.save({ entries: testEntries(4, 4, 1) });
    await expect(failed).rejects.toBeInstanceOf(StorageFailedError);
    await expect(failed).rejects.toThrow(/saving entries and hard state in .* failed \(EIO: i\/o error, write\); fix the disk .*restart the node/);
    // The failure is kept: later calls fail with it, even once the disk works again.
    delete storage.faults.failWrites;
    await expect(storage.save({ hardState: { term: 2, vote: 1, commit: 1 } })).rejects.toBe(await failed.catch((e: unknown) => e));
    await expect(storage.compact(0)).rejects.toBeInstanceOf(StorageFailedError);
    await storage.close();
    const restarted = await MemoryStorage.open(dir);
    const state = await restarted.load();
    expect(state.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 1 });
  });

  it('fails every write queued behind a failed one with the same error', async () => {
    const { storage } = await loaded();
    storage.faults.failWrites = new Error('ENOSPC: no space left on device');
    const writes = [1, 2, 3].map((i) => storage.save({ entries: testEntries(i, i, 1) }));
    const errors = await Promise.all(writes.map((w) => w.catch((e: unknown) => e)));
    expect(errors[0]).toBeInstanceOf(StorageFailedError);
    expect(errors).toEqual([errors[0], errors[0], errors[0]]);
    expect(storage.faults.writes).toBe(1);
  });

  it('lets writes already issued finish before close() resolves', async () => {
    const { dir, storage } = await loaded();
    const saving = storage.save({ entries: testEntries(1, 2, 1) });
    await storage.close();
    await saving;
    const again = await MemoryStorage.open(dir);
    expect((await again.load()).entries.map((e) => e.index)).toEqual([1, 2]);
  });

  it('names the storage when used before load() or after close()', async () => {
    const storage = await MemoryStorage.open(await mkdtemp(join(tmpdir(), 'raft-storage-kit-')));
    await expect(storage.lastIndex()).rejects.toThrow(/^MemoryStorage: call load\(\) before any other method$/);
    await storage.load();
    await expect(storage.load()).rejects.toThrow(/^MemoryStorage\.load\(\) was already called/);
    await storage.close();
    await expect(storage.lastIndex()).rejects.toThrow(/^this MemoryStorage is closed; open the directory again to use it$/);
  });
});
