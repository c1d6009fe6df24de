import { expect, it } from 'vitest';
import { testEntries, testSnapshotMeta, inChunks, testSnapshotData } from '@raft/conformance/storage-suite';
import { FileStorage } from '../src/index.js';
import { openLoaded, tempDir } from './helpers.js';

it('rejects a segment size that is not a positive integer', async () => {
  const dir = await tempDir();
  await expect(FileStorage.open(dir, { segmentBytes: 0 })).rejects.toThrow(/segmentBytes must be a positive integer, got 0/);
  await expect(FileStorage.open(dir, { segmentBytes: 1.5 })).rejects.toThrow(RangeError);
});

it('wants load() first, and only once', async () => {
  const dir = await tempDir();
  const storage = await FileStorage.open(dir);
  try {
    await expect(storage.lastIndex()).rejects.toThrow(/call load\(\) before any other method/);
    await storage.load();
    await expect(storage.load()).rejects.toThrow(/load\(\) was already called/);
  } finally {
    await storage.close();
  }
});

it('rejects a local snapshot whose term disagrees with the log, or one older than the current', async () => {
  const { storage } = await openLoaded(await tempDir());
  await storage.save({ entries: testEntries(1, 10, 2) });
  const data = () => inChunks(testSnapshotData(5, 1, 10), 10);
  await expect(storage.saveSnapshot(testSnapshotMeta(5, 1), data())).rejects.toThrow(/index 5 has term 1, the log says 2/);
  await storage.saveSnapshot(testSnapshotMeta(8, 2), data());
  await expect(storage.saveSnapshot(testSnapshotMeta(6, 2), data())).rejects.toThrow(/older than the stored snapshot at 8/);
  expect((await storage.readSnapshot())?.meta.index).toBe(8);
});

it('rejects entries that would rewrite what a snapshot covers', async () => {
  const { storage } = await openLoaded(await tempDir());
  await storage.save({ entries: testEntries(1, 10, 1) });
  await storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 10), 10));
  await expect(storage.save({ entries: testEntries(7, 9, 2) })).rejects.toThrow(/at or below the snapshot index 8/);
  expect(await storage.term(9)).toBe(1);
});
