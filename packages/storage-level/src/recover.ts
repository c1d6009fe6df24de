import { NONE, StoredLog, type Entry, type HardState } from '@raft/core';
import { checked } from './checked.js';
import { readError, type Db } from './db.js';
import { StorageCorruptionError } from './errors.js';
import { ENTRIES_END, entryIndex, entryKey, metaKey, type MetaKey } from './keys.js';
import { decodeEntry, decodeHardState, decodeIndex, decodeSnapshot, type SnapshotRecord } from './records.js';

const NEW_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/** What a data directory holds, checked. */
export interface Recovered {
  readonly hardState: HardState;
  readonly snapshot: SnapshotRecord | undefined;
  /** The entries after the snapshot. */
  readonly log: StoredLog;
  /**
   * First index stored. Entries from here up to the snapshot index stay on disk until
   * `compact()` removes them.
   */
  readonly firstStored: number;
}

/** Entries read from LevelDB per call while loading. */
const READ_AHEAD = 1000;

/**
 * Reads the hard state, the snapshot record and the log, verifying every checksum and that the log
 * is gapless from its first index and agrees with the snapshot. Every write keeps these invariants
 * in one atomic batch, so any violation is damage, never an interrupted write.
 *
 * @throws StorageCorruptionError naming the record that is damaged or inconsistent.
 */
export async function recover(db: Db, dir: string, inUse: boolean): Promise<Recovered> {
  try {
    return await recoverChecked(db, dir, inUse);
  } catch (e) {
    throw readError(dir, 'the log', e);
  }
}

async function recoverChecked(db: Db, dir: string, inUse: boolean): Promise<Recovered> {
  const read = async <T>(key: MetaKey, decode: (value: Buffer) => T): Promise<T | undefined> => {
    const value = await db.get(metaKey(key));
    return value === undefined ? undefined : checked(dir, `${key} record`, () => decode(value));
  };
  const storedHardState = await read('hardState', decodeHardState);
  const snapshot = await read('snapshot', decodeSnapshot);
  const firstStored = (await read('firstIndex', decodeIndex)) ?? 1;
  const storedLastIndex = await read('lastIndex', decodeIndex);
  // Every write that stores anything stores one of these three records, and every later write
  // keeps them. A LevelDB log cut short, or files deleted, can lose all of them at once.
  if (inUse && storedHardState === undefined && snapshot === undefined && storedLastIndex === undefined) {
    throw new StorageCorruptionError(
      dir,
      'LevelDB files',
      'the database is empty, but this directory held acknowledged writes (its RAFT-STORAGE-LEVEL file says so): its files were cut short or removed',
    );
  }
  const hardState = storedHardState ?? NEW_HARD_STATE;
  const lastStored = storedLastIndex ?? 0;
  const base = snapshot?.meta.index ?? 0;
  if (firstStored > base + 1) {
    throw new StorageCorruptionError(dir, 'firstIndex record', `the log starts at ${firstStored} but the snapshot covers only up to ${base}: entries are missing`);
  }
  const entries: Entry[] = [];
  let expected = firstStored;
  let termAtBase: number | undefined;
  const iterator = db.iterator({ gte: entryKey(firstStored), lt: ENTRIES_END });
  try {
    for (;;) {
      const batch = await iterator.nextv(READ_AHEAD);
      if (batch.length === 0) break;
      for (const [key, value] of batch) {
        const index = entryIndex(key);
        if (index === undefined) throw new StorageCorruptionError(dir, `entry ${expected}`, `a key of ${key.length} bytes (${key.toString('hex')}) lies among the entries`);
        if (index !== expected) throw new StorageCorruptionError(dir, `entry ${expected}`, `missing (the next stored entry is ${index})`);
        const entry = checked(dir, `entry ${index}`, () => decodeEntry(index, value));
        if (index === base) termAtBase = entry.term;
        if (index > base) entries.push(entry);
        expected++;
      }
    }
  } finally {
    await iterator.close();
  }
  // Damage can hide the end of the log without breaking its order.
  if (expected - 1 < lastStored) {
    throw new StorageCorruptionError(dir, `entry ${expected}`, `missing: the log ends at ${expected - 1} but its last saved index is ${lastStored}`);
  }
  if (expected - 1 > lastStored) {
    throw new StorageCorruptionError(dir, `entry ${lastStored + 1}`, `stored past the last saved index ${lastStored}`);
  }
  // Entries the snapshot covers may still be stored (until compact()); the last must agree with it.
  if (snapshot && firstStored <= base) {
    if (termAtBase === undefined) {
      throw new StorageCorruptionError(dir, `entry ${expected}`, `missing: the log ends at ${expected - 1}, before the snapshot at ${base}`);
    }
    if (termAtBase !== snapshot.meta.term) {
      throw new StorageCorruptionError(dir, `entry ${base}`, `its term ${termAtBase} differs from the snapshot's term ${snapshot.meta.term} at that index`);
    }
  }
  return { hardState, snapshot, log: new StoredLog(base, snapshot?.meta.term ?? 0, entries), firstStored };
}
