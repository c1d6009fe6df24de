import { describe, expect, it } from 'vitest';
import { inChunks, testEntries, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { SnapshotStore } from '../src/snapshot-store.js';
import { openLoaded, tempDir } from './helpers.js';

/**
 * installSnapshot makes the snapshot durable, then appends a reset record. A crash in between
 * leaves a new snapshot next to the old log; recovery must then apply Raft's rule: keep the log
 * after the snapshot only if it holds the snapshot's last entry with the snapshot's term.
 */
// Tiny segments: every write rolls over first, so the discard is recorded in a new segment.
describe.each([{}, { segmentBytes: 64 }])('a crash between installing a snapshot and resetting the log (%o)', (options) => {
  async function logThenBareSnapshot(index: number, term: number): Promise<string> {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir, options);
    await storage.save({ entries: testEntries(1, 10, 1), hardState: { term: 1, vote: 1, commit: 4 } });
    await storage.close();
    // Exactly what installSnapshot writes before its reset record.
    const snapshots = await SnapshotStore.load(dir, []);
    await snapshots.write(testSnapshotMeta(index, term), inChunks(testSnapshotData(index, term, 100), 10));
    return dir;
  }

  it('discards the log when the snapshot reaches past it', async () => {
    const { storage, state } = await openLoaded(await logThenBareSnapshot(20, 3), options);
    expect(state.snapshot).toEqual(testSnapshotMeta(20, 3));
    expect(state.entries).toEqual([]);
    expect(await storage.lastIndex()).toBe(20);
    await storage.save({ entries: testEntries(21, 22, 3) });
    await storage.close();
    const again = await openLoaded(storage.dir, options);
    expect(again.state.entries.map((e) => e.index)).toEqual([21, 22]);
  });

  it('discards the log when it disagrees with the snapshot at the snapshot index, for good', async () => {
    const dir = await logThenBareSnapshot(5, 3);
    const { storage, state } = await openLoaded(dir, options);
    expect(state.entries).toEqual([]);
    expect(await storage.lastIndex()).toBe(5);
    expect(await storage.term(5)).toBe(3);
    // Entries appended after the discard survive the next start (the discard itself was recorded).
    await storage.save({ entries: testEntries(6, 7, 3) });
    await storage.close();
    const again = await openLoaded(dir, options);
    expect(again.state.entries.map((e) => [e.index, e.term])).toEqual([
      [6, 3],
      [7, 3],
    ]);
  });

  it('keeps the log after the snapshot when it agrees', async () => {
    const { state } = await openLoaded(await logThenBareSnapshot(5, 1), options);
    expect(state.entries.map((e) => e.index)).toEqual([6, 7, 8, 9, 10]);
    expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 4 });
  });
});
