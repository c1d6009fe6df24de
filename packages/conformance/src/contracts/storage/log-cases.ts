import { beforeEach, describe, expect, it } from 'vitest';
import { EntryType, type Entry, type HardState } from '@raft/core';
import { expectEntries } from './expect-entries.js';
import { inChunks, testEntries, testEntry, testSnapshotData, testSnapshotMeta } from './fixtures.js';
import type { Opened, Workspace } from './workspace.js';

/** Cases about the log and hard state of one open storage: no snapshot, no reopen. */
export function logCases(workspace: () => Workspace, durable: boolean): void {
  let s: Opened;
  beforeEach(async () => {
    s = await workspace().fresh();
  });

  describe('a new storage', () => {
    it('loads an empty state', () => {
      expect(s.state.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
      expect(s.state.snapshot).toBeUndefined();
      expect(s.state.entries).toHaveLength(0);
    });

    it('has first index 1, last index 0, term 0 at index 0, and no snapshot', async () => {
      expect(await s.storage.firstIndex()).toBe(1);
      expect(await s.storage.lastIndex()).toBe(0);
      expect(await s.storage.term(0)).toBe(0);
      expect(await s.storage.entries(1, 1)).toEqual([]);
      expect(await s.storage.readSnapshot()).toBeUndefined();
    });

    it('rejects reads past the (empty) log with a RangeError', async () => {
      await expect(s.storage.term(1)).rejects.toBeInstanceOf(RangeError);
      await expect(s.storage.entries(1, 2)).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('append', () => {
    it('stores entries and reads them back exactly', async () => {
      const entries = testEntries(1, 20, 1);
      await s.storage.save({ entries });
      expect(await s.storage.firstIndex()).toBe(1);
      expect(await s.storage.lastIndex()).toBe(20);
      expectEntries(await s.storage.entries(1, 21), entries);
    });

    it('appends consecutive batches', async () => {
      await s.storage.save({ entries: testEntries(1, 3, 1) });
      await s.storage.save({ entries: testEntries(4, 4, 1) });
      await s.storage.save({ entries: testEntries(5, 9, 2) });
      expect(await s.storage.lastIndex()).toBe(9);
      expectEntries(await s.storage.entries(1, 10), [...testEntries(1, 4, 1), ...testEntries(5, 9, 2)]);
    });

    it('keeps entry types, empty payloads and large payloads intact', async () => {
      const entries: Entry[] = [
        { index: 1, term: 1, type: EntryType.Normal, data: new Uint8Array(0) },
        { index: 2, term: 1, type: EntryType.ConfChange, data: Uint8Array.of(1, 2, 3) },
        { index: 3, term: 2, type: EntryType.Normal, data: new Uint8Array(1 << 20).fill(0xab) },
      ];
      await s.storage.save({ entries });
      expectEntries(await s.storage.entries(1, 4), entries);
    });

    it('accepts an empty update', async () => {
      await s.storage.save({});
      await s.storage.save({ entries: [] });
      expect(await s.storage.lastIndex()).toBe(0);
    });
  });

  describe('overwrite of a conflicting suffix', () => {
    beforeEach(async () => {
      await s.storage.save({ entries: testEntries(1, 10, 1) });
    });

    it('replaces every entry from the first new index on', async () => {
      await s.storage.save({ entries: testEntries(6, 7, 2) });
      expect(await s.storage.lastIndex()).toBe(7);
      expectEntries(await s.storage.entries(1, 8), [...testEntries(1, 5, 1), ...testEntries(6, 7, 2)]);
      await expect(s.storage.entries(8, 9)).rejects.toBeInstanceOf(RangeError);
      await expect(s.storage.term(8)).rejects.toBeInstanceOf(RangeError);
    });

    it('can replace the whole log from index 1', async () => {
      await s.storage.save({ entries: testEntries(1, 2, 3) });
      expect(await s.storage.lastIndex()).toBe(2);
      expectEntries(await s.storage.entries(1, 3), testEntries(1, 2, 3));
    });

    it('can replace only the last entry, then continue appending after it', async () => {
      await s.storage.save({ entries: testEntries(10, 10, 2) });
      await s.storage.save({ entries: testEntries(11, 12, 2) });
      expect(await s.storage.lastIndex()).toBe(12);
      expect(await s.storage.term(9)).toBe(1);
      expect(await s.storage.term(10)).toBe(2);
      expectEntries(await s.storage.entries(9, 13), [testEntry(9, 1), ...testEntries(10, 12, 2)]);
    });

    it('may grow the log past its old end', async () => {
      await s.storage.save({ entries: testEntries(8, 15, 2) });
      expect(await s.storage.lastIndex()).toBe(15);
      expectEntries(await s.storage.entries(7, 16), [testEntry(7, 1), ...testEntries(8, 15, 2)]);
    });
  });

  describe('term lookup and entry ranges', () => {
    beforeEach(async () => {
      await s.storage.save({ entries: [...testEntries(1, 4, 1), ...testEntries(5, 8, 3)] });
    });

    it('answers the term at every index of the log', async () => {
      const terms = [];
      for (let i = 0; i <= 8; i++) terms.push(await s.storage.term(i));
      expect(terms).toEqual([0, 1, 1, 1, 1, 3, 3, 3, 3]);
    });

    it('returns any sub-range [lo, hi)', async () => {
      expectEntries(await s.storage.entries(3, 6), [...testEntries(3, 4, 1), ...testEntries(5, 5, 3)]);
      expectEntries(await s.storage.entries(8, 9), testEntries(8, 8, 3));
      expect(await s.storage.entries(5, 5)).toEqual([]);
    });

    it('rejects a range ending past the last index with a RangeError', async () => {
      await expect(s.storage.entries(7, 10)).rejects.toBeInstanceOf(RangeError);
      await expect(s.storage.term(9)).rejects.toBeInstanceOf(RangeError);
    });
  });

  // Hard state is only ever read back by load(), so these need a reopen.
  describe.skipIf(!durable)('hard state', () => {
    it('is saved alone, and replaced by the next one', async () => {
      await s.storage.save({ hardState: { term: 1, vote: 2, commit: 0 } });
      await s.storage.save({ hardState: { term: 2, vote: 0, commit: 0 } });
      const again = await workspace().reopen(s);
      expect(again.state.hardState).toEqual({ term: 2, vote: 0, commit: 0 });
    });

    it('is saved together with entries', async () => {
      const hardState: HardState = { term: 4, vote: 3, commit: 2 };
      await s.storage.save({ entries: testEntries(1, 3, 4), hardState });
      expect(await s.storage.lastIndex()).toBe(3);
      const again = await workspace().reopen(s);
      expect(again.state.hardState).toEqual(hardState);
      expectEntries(again.state.entries, testEntries(1, 3, 4));
    });
  });

  describe('errors', () => {
    it('rejects entries that are not consecutive, and stores none of them', async () => {
      await s.storage.save({ entries: testEntries(1, 3, 1) });
      const gapped = [testEntry(4, 1), testEntry(6, 1)];
      await expect(s.storage.save({ entries: gapped })).rejects.toThrow();
      expect(await s.storage.lastIndex()).toBe(3);
    });

    it('rejects entries that leave a gap after the last index', async () => {
      await s.storage.save({ entries: testEntries(1, 3, 1) });
      await expect(s.storage.save({ entries: testEntries(5, 6, 1) })).rejects.toThrow();
      expect(await s.storage.lastIndex()).toBe(3);
      await s.storage.save({ entries: testEntries(4, 4, 1) });
      expect(await s.storage.lastIndex()).toBe(4);
    });

    it('rejects every call after close', async () => {
      await s.storage.save({ entries: testEntries(1, 2, 1) });
      await workspace().close(s.storage);
      await expect(s.storage.save({ entries: testEntries(3, 3, 1) })).rejects.toThrow();
      await expect(s.storage.entries(1, 2)).rejects.toThrow();
      await expect(s.storage.term(1)).rejects.toThrow();
      await expect(s.storage.firstIndex()).rejects.toThrow();
      await expect(s.storage.lastIndex()).rejects.toThrow();
      await expect(s.storage.readSnapshot()).rejects.toThrow();
      await expect(s.storage.compact(0)).rejects.toThrow();
      const meta = testSnapshotMeta(1, 1);
      await expect(s.storage.saveSnapshot(meta, inChunks(testSnapshotData(1, 1, 10), 5))).rejects.toThrow();
      await expect(s.storage.installSnapshot(meta, inChunks(testSnapshotData(1, 1, 10), 5))).rejects.toThrow();
    });
  });
}
