import { NONE, StoredLog, type Entry, type HardState } from '@raft/core';
import { checked } from './checked.js';
import { StorageCorruptionError } from './errors.js';
import { decodeHardState, decodeIndex, decodeSnapshot, type SnapshotRecord } from './records.js';

/**
 * Recovery of a log kept in a key-value engine beside four meta records: the hard state, the first
 * index the log may hold (1, or after a compaction), its last index (the snapshot's after an
 * install), and the snapshot record. Every write keeps them and the log consistent in one atomic
 * write, so any inconsistency found here is damage, never an interrupted write.
 *
 * An adapter reads the meta records ({@link readMeta}), asks where the log starts
 * ({@link firstStoredIndex}), reads its entries from there in its own layout, and hands them to
 * {@link checkLog}.
 *
 * @module
 */

/** Names of the meta records, as they appear in errors (`hardState record`). */
export type LogMetaKey = 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot';

/** The meta records as stored; undefined for one never written. */
export interface StoredMeta {
  readonly hardState: HardState | undefined;
  readonly snapshot: SnapshotRecord | undefined;
  readonly firstIndex: number | undefined;
  readonly lastIndex: number | undefined;
}

/** What a data directory holds, checked. */
export interface Recovered {
  readonly hardState: HardState;
  readonly snapshot: SnapshotRecord | undefined;
  /** The entries after the snapshot. */
  readonly log: StoredLog;
  /**
   * First index stored. Entries from here up to the snapshot index stay stored until `compact()`
   * removes them.
   */
  readonly firstStored: number;
}

const NEW_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/**
 * Reads and checks the meta records through `get`, which returns a record's stored value.
 *
 * @throws StorageCorruptionError naming a record that fails its check.
 */
export async function readMeta(dir: string, get: (key: LogMetaKey) => Buffer | undefined | Promise<Buffer | undefined>): Promise<StoredMeta> {
  const read = async <T>(key: LogMetaKey, decode: (value: Buffer) => T): Promise<T | undefined> => {
    const value = await get(key);
    return value === undefined ? undefined : checked(dir, `${key} record`, () => decode(value));
  };
  return {
    hardState: await read('hardState', decodeHardState),
    snapshot: await read('snapshot', decodeSnapshot),
    firstIndex: await read('firstIndex', decodeIndex),
    lastIndex: await read('lastIndex', decodeIndex),
  };
}

/**
 * The first index of the stored log: where reading it starts.
 *
 * @throws StorageCorruptionError if the log starts after the snapshot ends (entries are missing).
 */
export function firstStoredIndex(dir: string, meta: StoredMeta): number {
  const firstStored = meta.firstIndex ?? 1;
  const base = meta.snapshot?.meta.index ?? 0;
  if (firstStored > base + 1) {
    throw new StorageCorruptionError(dir, 'firstIndex record', `the log starts at ${firstStored} but the snapshot covers only up to ${base}: entries are missing`);
  }
  return firstStored;
}

/**
 * Checks the log read back against the meta records and returns the recovered state: the log must
 * end exactly at the last saved index (damage can hide the end of a log without breaking its
 * order), and where it still holds the snapshot's last entry, that entry's term must be the
 * snapshot's.
 *
 * @param stored - the stored entries from `firstStored` on, consecutive (the caller checked that
 *   none is missing in between); the recovered log keeps the array.
 * @throws StorageCorruptionError naming the first entry that is missing or disagrees.
 */
export function checkLog(dir: string, meta: StoredMeta, firstStored: number, stored: Entry[]): Recovered {
  const { snapshot } = meta;
  const lastStored = meta.lastIndex ?? 0;
  const base = snapshot?.meta.index ?? 0;
  const end = firstStored + stored.length - 1;
  if (end < lastStored) {
    throw new StorageCorruptionError(dir, `entry ${end + 1}`, `missing: the log ends at ${end} but its last saved index is ${lastStored}`);
  }
  if (end > lastStored) {
    throw new StorageCorruptionError(dir, `entry ${lastStored + 1}`, `stored past the last saved index ${lastStored}`);
  }
  // Entries the snapshot covers may still be stored (until compact()); the last must agree with it.
  if (snapshot && firstStored <= base) {
    const atBase = stored[base - firstStored];
    if (atBase === undefined) {
      throw new StorageCorruptionError(dir, `entry ${end + 1}`, `missing: the log ends at ${end}, before the snapshot at ${base}`);
    }
    if (atBase.term !== snapshot.meta.term) {
      throw new StorageCorruptionError(dir, `entry ${base}`, `its term ${atBase.term} differs from the snapshot's term ${snapshot.meta.term} at that index`);
    }
  }
  const entries = firstStored <= base ? stored.slice(base - firstStored + 1) : stored;
  return { hardState: meta.hardState ?? NEW_HARD_STATE, snapshot, log: new StoredLog(base, snapshot?.meta.term ?? 0, entries), firstStored };
}
