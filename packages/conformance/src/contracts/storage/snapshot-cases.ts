import { beforeEach, describe, expect, it } from 'vitest';
import { CompactedError } from '@raft/core';
import { expectEntries } from './expect-entries.js';
import { collect, inChunks, sameBytes, testEntries, testSnapshotData, testSnapshotMeta } from './fixtures.js';
import type { Opened, Workspace } from './workspace.js';

/** Several MiB and not a multiple of the chunk size, so streaming crosses many chunk edges. */
const BIG = 3 * 1024 * 1024 + 17;

/** Rejects with a {@link CompactedError} naming `index` and `snapshotIndex`. */
async function expectCompacted(p: Promise<unknown>, index: number, snapshotIndex: number): Promise<void> {
  const error: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a CompactedError for index ${index}`).toBeInstanceOf(CompactedError);
  expect(error).toMatchObject({ index, snapshotIndex });
}

/** Cases about snapshots and compaction, on one open storage. */
export function snapshotCases(workspace: () => Workspace): void {
  let s: Opened;
  beforeEach(async () => {
    s = await workspace().fresh();
    await s.storage.save({ entries: testEntries(1, 10, 1) });
  });

  describe('saveSnapshot / readSnapshot', () => {
    it('streams several MiB in and out, byte for byte, more than once', async () => {
      const data = testSnapshotData(6, 1, BIG);
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(data, 64 * 1024));
      const stored = await s.storage.readSnapshot();
      expect(stored?.meta).toEqual(testSnapshotMeta(6, 1));
      expect(stored?.size).toBe(BIG);
      expect(sameBytes(await collect(stored!.read()), data), 'first read').toBe(true);
      expect(sameBytes(await collect(stored!.read()), data), 'second read').toBe(true);
    });

    it('stores an empty snapshot', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(2, 1), inChunks(new Uint8Array(0), 1));
      const stored = await s.storage.readSnapshot();
      expect(stored?.size).toBe(0);
      expect((await collect(stored!.read())).length).toBe(0);
    });

    it('replaces an older snapshot', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(3, 1), inChunks(testSnapshotData(3, 1, 1000), 100));
      await s.storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 5000), 999));
      const stored = await s.storage.readSnapshot();
      expect(stored?.meta.index).toBe(8);
      expect(sameBytes(await collect(stored!.read()), testSnapshotData(8, 1, 5000))).toBe(true);
    });

    it('stores nothing when the data stream fails, keeping the previous snapshot', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(3, 1), inChunks(testSnapshotData(3, 1, 1000), 100));
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield testSnapshotData(8, 1, 70_000);
        throw new Error('the state machine failed while streaming');
      }
      await expect(s.storage.saveSnapshot(testSnapshotMeta(8, 1), failing())).rejects.toThrow(/failed while streaming/);
      const stored = await s.storage.readSnapshot();
      expect(stored?.meta).toEqual(testSnapshotMeta(3, 1));
      expect(sameBytes(await collect(stored!.read()), testSnapshotData(3, 1, 1000))).toBe(true);
      expect(await s.storage.firstIndex()).toBe(4);
    });

    it('leaves the log after the snapshot readable, and answers the snapshot term at its index', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(testSnapshotData(6, 1, 10), 4));
      expect(await s.storage.firstIndex()).toBe(7);
      expect(await s.storage.lastIndex()).toBe(10);
      expect(await s.storage.term(6)).toBe(1);
      expectEntries(await s.storage.entries(7, 11), testEntries(7, 10, 1));
    });

    it('rejects reads at or below the snapshot index with a CompactedError', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(testSnapshotData(6, 1, 10), 4));
      await expectCompacted(s.storage.term(5), 5, 6);
      await expectCompacted(s.storage.term(1), 1, 6);
      await expectCompacted(s.storage.entries(6, 8), 6, 6);
      await expectCompacted(s.storage.entries(2, 3), 2, 6);
    });
  });

  describe('installSnapshot', () => {
    it('discards the whole log; the log continues after the snapshot', async () => {
      const data = testSnapshotData(20, 3, BIG);
      await s.storage.installSnapshot(testSnapshotMeta(20, 3), inChunks(data, 100_000));
      expect(await s.storage.firstIndex()).toBe(21);
      expect(await s.storage.lastIndex()).toBe(20);
      expect(await s.storage.term(20)).toBe(3);
      expect(await s.storage.entries(21, 21)).toEqual([]);
      await expect(s.storage.term(21)).rejects.toBeInstanceOf(RangeError);
      await expectCompacted(s.storage.term(10), 10, 20);
      const stored = await s.storage.readSnapshot();
      expect(stored?.meta).toEqual(testSnapshotMeta(20, 3));
      expect(sameBytes(await collect(stored!.read()), data)).toBe(true);

      await s.storage.save({ entries: testEntries(21, 23, 3) });
      expectEntries(await s.storage.entries(21, 24), testEntries(21, 23, 3));
    });

    it('discards entries after the snapshot index too, even when the log reaches past it', async () => {
      await s.storage.installSnapshot(testSnapshotMeta(5, 2), inChunks(testSnapshotData(5, 2, 100), 7));
      expect(await s.storage.firstIndex()).toBe(6);
      expect(await s.storage.lastIndex()).toBe(5);
      expect(await s.storage.term(5)).toBe(2);
      await expect(s.storage.entries(6, 7)).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('compact', () => {
    it('drops entries up to the snapshot index and keeps the rest', async () => {
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(testSnapshotData(6, 1, 10), 4));
      await s.storage.compact(4);
      await s.storage.compact(6);
      expect(await s.storage.firstIndex()).toBe(7);
      expect(await s.storage.lastIndex()).toBe(10);
      expect(await s.storage.term(6)).toBe(1);
      expectEntries(await s.storage.entries(7, 11), testEntries(7, 10, 1));
      await s.storage.save({ entries: testEntries(11, 12, 2) });
      expectEntries(await s.storage.entries(10, 13), [...testEntries(10, 10, 1), ...testEntries(11, 12, 2)]);
    });

    it('rejects compaction past the snapshot index with a RangeError', async () => {
      await expect(s.storage.compact(1)).rejects.toBeInstanceOf(RangeError);
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(testSnapshotData(6, 1, 10), 4));
      await expect(s.storage.compact(7)).rejects.toBeInstanceOf(RangeError);
      expectEntries(await s.storage.entries(7, 11), testEntries(7, 10, 1));
    });
  });
}
