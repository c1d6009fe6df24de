import { describe, expect, it } from 'vitest';
import { testEntries, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { StorageCorruptionError, checkLog, encodeHardState, encodeIndex, firstStoredIndex, readMeta, type StoredMeta } from '../src/index.js';

const snapshotAt = (index: number, term: number): StoredMeta['snapshot'] => ({ meta: testSnapshotMeta(index, term), generation: 1, size: 0, chunks: 0 });

/** What `run` throws, which must be a StorageCorruptionError. */
function corruption(run: () => unknown): StorageCorruptionError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(StorageCorruptionError);
    return e as StorageCorruptionError;
  }
  throw new Error('expected a StorageCorruptionError');
}

describe('readMeta', () => {
  it('reads the records that exist and checks each', async () => {
    const stored = new Map([
      ['hardState', encodeHardState({ term: 2, vote: 1, commit: 5 })],
      ['lastIndex', encodeIndex(9)],
    ]);
    expect(await readMeta('/data', async (key) => stored.get(key))).toEqual({ hardState: { term: 2, vote: 1, commit: 5 }, snapshot: undefined, firstIndex: undefined, lastIndex: 9 });
    stored.set('firstIndex', Buffer.alloc(12));
    await expect(readMeta('/data', (key) => stored.get(key))).rejects.toMatchObject({ record: 'firstIndex record', problem: 'checksum mismatch' });
  });
});

describe('firstStoredIndex', () => {
  it('is 1 for a new log, and may not lie after the snapshot', () => {
    const none = { hardState: undefined, snapshot: undefined, firstIndex: undefined, lastIndex: undefined };
    expect(firstStoredIndex('/data', none)).toBe(1);
    expect(firstStoredIndex('/data', { ...none, firstIndex: 9, snapshot: snapshotAt(8, 1) })).toBe(9);
    const e = corruption(() => firstStoredIndex('/data', { ...none, firstIndex: 10, snapshot: snapshotAt(8, 1) }));
    expect(e).toMatchObject({ record: 'firstIndex record' });
    expect(e.message).toMatch(/the log starts at 10 but the snapshot covers only up to 8: entries are missing/);
  });
});

describe('checkLog', () => {
  const meta = (lastIndex: number, snapshot?: StoredMeta['snapshot']): StoredMeta => ({ hardState: { term: 1, vote: 1, commit: 3 }, snapshot, firstIndex: undefined, lastIndex });

  it('keeps the entries after the snapshot', () => {
    const recovered = checkLog('/data', meta(20, snapshotAt(8, 1)), 1, testEntries(1, 20, 1));
    expect(recovered.log.snapshotIndex).toBe(8);
    expect(recovered.log.all().map((e) => e.index)).toEqual(testEntries(9, 20, 1).map((e) => e.index));
    expect(recovered).toMatchObject({ hardState: { term: 1, vote: 1, commit: 3 }, firstStored: 1 });
  });

  it('starts a new directory empty, with a new hard state', () => {
    const recovered = checkLog('/data', { hardState: undefined, snapshot: undefined, firstIndex: undefined, lastIndex: undefined }, 1, []);
    expect(recovered.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
    expect(recovered.log.lastIndex).toBe(0);
  });

  it('finds entries missing at the end, or stored past it', () => {
    expect(corruption(() => checkLog('/data', meta(20), 1, testEntries(1, 17, 1))).message).toMatch(/^\/data: entry 18: missing: the log ends at 17 but its last saved index is 20/);
    expect(corruption(() => checkLog('/data', meta(20), 1, testEntries(1, 21, 1))).message).toMatch(/^\/data: entry 21: stored past the last saved index 20/);
  });

  it('finds a log that ends before the snapshot, or disagrees with it', () => {
    expect(corruption(() => checkLog('/data', meta(6, snapshotAt(8, 1)), 1, testEntries(1, 6, 1))).message).toMatch(/entry 7: missing: the log ends at 6, before the snapshot at 8/);
    expect(corruption(() => checkLog('/data', meta(20, snapshotAt(8, 2)), 1, testEntries(1, 20, 1))).message).toMatch(/entry 8: its term 1 differs from the snapshot's term 2/);
  });
});
