import { beforeEach, describe, expect, it } from 'vitest';
import { expectEntries } from './expect-entries.js';
import { collect, inChunks, sameBytes, testEntries, testSnapshotData, testSnapshotMeta } from './fixtures.js';
import type { Opened, Workspace } from './workspace.js';

/** Cases that close a storage and reopen its directory: only what was durable may come back. */
export function durabilityCases(workspace: () => Workspace): void {
  let s: Opened;
  beforeEach(async () => {
    s = await workspace().fresh();
  });

  describe('reopen', () => {
    it('loads every saved entry and the last hard state', async () => {
      await s.storage.save({ entries: testEntries(1, 50, 1), hardState: { term: 1, vote: 1, commit: 10 } });
      await s.storage.save({ entries: testEntries(51, 60, 2), hardState: { term: 2, vote: 3, commit: 55 } });
      const again = await workspace().reopen(s);
      expect(again.state.hardState).toEqual({ term: 2, vote: 3, commit: 55 });
      expect(again.state.snapshot).toBeUndefined();
      expectEntries(again.state.entries, [...testEntries(1, 50, 1), ...testEntries(51, 60, 2)]);
      expect(await again.storage.lastIndex()).toBe(60);
      expectEntries(await again.storage.entries(49, 52), [...testEntries(49, 50, 1), ...testEntries(51, 51, 2)]);
    });

    it('does not resurrect an overwritten suffix', async () => {
      await s.storage.save({ entries: testEntries(1, 10, 1) });
      await s.storage.save({ entries: testEntries(4, 5, 2) });
      const again = await workspace().reopen(s);
      expectEntries(again.state.entries, [...testEntries(1, 3, 1), ...testEntries(4, 5, 2)]);
      expect(await again.storage.lastIndex()).toBe(5);
    });

    it('keeps a saved snapshot and the entries after it', async () => {
      const data = testSnapshotData(6, 1, 2 * 1024 * 1024 + 3);
      await s.storage.save({ entries: testEntries(1, 10, 1), hardState: { term: 1, vote: 1, commit: 8 } });
      await s.storage.saveSnapshot(testSnapshotMeta(6, 1), inChunks(data, 65_536));
      const again = await workspace().reopen(s);
      expect(again.state.snapshot).toEqual(testSnapshotMeta(6, 1));
      expectEntries(again.state.entries, testEntries(7, 10, 1));
      expect(await again.storage.firstIndex()).toBe(7);
      expect(await again.storage.term(6)).toBe(1);
      const stored = await again.storage.readSnapshot();
      expect(stored?.size).toBe(data.length);
      expect(sameBytes(await collect(stored!.read()), data)).toBe(true);
    });

    it('keeps compaction: entries up to the snapshot do not come back', async () => {
      await s.storage.save({ entries: testEntries(1, 10, 1) });
      await s.storage.saveSnapshot(testSnapshotMeta(7, 1), inChunks(testSnapshotData(7, 1, 10), 3));
      await s.storage.compact(7);
      const again = await workspace().reopen(s);
      expectEntries(again.state.entries, testEntries(8, 10, 1));
      expect(await again.storage.firstIndex()).toBe(8);
      expect(await again.storage.lastIndex()).toBe(10);
    });

    it('keeps an installed snapshot: the old log stays discarded and appends continue after it', async () => {
      await s.storage.save({ entries: testEntries(1, 10, 1), hardState: { term: 1, vote: 1, commit: 3 } });
      await s.storage.installSnapshot(testSnapshotMeta(30, 4), inChunks(testSnapshotData(30, 4, 4096), 1000));
      await s.storage.save({ hardState: { term: 4, vote: 0, commit: 30 } });
      let again = await workspace().reopen(s);
      expect(again.state.snapshot).toEqual(testSnapshotMeta(30, 4));
      expect(again.state.entries).toHaveLength(0);
      expect(again.state.hardState).toEqual({ term: 4, vote: 0, commit: 30 });
      expect(await again.storage.lastIndex()).toBe(30);
      await again.storage.save({ entries: testEntries(31, 35, 4) });
      again = await workspace().reopen(again);
      expectEntries(again.state.entries, testEntries(31, 35, 4));
    });

    it('reopens a storage that was never written to as new', async () => {
      const again = await workspace().reopen(s);
      expect(again.state).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] });
    });
  });
}
