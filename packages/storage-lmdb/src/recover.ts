import { NONE, StoredLog, type Entry, type HardState } from '@raft/core';
import { checked } from './checked.js';
import { StorageCorruptionError } from './errors.js';
import { decodeEntry, decodeHardState, decodeIndex, decodeSnapshot, type SnapshotRecord } from './records.js';
import type { Tables } from './tables.js';

const NEW_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/** What a data directory holds, checked. */
export interface Recovered {
  readonly hardState: HardState;
  readonly snapshot: SnapshotRecord | undefined;
  /** The entries after the snapshot. */
  readonly log: StoredLog;
  /**
   * First index of the entries table. Entries from here up to the snapshot index stay on disk
   * until `compact()` removes them.
   */
  readonly firstStored: number;
}

/**
 * Reads the hard state, the snapshot record and the log, verifying every checksum and that the log
 * is gapless from its first index and agrees with the snapshot. Every write keeps these invariants
 * in one transaction, so any violation is damage, never an interrupted write.
 *
 * @throws StorageCorruptionError naming the record that is damaged or inconsistent.
 */
export function recover(tables: Tables, dir: string): Recovered {
  const read = <T>(key: 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot', decode: (value: Buffer) => T): T | undefined => {
    const value = tables.meta.get(key);
    return value === undefined ? undefined : checked(dir, `${key} record`, () => decode(value));
  };
  const hardState = read('hardState', decodeHardState) ?? NEW_HARD_STATE;
  const snapshot = read('snapshot', decodeSnapshot);
  const firstStored = read('firstIndex', decodeIndex) ?? 1;
  const lastStored = read('lastIndex', decodeIndex) ?? 0;
  const base = snapshot?.meta.index ?? 0;
  if (firstStored > base + 1) {
    throw new StorageCorruptionError(dir, 'firstIndex record', `the log starts at ${firstStored} but the snapshot covers only up to ${base}: entries are missing`);
  }
  const entries: Entry[] = [];
  let expected = firstStored;
  let termAtBase: number | undefined;
  for (const { key, value } of tables.entries.getRange({ start: firstStored })) {
    if (key !== expected) throw new StorageCorruptionError(dir, `entry ${expected}`, `missing (the next stored entry is ${key})`);
    const entry = checked(dir, `entry ${key}`, () => decodeEntry(key, value));
    if (key === base) termAtBase = entry.term;
    if (key > base) entries.push(entry);
    expected++;
  }
  // A damaged B-tree page can hide the end of the log without breaking its order.
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
